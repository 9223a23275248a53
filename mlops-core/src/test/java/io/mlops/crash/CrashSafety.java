package io.mlops.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.api.Mlops;
import io.mlops.api.MlopsException;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.Lockfile;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.EngineMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-safety suite: one operation, run in its own JVM and killed with SIGKILL (with the stage processes it
 * started) at points drawn by a seeded generator over the time an uninterrupted run takes. After every kill: each
 * cache and remote object's md5 equals its name, every {@code .dvc} file and {@code dvc.lock} parses (and
 * real DVC reads the repository, every tenth trial), and running the operation again completes with exactly the
 * files of an uninterrupted run, no temporary file left. {@code -Dmlops.crash.trials=N} (default 30) for longer runs.
 */
abstract class CrashSafety {
  /** AtomicFiles' temporary siblings: {@code .<22 base64url chars>.tmp}. */
  private static final Pattern TEMP = Pattern.compile("\\.[A-Za-z0-9_-]{22}\\.tmp");

  @TempDir Path tmp;

  /** Builds the state before the operation in a fresh repository. */
  abstract void prepare(Path root) throws Exception;

  /** The operation and its arguments for {@link EngineMain}. */
  abstract List<String> operation();

  /** Points the copy {@code dir} at its own remote state, when the remote is not inside it (id: "reference", "trial-N"). */
  void beforeTrial(Path dir, String id) throws Exception {}

  /** The objects of a remote that lives outside the repository, name → md5 of their bytes (none by default). */
  Map<String, String> remoteObjects(String id) throws Exception {
    return Map.of();
  }

  static int trials() {
    return Integer.getInteger("mlops.crash.trials", 30);
  }

  static void write(Path p, byte[] data) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} files of 100 to 3,000 random bytes under {@code dir}, in ten subdirectories. */
  static void files(Path dir, int n, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[100 + r.nextInt(2900)];
      r.nextBytes(b);
      write(dir.resolve("d" + (i % 10)).resolve("f" + i + ".bin"), b);
    }
  }

  static Mlops open(Path root) {
    return Mlops.open(root, io.mlops.api.MlopsOptions.defaults(), new CapturingLog(false));
  }

  /** A finished or killed child run. */
  record Run(int exit, long workMillis, boolean killed, String output) {}

  /** Runs the operation in a child JVM in {@code dir}; kills it {@code killAfterMillis} after it began (if >= 0). */
  Run child(Path dir, long killAfterMillis) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), EngineMain.class.getName()));
    cmd.addAll(operation());
    Path log = dir.resolveSibling(dir.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(log.toFile());
    pb.environment().put("HOME", tmp.resolve("home").toString());
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals(EngineMain.START)) {
      // the repository opening
    }
    long started = System.nanoTime();
    boolean killed = false;
    if (killAfterMillis >= 0 && line != null) {
      if (!p.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly(); // SIGKILL: no shutdown hook or finally block runs
        children.forEach(ProcessHandle::destroyForcibly);
        killed = true;
      }
    }
    Thread drain = new Thread(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException e) {
        // gone
      }
    });
    drain.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the operation did not finish within 300 s in " + dir);
    }
    drain.join(10_000);
    long work = (System.nanoTime() - started) / 1_000_000;
    String text = Files.exists(log) ? Files.readString(log) : "";
    return new Run(p.exitValue(), work, killed, text);
  }

  /** Runs the operation again, to the end, in this JVM (as the user's next command would). */
  Run rerun(Path dir) {
    CapturingLog log = new CapturingLog(false);
    try (Mlops m = Mlops.open(dir, io.mlops.api.MlopsOptions.defaults(), log)) {
      int code = EngineMain.run(m, operation().get(0), operation().subList(1, operation().size()));
      return new Run(code, 0, false, String.join("\n", log.lines()));
    } catch (MlopsException e) {
      return new Run(1, 0, false, e.getMessage());
    }
  }

  /**
   * Every file of the repository but DVC's scratch space: path → md5. Temporary files a kill left among the objects
   * of the cache or the local remote are not objects (neither DVC nor the engine reads them; {@code verify-cache}
   * removes old ones) and are counted by {@link #objectStoreTemps} instead.
   */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path scratch = root.resolve(".dvc/tmp");
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        // .dvc/config is the test's (no operation writes it), and names each trial's own remote where it has one
        if (!p.startsWith(scratch) && !isObjectStoreTemp(root, p) && !p.equals(root.resolve(".dvc/config"))) {
          out.put(PathUtil.posix(root.relativize(p)), FileHasher.md5(p));
        }
      }
    }
    return out;
  }

  /** Objects (cache and local remote alike) whose bytes do not hash to their name. */
  static List<String> corruptObjects(Path root) throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Path parent = p.getParent();
        if (parent.getParent() == null || !parent.getParent().endsWith("files/md5")) {
          continue;
        }
        String name = p.getFileName().toString();
        if (TEMP.matcher(name).matches()) {
          continue;
        }
        String md5 = parent.getFileName() + name.replace(".dir", "");
        if (!FileHasher.md5(p).equals(md5)) {
          bad.add(PathUtil.posix(root.relativize(p)));
        }
      }
    }
    return bad;
  }

  /** Pipeline and data files our parsers refuse. */
  static List<String> unparsable(Path root) throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = PathUtil.posix(root.relativize(p));
        if (rel.startsWith(".dvc/") || rel.startsWith("store/")) {
          continue;
        }
        try {
          if (rel.endsWith(".dvc")) {
            DvcFile.load(p, rel).outs();
          } else if (p.getFileName().toString().equals("dvc.lock")) {
            Lockfile.load(p);
          }
        } catch (MlopsException e) {
          bad.add(rel + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
      }
    }
    return bad;
  }

  static boolean isObjectStoreTemp(Path root, Path p) {
    return (p.startsWith(root.resolve(".dvc/cache")) || p.startsWith(root.resolve("store")))
        && TEMP.matcher(p.getFileName().toString()).matches();
  }

  static long objectStoreTemps(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> isObjectStoreTemp(root, p)).count();
    }
  }

  static List<String> tempFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> TEMP.matcher(p.getFileName().toString()).matches())
          .filter(p -> !p.startsWith(root.resolve(".dvc/tmp")))
          .map(p -> PathUtil.posix(root.relativize(p))).toList();
    }
  }

  @Test
  void killedAtRandomPointsNothingIsCorruptAndARerunFinishesTheJob() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Path fixture = tmp.resolve("fixture");
    Mlops.init(fixture, true, new CapturingLog(false));
    prepare(fixture);

    Path ref = tmp.resolve("reference");
    io.mlops.testing.Trees.copy(fixture, ref);
    beforeTrial(ref, "reference");
    Run reference = child(ref, -1);
    assertEquals(0, reference.exit(), "the uninterrupted run succeeds:\n" + reference.output());
    Map<String, String> expected = snapshot(ref);
    Map<String, String> expectedRemote = remoteObjects("reference");

    String op = String.join(" ", operation());
    long seed = op.hashCode();
    Random random = new Random(seed);
    int trials = trials();
    int killed = 0;
    int dvcChecks = 0;
    int tempAfterKill = 0;
    long storeTemps = 0;
    List<String> corrupt = new ArrayList<>();
    List<String> unparsable = new ArrayList<>();
    List<String> failedReruns = new ArrayList<>();
    List<String> dvcRefused = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      Path dir = tmp.resolve("trial-" + t);
      io.mlops.testing.Trees.copy(fixture, dir);
      beforeTrial(dir, "trial-" + t);
      long at = (long) (random.nextDouble() * reference.workMillis() * 1.2);
      Run k = child(dir, at);
      if (k.killed()) {
        killed++;
      }
      String where = "trial " + t + " (killed " + at + " ms in)";
      corruptObjects(dir).forEach(c -> corrupt.add(where + ": " + c));
      remoteObjects("trial-" + t).forEach((name, md5) -> {
        String[] parts = name.split("/");
        if (parts.length < 2 || !(parts[parts.length - 2] + parts[parts.length - 1].replace(".dir", "")).equals(md5)) {
          corrupt.add(where + ": remote object " + name + " holds bytes with md5 " + md5);
        }
      });
      unparsable(dir).forEach(u -> unparsable.add(where + ": " + u));
      tempAfterKill += tempFiles(dir).size();
      if (t % 10 == 0) {
        dvcChecks++;
        DvcOracle.Result r = DvcOracle.dvcAllowFailure(dir, "status");
        if (r.exitCode() != 0) {
          dvcRefused.add(where + ": dvc status exited " + r.exitCode() + ": " + r.stdout().strip());
        }
      }
      Run again = rerun(dir);
      storeTemps += objectStoreTemps(dir);
      if (again.exit() != 0) {
        failedReruns.add(where + ": exit " + again.exit() + ": " + again.output().strip());
      } else if (!remoteObjects("trial-" + t).equals(expectedRemote)) {
        Map<String, String> gotRemote = remoteObjects("trial-" + t);
        failedReruns.add(where + ": the remote holds " + gotRemote.size() + " objects after the rerun, "
            + expectedRemote.size() + " after an uninterrupted run");
      } else {
        Map<String, String> got = snapshot(dir);
        if (!got.equals(expected)) {
          Map<String, String> diff = new TreeMap<>();
          expected.forEach((f, h) -> {
            if (!h.equals(got.get(f))) {
              diff.put(f, h + " expected, " + got.get(f));
            }
          });
          got.forEach((f, h) -> {
            if (!expected.containsKey(f)) {
              diff.put(f, "unexpected " + h);
            }
          });
          failedReruns.add(where + ": the rerun's files differ from an uninterrupted run's: "
              + diff.entrySet().stream().limit(5).toList());
        }
      }
      PathUtil.deleteRecursively(dir);
    }
    System.out.printf("crash-safety '%s': %d trials (%d killed mid-run, seed %d, run %d ms), %d corrupt objects, "
            + "%d unparsable files, %d temporary files right after the kills (%d of them among stored objects, left "
            + "for verify-cache), %d/%d DVC checks refused, %d failed reruns%n", op, trials, killed, seed,
        reference.workMillis(), corrupt.size(), unparsable.size(), tempAfterKill, storeTemps, dvcRefused.size(),
        dvcChecks, failedReruns.size());
    assertEquals(List.of(), corrupt, "no corrupt object");
    assertEquals(List.of(), unparsable, "every .dvc file and dvc.lock parses");
    assertEquals(List.of(), dvcRefused, "real DVC reads every killed repository");
    assertEquals(List.of(), failedReruns, "every rerun completes like an uninterrupted run");
  }
}
