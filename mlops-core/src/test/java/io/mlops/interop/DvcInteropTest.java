package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.ReproResult;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plugin's engine and real DVC 3.67.1 on copies of the same workspace must write the same bytes:
 * dvc.lock, .dvc files, .gitignore entries, cache objects and run-cache entries; and each must find the
 * other's result up to date.
 */
class DvcInteropTest {
  @TempDir Path tmp;

  static Stream<Arguments> pipelines() {
    return Stream.of(
        Arguments.of("params-groups-and-dirs", Pipelines.paramGroupsAndDirs()),
        Arguments.of("foreach-wdir-folding", Pipelines.foreachWdirFolding()),
        Arguments.of("matrix-vars-json-toml", Pipelines.matrixVarsFormats()),
        Arguments.of("metrics-plots-uncached", Pipelines.metricsAndPlots()));
  }

  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.put("SHELL", "/bin/sh");
    return env;
  }

  private static ReproResult mlopsRepro(Path root, ReproRequest req) {
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(root, log, env(), 2)) {
      return new Reproducer(repo, Index.load(repo), env()).run(req);
    }
  }

  private static List<String> mlopsStatus(Path root) {
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(root, log, env(), 2)) {
      return new Workspace(repo).status(List.of()).stream().map(s -> s.render()).toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void reproWritesWhatDvcWrites(String name, Pipelines.Fixture fixture) {
    Path base = Workspaces.initRepo(tmp.resolve("base"));
    Workspaces.write(base, fixture.files());
    for (String add : fixture.dvcAdd()) {
      DvcOracle.dvc(base, "add", "-q", add);
    }
    Path withDvc = tmp.resolve("dvc");
    Path withMlops = tmp.resolve("mlops");
    Workspaces.copy(base, withDvc);
    Workspaces.copy(base, withMlops);

    DvcOracle.dvc(withDvc, "repro");
    ReproResult result = mlopsRepro(withMlops, ReproRequest.defaults());
    assertTrue(!result.failed(), "mlops repro failed: " + result);

    Map<String, String> expected = Workspaces.snapshot(withDvc, ".git", ".dvc");
    Map<String, String> actual = Workspaces.snapshot(withMlops, ".git", ".dvc");
    assertEquals(expected.keySet(), actual.keySet(), "same files in the workspace");
    for (String f : expected.keySet()) {
      assertEquals(expected.get(f), actual.get(f), "bytes of " + f);
    }
    assertEquals(Workspaces.cacheObjects(withDvc), Workspaces.cacheObjects(withMlops), "cache objects");
    assertEquals(Workspaces.snapshot(withDvc.resolve(".dvc/cache/files")),
        Workspaces.snapshot(withMlops.resolve(".dvc/cache/files")), "cache object bytes");
    assertEquals(Workspaces.runCache(withDvc), Workspaces.runCache(withMlops), "run-cache entries");
    if (Files.isDirectory(withDvc.resolve(".dvc/cache/runs"))) {
      assertEquals(Workspaces.snapshot(withDvc.resolve(".dvc/cache/runs")),
          Workspaces.snapshot(withMlops.resolve(".dvc/cache/runs")), "run-cache entry bytes");
    }

    // each finds the other's result up to date
    String dvcStatus = DvcOracle.dvc(withMlops, "status");
    assertTrue(dvcStatus.contains("Data and pipelines are up to date."), "dvc status after mlops repro:\n" + dvcStatus);
    assertEquals(List.of(), mlopsStatus(withDvc), "mlops status after dvc repro");

    // and a second repro changes nothing
    ReproResult again = mlopsRepro(withDvc, ReproRequest.defaults());
    assertEquals(again.stages().size(), again.count(ReproResult.Outcome.SKIPPED), "second run skips all: " + again);
    assertEquals(expected, Workspaces.snapshot(withDvc, ".git", ".dvc"), "nothing rewritten");
  }

  @Test
  void statusListsChangesInDvcsOrder() {
    Path base = Workspaces.initRepo(tmp.resolve("order"));
    Workspaces.write(base, Map.of(
        "a.txt", "a\n", "z.txt", "z\n", "m/s.txt", "s\n", "b/deep/d.txt", "d\n",
        "dvc.yaml", "stages:\n  zeta:\n    cmd: cat a.txt > out1\n    deps: [a.txt]\n    outs: [out1]\n"
            + "  alpha:\n    cmd: cat z.txt > out2\n    deps: [z.txt]\n    outs: [out2]\n",
        "k/dvc.yaml", "stages:\n  inner:\n    cmd: echo x > o\n    outs: [o]\n"));
    DvcOracle.dvc(base, "add", "-q", "a.txt", "z.txt", "m/s.txt", "b/deep/d.txt");
    DvcOracle.dvc(base, "repro", "-q", "-P");
    Workspaces.write(base, Map.of("a.txt", "b\n", "z.txt", "y\n", "m/s.txt", "t\n", "b/deep/d.txt", "e\n"));
    try {
      Files.delete(base.resolve("k/o"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // DVC walks top-down in listing order (a directory's files, then its subdirectories): same order here
    String dvc = DvcOracle.dvc(base, "status");
    String ours = String.join("", mlopsStatus(base));
    assertEquals(dvc.strip(), ours.strip(), "status text and order");
  }

  @Test
  void mermaidDagIsDvcs() {
    Path base = Workspaces.initRepo(tmp.resolve("mermaid"));
    Workspaces.write(base, Map.of(
        "raw.txt", "r\n", "other.txt", "o\n",
        "dvc.yaml", "stages:\n"
            + "  zeta:\n    cmd: cp raw.txt z\n    deps: [raw.txt]\n    outs: [z]\n"
            + "  alpha:\n    cmd: cp z a\n    deps: [z]\n    outs: [a]\n"
            + "  beta:\n    cmd: cp z b\n    deps: [z]\n    outs: [b]\n"
            + "  merge:\n    cmd: cat a b > m\n    deps: [a, b]\n    outs: [m]\n"
            + "  lonely:\n    cmd: echo x > l\n    outs: [l]\n",
        "sub/dvc.yaml", "stages:\n  inner:\n    cmd: cp ../other.txt i\n    deps: [../other.txt]\n    outs: [i]\n"));
    DvcOracle.dvc(base, "add", "-q", "raw.txt", "other.txt");
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(base, log, env(), 2)) {
      Workspace ws = new Workspace(repo);
      assertEquals(DvcOracle.dvc(base, "dag", "--mermaid"), ws.dag(List.of(), false, true, false), "dag --mermaid");
      assertEquals(DvcOracle.dvc(base, "dag", "--md"), ws.dag(List.of(), false, true, true), "dag --md");
      assertEquals(DvcOracle.dvc(base, "dag", "--mermaid", "merge"), ws.dag(List.of("merge"), false, true, false),
          "dag --mermaid merge");
    }
  }

  @Test
  void runCacheRestoresWhatDvcRecorded() {
    Path base = Workspaces.initRepo(tmp.resolve("rc"));
    Workspaces.write(base, Pipelines.paramGroupsAndDirs().files());
    DvcOracle.dvc(base, "add", "-q", "data/raw");
    DvcOracle.dvc(base, "repro");
    String firstLock = read(base.resolve("dvc.lock"));
    // change a param with DVC, reproduce, then go back with the plugin: restored from DVC's run-cache
    Workspaces.write(base, Map.of("params.yaml", read(base.resolve("params.yaml")).replace("epochs: 3", "epochs: 4")));
    DvcOracle.dvc(base, "repro");
    Workspaces.write(base, Map.of("params.yaml", read(base.resolve("params.yaml")).replace("epochs: 4", "epochs: 3")));
    ReproResult r = mlopsRepro(base, ReproRequest.defaults());
    assertEquals(ReproResult.Outcome.SKIPPED, outcome(r, "prepare"));
    assertEquals(ReproResult.Outcome.RESTORED, outcome(r, "train"));
    assertEquals(firstLock, read(base.resolve("dvc.lock")), "lock back to the first run's");
    String st = DvcOracle.dvc(base, "status");
    assertTrue(st.contains("Data and pipelines are up to date."), st);
  }

  @Test
  void addWritesTheSameDvcFilesAsDvcAdd() {
    Path base = Workspaces.initRepo(tmp.resolve("add"));
    Workspaces.write(base, Map.of("data/raw/a.csv", "x,y\n1,2\n", "data/raw/sub/b.txt", "b\n",
        "model.bin", "\u0000\u0001binary", "notes.txt", "foo"));
    Path withDvc = tmp.resolve("add-dvc");
    Path withMlops = tmp.resolve("add-mlops");
    Workspaces.copy(base, withDvc);
    Workspaces.copy(base, withMlops);
    for (String p : List.of("data/raw", "model.bin", "notes.txt")) {
      DvcOracle.dvc(withDvc, "add", "-q", p);
    }
    try (Repo repo = Repo.open(withMlops, new Workspaces.RecordingLog(), env(), 2)) {
      new Workspace(repo).add(List.of("data/raw", "model.bin", "notes.txt"));
    }
    assertEquals(Workspaces.snapshot(withDvc, ".git", ".dvc"), Workspaces.snapshot(withMlops, ".git", ".dvc"));
    assertEquals(Workspaces.snapshot(withDvc.resolve(".dvc/cache")), Workspaces.snapshot(withMlops.resolve(".dvc/cache")));
    String st = DvcOracle.dvc(withMlops, "status");
    assertTrue(st.contains("Data and pipelines are up to date."), st);
  }

  @Test
  void addLeavesOutWhatDvcIgnoresInsideATrackedDirectory() throws java.io.IOException {
    Path base = Workspaces.initRepo(tmp.resolve("ignore"));
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    // enough files for the walk on the thread pool (top level here, subdirectories on the pool)
    for (int i = 0; i < 150; i++) {
      files.put("data/d" + (i % 6) + "/f" + i + (i % 5 == 0 ? ".tmp" : ".txt"), "n" + i + "\n");
    }
    files.putAll(Map.of("data/keep.tmp", "kept by a negation\n", "data/logs/run.log", "a dir-only rule\n",
        "data/logs.txt", "not the logs directory\n", "data/d1/deep/x.bin", "under **/deep\n",
        "data/d1/deep.bin", "a file named like it\n", "data/anchored.txt", "an anchored rule\n",
        "data/d2/anchored.txt", "not anchored there\n", "data/.git", "a file named .git\n",
        "data/d3/.hg/store", "a .hg directory\n", "data/.hg", "a file named .hg is kept\n"));
    files.putAll(Map.of("data/d3/sub/.dvc/config", "a subrepository, left out whole\n",
        "data/d3/sub/in-subrepo.txt", "not in the manifest\n", "data/d4/.dvcx", "a name that starts like .dvc\n", "data/top.tmp", "top-level ignored\n",
        "data/d5/sp ace.txt", "a space\n", "data/d5/caf\u00e9.txt", "utf-8\n",
        ".dvcignore", "*.tmp\n!keep.tmp\nlogs/\n**/deep/*.bin\n/data/anchored.txt\n"));
    Workspaces.write(base, files);
    Path withDvc = tmp.resolve("ignore-dvc");
    Path withMlops = tmp.resolve("ignore-mlops");
    Path serial = tmp.resolve("ignore-serial");
    Workspaces.copy(base, withDvc);
    Workspaces.copy(base, withMlops);
    Workspaces.copy(base, serial);
    DvcOracle.dvc(withDvc, "add", "-q", "data");
    for (var side : List.of(java.util.Map.entry(withMlops, 2), java.util.Map.entry(serial, 1))) {
      try (Repo repo = Repo.open(side.getKey(), new Workspaces.RecordingLog(), env(), side.getValue())) {
        new Workspace(repo).add(List.of("data"));
      }
      assertEquals(read(withDvc.resolve("data.dvc")), read(side.getKey().resolve("data.dvc")), side.toString());
      assertEquals(Workspaces.snapshot(withDvc.resolve(".dvc/cache")),
          Workspaces.snapshot(side.getKey().resolve(".dvc/cache")), side.toString());
    }
  }

  private static ReproResult.Outcome outcome(ReproResult r, String stage) {
    return r.stages().stream().filter(s -> s.stage().equals(stage)).findFirst().orElseThrow().outcome();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
