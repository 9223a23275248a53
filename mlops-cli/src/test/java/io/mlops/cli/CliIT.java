package io.mlops.cli;

import static io.mlops.harness.DvcOracle.dvc;
import static io.mlops.harness.DvcOracle.runOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed command, run as a user runs it: {@code target/mlops/bin/mlops} (the launcher script of the
 * distribution, with its class data sharing archive), as a process, in a real Git + DVC repository; exit codes,
 * output and files compared with real DVC 3.67.1's.
 */
class CliIT {
  /** The unpacked distribution: bin/mlops, mlops-cli.jar, lib/, conf/. */
  static final Path DIST = Path.of(System.getProperty("mlops.cli.dist", "target/mlops"));

  @TempDir Path tmp;
  Path repo;
  Path cache;

  record Run(int exit, String out, String err) {
    Run ok() {
      assertEquals(0, exit, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
      return this;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    repo = Files.createDirectories(tmp.resolve("repo"));
    cache = Files.createDirectories(tmp.resolve("xdg-cache"));
  }

  Run mlops(Path dir, String... args) {
    return mlops(Map.of(), dir, args);
  }

  Run mlops(Map<String, String> extraEnv, Path dir, String... args) {
    Path launcher = DIST.resolve("bin/mlops");
    assertTrue(Files.isExecutable(launcher), launcher + " is missing: package the module first");
    List<String> cmd = new ArrayList<>(List.of(launcher.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.put("XDG_CACHE_HOME", cache.toString());
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.putAll(extraEnv);
      Path out = Files.createTempFile(tmp, "out", ".txt");
      Path err = Files.createTempFile(tmp, "err", ".txt");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("mlops " + String.join(" ", args) + " timed out");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static List<String> sorted(String lines) {
    return lines.lines().sorted().toList();
  }

  void gitRepoWithPipeline() throws IOException {
    runOk(repo, "git", "init", "-q");
    mlops(repo, "init").ok();
    Files.writeString(repo.resolve("params.yaml"), "train:\n  epochs: 3\n");
    Files.createDirectories(repo.resolve("data"));
    Files.writeString(repo.resolve("data/raw.csv"), "a,b\n1,2\n3,4\n");
    Files.writeString(repo.resolve("dvc.yaml"), """
        stages:
          prepare:
            cmd: mkdir -p out && cp data/raw.csv out/clean.csv
            deps:
            - data/raw.csv
            outs:
            - out/clean.csv
          train:
            cmd: echo "epochs ${train.epochs}" > model.txt && printf '{"acc":0.5}' > metrics.json
            deps:
            - out/clean.csv
            params:
            - train.epochs
            outs:
            - model.txt
            metrics:
            - metrics.json:
                cache: false
        """);
  }

  @Test
  void helpVersionAndUsageErrorsUseDvcsExitCodes() throws IOException {
    Run overview = mlops(tmp, "--help").ok();
    for (String c : List.of("init", "add", "status", "repro", "checkout", "commit", "dag", "push", "pull", "fetch",
        "params diff", "metrics show", "metrics diff", "plots show", "plots diff", "report", "check")) {
      assertTrue(overview.out().contains("\n  " + c + " "), "command " + c + " listed:\n" + overview.out());
    }
    Run repro = mlops(tmp, "repro", "--help").ok();
    assertTrue(repro.out().startsWith("usage: mlops repro [-h] [-q] [-v] [-f] [-s]"), repro.out());
    for (String flag : List.of("-f, --force", "-s, --single-item", "--downstream", "--pull", "--allow-missing",
        "--dry", "-k, --keep-going", "--no-run-cache")) {
      assertTrue(repro.out().contains("  " + flag), flag + " in repro --help:\n" + repro.out());
    }
    assertTrue(mlops(tmp, "push", "--help").ok().out().contains("-j <number>, --jobs <number>"));
    assertFalse(mlops(tmp, "--version").ok().out().isBlank());

    Run bad = mlops(tmp, "status", "--bogus");
    assertEquals(254, bad.exit(), "a bad flag exits 254 as in DVC");
    assertTrue(bad.err().contains("ERROR: unrecognized arguments: --bogus"), bad.err());
    assertEquals(254, mlops(tmp, "frobnicate").exit(), "an unknown command exits 254");
    assertEquals(254, mlops(tmp, "push", "-j").exit(), "an option without its value");

    // DVC's own codes for the same mistakes
    assertEquals(254, DvcOracle.dvcAllowFailure(tmp, "status", "--bogus").exitCode());
    Run notRepo = mlops(tmp, "status");
    assertEquals(DvcOracle.dvcAllowFailure(tmp, "status").exitCode(), notRepo.exit(), "not a repository: 253");
    assertEquals(253, notRepo.exit());
    assertTrue(notRepo.err().startsWith("ERROR: you are not inside of a DVC repository"), notRepo.err());
    assertFalse(notRepo.err().contains("Exception"), "no exception class or stack trace: " + notRepo.err());

    // class data sharing archives: none from a --help or a failed first run (it would hold few of the command's
    // classes, for good), one from the successful --version; no temporary archive left behind
    try (Stream<Path> files = Files.list(cache.resolve("mlops"))) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertEquals(1, names.size(), "archives: " + names);
      assertTrue(names.get(0).matches("cds-[0-9]+-main\\.jsa"), "archives: " + names);
    }
  }

  @Test
  void reproStatusAndFailuresAsDvc() throws IOException {
    gitRepoWithPipeline();
    Run first = mlops(repo, "repro").ok();
    assertTrue(first.out().contains("Running stage 'prepare':"), first.out());
    assertTrue(first.out().contains("Running stage 'train':"), first.out());
    assertEquals("epochs 3\n", Files.readString(repo.resolve("model.txt")));
    assertTrue(first.out().contains("Use `mlops push` (or `dvc push`) to send your updates"),
        "hints in the command line's words: " + first.out());
    // real DVC finds what mlops reproduced up to date, and the lock DVC would write
    assertEquals("Data and pipelines are up to date.\n", dvc(repo, "status"));
    assertTrue(mlops(repo, "repro").ok().out().contains("Stage 'train' didn't change, skipping"));
    assertEquals(0, mlops(repo, "status", "-q").exit(), "status -q: 0 when up to date");

    Files.writeString(repo.resolve("params.yaml"), "train:\n  epochs: 4\n");
    Run status = mlops(repo, "status").ok();
    assertEquals(dvc(repo, "status"), status.out(), "status prints what dvc status prints");
    Run quiet = mlops(repo, "status", "-q");
    assertEquals(1, quiet.exit(), "status -q: 1 when something changed, as in DVC");
    assertEquals("", quiet.out());
    assertEquals(DvcOracle.dvcAllowFailure(repo, "status", "-q").exitCode(), quiet.exit());

    // from a subdirectory, as DVC: the repository is found upward
    Files.createDirectories(repo.resolve("sub"));
    assertEquals(1, mlops(repo.resolve("sub"), "status", "-q").exit());

    Files.writeString(repo.resolve("dvc.yaml"), Files.readString(repo.resolve("dvc.yaml"))
        + "  broken:\n    cmd: exit 3\n");
    Run failed = mlops(repo, "repro", "broken");
    assertEquals(255, failed.exit(), "a failed stage exits 255, as dvc repro does");
    assertEquals(255, DvcOracle.dvcAllowFailure(repo, "repro", "broken").exitCode());
    assertTrue(failed.err().contains("ERROR: failed to reproduce 'broken'"), failed.err());
    assertFalse(failed.err().contains("at io.mlops"), "no stack trace: " + failed.err());
  }

  @Test
  void pushAndPullWithJobsAndARemoteServeDvc() throws IOException {
    gitRepoWithPipeline();
    Path store = tmp.resolve("store");
    dvc(repo, "remote", "add", "-d", "local", store.toString());
    Files.writeString(repo.resolve("big.bin"), "x".repeat(100_000));
    mlops(repo, "add", "big.bin").ok();
    mlops(repo, "repro").ok();
    // status -c before the push: the lines dvc status -c prints (DVC's order is a Python set's, so compared sorted)
    Run cloud = mlops(repo, "status", "-c").ok();
    assertEquals(sorted(dvc(repo, "status", "-c")), sorted(cloud.out()), "status -c as DVC");
    assertTrue(cloud.out().contains("\tnew:                big.bin\n"), cloud.out());
    assertEquals(1, mlops(repo, "status", "-c", "-q").exit(), "status -c -q: 1 when not in sync");
    Run push = mlops(repo, "push", "-j", "2", "-r", "local").ok();
    assertTrue(push.out().contains("files pushed"), push.out());
    assertTrue(dvc(repo, "status", "-c").contains("Cache and remote 'local' are in sync."), "DVC agrees");
    assertEquals("Cache and remote 'local' are in sync.\n", mlops(repo, "status", "-c").ok().out());
    assertEquals(0, mlops(repo, "status", "--cloud", "-q").exit());
    runOk(repo, "git", "add", "-A");
    runOk(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "exp");

    Path clone = tmp.resolve("clone");
    runOk(tmp, "git", "clone", "-q", repo.toString(), clone.toString());
    Run pull = mlops(clone, "pull", "-j8").ok();
    assertTrue(pull.out().contains("files fetched"), pull.out());
    assertEquals(Files.readString(repo.resolve("model.txt")), Files.readString(clone.resolve("model.txt")));
    assertEquals(Files.readString(repo.resolve("big.bin")), Files.readString(clone.resolve("big.bin")));
    assertEquals("Data and pipelines are up to date.\n", dvc(clone, "status"));
    assertEquals(1, mlops(clone, "push", "-r", "nosuch").exit(), "a failed transfer exits 1, as dvc push");
    assertEquals(1, DvcOracle.dvcAllowFailure(clone, "push", "-r", "nosuch").exitCode());

    // a second run of the launcher starts from the class data sharing archive made by the first, one per command
    // (an archive holds the classes of the run that made it)
    try (Stream<Path> files = Files.list(cache.resolve("mlops"))) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      for (String command : List.of("init", "add", "repro", "status", "push", "pull")) {
        assertTrue(names.stream().anyMatch(n -> n.startsWith("cds-") && n.endsWith("-" + command + ".jsa")),
            "CDS archive of " + command + " written: " + names);
      }
    }
  }

  @Test
  void dataCommandsWithTheirJitDirectivesPrintOnlyWhatDvcPrints() throws IOException {
    // add, commit, repro, push, pull, fetch and checkout start the JVM with conf/jit-directives.json, and HotSpot
    // announces a directives file on standard output: the launcher silences that, so pipes and scripts see only
    // the command's own lines
    assertTrue(Files.isRegularFile(DIST.resolve("conf/jit-directives.json")), "directives file in the distribution");
    runOk(repo, "git", "init", "-q");
    mlops(repo, "init").ok();
    dvc(repo, "remote", "add", "-d", "local", tmp.resolve("store").toString());
    Files.writeString(repo.resolve("data.txt"), "some data\n");
    Run add = mlops(repo, "add", "data.txt").ok();
    assertFalse(add.out().contains("directives"), add.out());
    assertTrue(add.out().startsWith("Added data.txt ("), "the command's first line first:\n" + add.out());
    mlops(repo, "push").ok();
    for (List<String> args : List.of(List.of("push"), List.of("fetch"), List.of("checkout"), List.of("pull"),
        List.of("commit", "-f"))) {
      String[] a = args.toArray(String[]::new);
      Run ours = mlops(repo, a).ok();
      assertEquals(dvc(repo, a), ours.out(), "mlops " + args + " prints what dvc prints, nothing of the JVM's");
      assertFalse(ours.err().contains("directives"), ours.err());
    }
    // the file is read: with the JVM's own output back on, HotSpot reports it
    Run loud = mlops(Map.of("MLOPS_JAVA_OPTS", "-XX:+DisplayVMOutput"), repo, "checkout").ok();
    assertTrue(loud.out().contains("compiler directives added"), loud.out());
  }

  @Test
  void paramsAndMetricsDiffPrintDvcsBytes() throws IOException {
    gitRepoWithPipeline();
    mlops(repo, "repro").ok();
    runOk(repo, "git", "add", "-A");
    runOk(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base");
    Files.writeString(repo.resolve("params.yaml"), "train:\n  epochs: 7\n");
    Files.writeString(repo.resolve("metrics.json"), "{\"acc\": 0.75}\n");
    for (List<String> args : List.of(List.of("params", "diff"), List.of("params", "diff", "--md"),
        List.of("params", "diff", "HEAD", "--json"), List.of("metrics", "diff", "--md"),
        List.of("metrics", "show"), List.of("metrics", "show", "--json"))) {
      String[] a = args.toArray(String[]::new);
      assertEquals(dvc(repo, a), mlops(repo, a).ok().out(), "mlops " + args + " prints dvc's bytes");
    }
    for (List<String> args : List.of(List.of("dag"), List.of("dag", "--full", "prepare"), List.of("dag", "--md"))) {
      String[] a = args.toArray(String[]::new);
      assertEquals(dvc(repo, a), mlops(repo, a).ok().out(), "mlops " + args + " prints dvc's drawing");
    }
    Files.writeString(repo.resolve("out.md"), "");
    mlops(repo, "params", "diff", "--md", "-o", "out.md").ok();
    assertEquals(dvc(repo, "params", "diff", "--md"), Files.readString(repo.resolve("out.md"), StandardCharsets.UTF_8));
  }

  @Test
  void anInvalidDvcYamlIsAWarningForMetricsAndParamsWithExitZeroAsInDvc() throws IOException {
    gitRepoWithPipeline();
    mlops(repo, "repro").ok();
    runOk(repo, "git", "add", "-A");
    runOk(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base");
    Files.writeString(repo.resolve("params.yaml"), "train:\n  epochs: 7\n");
    // DVC 2's live: section, which DVC 3's schema rejects
    Files.writeString(repo.resolve("dvc.yaml"), Files.readString(repo.resolve("dvc.yaml"))
        + "live:\n  dvclive:\n    summary: true\n");
    for (List<String> args : List.of(List.of("metrics", "show"), List.of("metrics", "show", "--json"),
        List.of("metrics", "diff"), List.of("params", "diff", "--md"))) {
      String[] a = args.toArray(String[]::new);
      List<String> sh = new ArrayList<>(List.of("sh", "-c", "\"$0\" \"$@\" 2>/dev/null",
          DvcOracle.venv().resolve("bin/dvc").toString()));
      sh.addAll(args);
      DvcOracle.Result dvcOut = DvcOracle.run(sh, repo, 600);
      assertEquals(0, dvcOut.exitCode(), "dvc " + args);
      String dvcBoth = DvcOracle.dvc(repo, a);
      String warning = dvcBoth.lines().filter(l -> l.startsWith("WARNING: ")).findFirst()
          .orElseThrow(() -> new AssertionError("dvc " + args + " warns:\n" + dvcBoth));
      Run ours = mlops(repo, a).ok(); // exit 0, as DVC's
      assertEquals(dvcOut.stdout(), ours.out(), "mlops " + args + " prints dvc's standard output");
      assertTrue(ours.err().startsWith(warning + "\n"), "mlops " + args + " warns as dvc (" + warning + "):\n"
          + ours.err());
    }
    // status needs the pipeline: it still fails, as DVC's does (DVC exits 1 there, catching the error in
    // CmdDataStatus; mlops exits 255 as for any other error of a non-transfer command)
    Run status = mlops(repo, "status");
    assertTrue(DvcOracle.dvcAllowFailure(repo, "status").exitCode() != 0);
    assertTrue(status.exit() != 0, "status still fails");
    assertTrue(status.err().contains("validation failed"), status.err());
  }
}
