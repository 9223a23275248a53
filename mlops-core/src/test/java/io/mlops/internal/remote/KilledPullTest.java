package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.TransferSummary;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull killed with SIGKILL in the middle of its downloads (a separate JVM running the engine's command line,
 * downloads slowed by a proxy) leaves no corrupt object in the cache and no half-written file in the workspace,
 * and a second pull completes the workspace byte for byte.
 */
class KilledPullTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path root;
  @TempDir Path home;

  private void config(String bucket, String endpoint) throws IOException {
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = gs://" + bucket + "/store\n    endpointurl = " + endpoint + "\n");
  }

  /** Workspace files (not .dvc) with their md5. */
  private Map<String, String> workspace() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = PathUtil.posix(root.relativize(p));
        if (!rel.startsWith(".dvc/")) {
          out.put(rel, FileHasher.md5(p));
        }
      }
    }
    return out;
  }

  /** Cache files whose name is not the md5 of their bytes (temporary files are not objects, and skipped). */
  private List<String> corruptObjects() throws IOException {
    List<String> bad = new ArrayList<>();
    Path files = root.resolve(".dvc/cache/files/md5");
    if (!Files.isDirectory(files)) {
      return bad;
    }
    try (Stream<Path> s = Files.walk(files)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          continue;
        }
        String md5 = p.getParent().getFileName() + name.replace(".dir", "");
        if (!FileHasher.md5(p).equals(md5)) {
          bad.add(PathUtil.posix(files.relativize(p)));
        }
      }
    }
    return bad;
  }

  private long cacheObjectCount() throws IOException {
    Path files = root.resolve(".dvc/cache/files/md5");
    if (!Files.isDirectory(files)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(files)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tmp")).count();
    }
  }

  @Test
  void aPullKilledMidwayLeavesNothingCorruptAndARerunCompletesIt() throws Exception {
    CapturingLog log = new CapturingLog(false);
    Map<String, String> env = GcsTesting.env(home);
    String bucket = GcsTesting.uniqueBucket("killed");
    gcs.createBucket(bucket);
    Repo.init(root, true, log);
    config(bucket, gcs.endpoint());
    Random random = new Random(3);
    for (int i = 0; i < 120; i++) {
      Path f = root.resolve("data/part-" + i + ".bin");
      Files.createDirectories(f.getParent());
      byte[] b = new byte[2000 + random.nextInt(20000)];
      random.nextBytes(b);
      Files.write(f, b);
    }
    byte[] big = new byte[12 << 20];
    random.nextBytes(big);
    Files.write(root.resolve("data/big.bin"), big);
    try (Repo repo = Repo.open(root, log, env, 2)) {
      new Workspace(repo).add(List.of("data"));
      assertEquals(122, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false)).transferred());
    }
    Map<String, String> before = workspace();
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(root.resolve("data"));

    try (FaultProxy proxy = new FaultProxy(gcs.endpoint())) {
      config(bucket, proxy.endpoint());
      proxy.delayNext(10_000, Duration.ofMillis(150), FaultProxy.downloads());
      List<String> cmd = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "io.mlops.testing.EngineMain", "pull");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
          .redirectOutput(home.resolve("pull.log").toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process pull = pb.start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (cacheObjectCount() < 20 && pull.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(pull.isAlive(), "the pull must still be running when it is killed:\n"
            + Files.readString(home.resolve("pull.log")));
        long cached = cacheObjectCount();
        assertTrue(cached >= 20 && cached < 122, "killed midway, with " + cached + " objects cached");
      } finally {
        pull.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
        pull.waitFor(30, TimeUnit.SECONDS);
      }
      assertEquals(137, pull.exitValue(), "killed by SIGKILL");
    }

    assertEquals(List.of(), corruptObjects(), "every object in the cache matches its md5");
    workspace().forEach((path, md5) ->
        assertEquals(before.get(path), md5, "no half-written or foreign workspace file: " + path));

    config(bucket, gcs.endpoint());
    try (Repo repo = Repo.open(root, log, env, 2)) {
      TransferSummary s = new Sync(repo).pull(new Sync.Request(List.of(), null, 4, false), false);
      assertTrue(s.transferred() > 0 && s.transferred() < 122, "the rerun downloads only what is missing: " + s);
    }
    assertEquals(before, workspace(), "the rerun completes the workspace byte for byte");
    assertEquals(List.of(), corruptObjects());
    try (Repo repo = Repo.open(root, log, env, 2)) {
      assertTrue(new Workspace(repo).status(List.of()).isEmpty(), "data.dvc is up to date");
    }
  }
}
