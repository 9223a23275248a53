package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.SshServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh:// remote through the engine, against a real OpenSSH server (sshd) on 127.0.0.1. */
class SshRemoteTest {
  static SshServer sshd;

  @TempDir Path root;
  @TempDir Path home;
  Path store;
  final CapturingLog log = new CapturingLog(true);
  final List<String> lines = log.lines();
  final Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void startSshd() {
    sshd = SshServer.start();
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @BeforeEach
  void init() throws IOException {
    store = Files.createTempDirectory(sshd.dataDir(), "store");
    Repo.init(root, true, log);
    env.put("HOME", home.toString());
    remote(sshd.url(store.resolve("prefix")));
    local("keyfile = " + sshd.ed25519Key());
  }

  private void remote(String url, String... extra) throws IOException {
    StringBuilder sb = new StringBuilder("[core]\n    no_scm = True\n    remote = store\n['remote \"store\"']\n");
    sb.append("    url = ").append(url).append('\n');
    for (String e : extra) {
      sb.append("    ").append(e).append('\n');
    }
    Files.writeString(root.resolve(".dvc/config"), sb.toString());
  }

  private void local(String... lines) throws IOException {
    StringBuilder sb = new StringBuilder("['remote \"store\"']\n");
    for (String l : lines) {
      sb.append("    ").append(l).append('\n');
    }
    Files.writeString(root.resolve(".dvc/config.local"), sb.toString());
  }

  private void write(String rel, byte[] data) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
  }

  private Repo open() {
    return Repo.open(root, log, env, 1);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Map<String, byte[]> workspace() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("model.bin", random(1_300_000, 1));
    files.put("data/a.txt", "a\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/b.txt", "b\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/c.bin", random(70_000, 2));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      write(f.getKey(), f.getValue());
    }
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("model.bin", "data"));
    }
    return files;
  }

  private static Sync.Request req(int jobs) {
    return new Sync.Request(List.of(), null, jobs, false);
  }

  private List<String> cacheObjects() throws IOException {
    return filesUnder(root.resolve(".dvc/cache"));
  }

  /** Every regular file under a directory, relative to it, sorted. */
  private static List<String> filesUnder(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(PathUtil.posix(dir.relativize(p))));
    }
    out.sort(null);
    return out;
  }

  private void wipe() {
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(root.resolve("data"));
    PathUtil.deleteRecursively(root.resolve("model.bin"));
  }

  private static String md5(String s) {
    return FileHasher.md5Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String key(String md5) {
    return "files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2);
  }

  private SshRemote direct(Map<String, String> opts) {
    Map<String, String> all = new HashMap<>(opts);
    all.putIfAbsent("url", sshd.url(store.resolve("direct")));
    return SshRemote.open("store", all, env, root.resolve(".dvc/config"));
  }

  @Test
  void pushWipePullIsByteIdenticalAndUsesDvcsLayout() throws IOException {
    Map<String, byte[]> files = workspace();
    List<String> objects = cacheObjects();
    assertEquals(5, objects.size(), objects.toString());
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
      assertEquals(0, new Sync(repo).push(req(4)).transferred());
    }
    Path prefix = store.resolve("prefix");
    assertEquals(objects, filesUnder(prefix), "DVC's layout: <path>/files/md5/xx/rest, no temporary files left");
    for (String o : objects) {
      assertArrayEquals(Files.readAllBytes(root.resolve(".dvc/cache").resolve(o)),
          Files.readAllBytes(prefix.resolve(o)), o);
    }

    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
    assertEquals(objects, cacheObjects());
    try (Repo repo = open(); SshRemote r = (SshRemote) Remotes.open(repo, null)) {
      assertEquals(sshd.url(prefix), r.url());
      assertTrue(r.canTraverse());
      assertEquals(8, r.channels(), "max_sessions 10, less sshfs' two shell channels");
      String two = objects.get(0).substring(10, 12);
      assertEquals(objects.stream().filter(o -> o.startsWith("files/md5/" + two))
          .collect(java.util.stream.Collectors.toSet()), r.list("files/md5/" + two));
      assertEquals(5, r.list("files/md5/").size());
      assertEquals(Set.of(), r.list("files/md5/zz"));
      assertTrue(r.exists(objects.get(0)));
      assertFalse(r.exists("files/md5/00/000000000000000000000000000000"));
      NoSuchFileException missing = assertThrows(NoSuchFileException.class,
          () -> r.download("files/md5/00/000000000000000000000000000000", root.resolve("x.tmp")));
      assertTrue(r.isNotFound(missing));
      assertTrue(missing.getMessage().contains(sshd.url(prefix) + "/files/md5/00/"), missing.getMessage());
      assertEquals(List.of(sshd.ed25519Key() + " (option keyfile)"), r.keyDescriptions());
    }
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
