package io.mlops.internal.remote;

import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of each remote kind share: a repository whose default remote is {@code store}, its log and
 * environment, and small helpers to write its config and files.
 */
abstract class RemoteTestBase {
  @TempDir Path root;
  @TempDir Path home;
  final CapturingLog log = new CapturingLog(true);
  final List<String> lines = log.lines();
  final Map<String, String> env = new HashMap<>();

  /** {@code .dvc/config}: {@code store} is the default remote, at {@code url}, with extra option lines. */
  void remote(String url, String... extra) throws IOException {
    StringBuilder sb = new StringBuilder("[core]\n    no_scm = True\n    remote = store\n['remote \"store\"']\n");
    sb.append("    url = ").append(url).append('\n');
    for (String e : extra) {
      sb.append("    ").append(e).append('\n');
    }
    Files.writeString(root.resolve(".dvc/config"), sb.toString());
  }

  /** {@code .dvc/config.local}: option lines of {@code store} (where secrets belong). */
  void local(String... optionLines) throws IOException {
    StringBuilder sb = new StringBuilder("['remote \"store\"']\n");
    for (String l : optionLines) {
      sb.append("    ").append(l).append('\n');
    }
    Files.writeString(root.resolve(".dvc/config.local"), sb.toString());
  }

  void write(String rel, byte[] data) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
  }

  Repo open() {
    return Repo.open(root, log, env, 1);
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Sync.Request req(int jobs) {
    return new Sync.Request(List.of(), null, jobs, false);
  }

  /** Removes the cache and the workspace data, as a clean machine has them before a pull. */
  void wipe() {
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(root.resolve("data"));
    PathUtil.deleteRecursively(root.resolve("model.bin"));
  }

  static String md5(String s) {
    return FileHasher.md5Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  /** An object's key under the remote's URL, as DVC 3 lays them out. */
  static String key(String md5) {
    return "files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2);
  }

  static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
