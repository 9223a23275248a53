package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import io.mlops.api.ReproResult;
import io.mlops.api.TransferSummary;
import io.mlops.harness.DvcOracle;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.util.PathUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --run-cache} between the engine and real DVC 3.67.1 through one gs:// remote: the run-cache entries
 * travel under {@code runs/} with the objects of their outputs, and a clone that has neither the lock nor the
 * outputs restores the run from the pulled run-cache instead of running the command.
 */
class RunCacheInteropTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path tmp;
  String bucket;

  @BeforeEach
  void bucket() {
    bucket = GcsTesting.uniqueBucket("runcache");
    gcs.createBucket(bucket);
  }

  /** git + DVC repo with one stage that counts its command's runs in a file outside the repo. */
  private Path repo(String name, String prefix) {
    Path base = Workspaces.initRepo(tmp.resolve(name));
    Workspaces.write(base, Map.of(
        "foo", "foo\n",
        "dvc.yaml", "stages:\n  copy:\n    cmd: cp foo bar && echo ran >> ../" + name + "-runs.log\n"
            + "    deps:\n    - foo\n    outs:\n    - bar\n"));
    gcs.addDvcRemote(base, "store", "gs://" + bucket + "/" + prefix, true);
    return base;
  }

  /** A fresh clone of the repository without the lock, the output and any cache. */
  private Path cloneWithoutLock(Path from, String name) {
    Path to = tmp.resolve(name);
    Workspaces.copy(from, to);
    for (String p : List.of(".dvc/cache", ".dvc/tmp", "bar", "dvc.lock")) {
      PathUtil.deleteRecursively(to.resolve(p));
    }
    return to;
  }

  private Map<String, String> engineEnv() {
    return GcsTesting.env(tmp.resolve("home"));
  }

  private Repo open(Path root) {
    return Repo.open(root, new Workspaces.RecordingLog(), engineEnv(), 1);
  }

  private Map<String, String> runsOnRemote(String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (Blob b : gcs.storage().list(bucket).iterateAll()) {
      if (b.getName().startsWith(prefix + "/runs/")) {
        out.put(b.getName().substring(prefix.length() + 1), new String(b.getContent(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Lines written by the stage's command of the repository first named {@code name}, in any clone of it. */
  private String runsLog(String name) {
    Path log = tmp.resolve(name + "-runs.log");
    try {
      return java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theEngineRestoresARunThatDvcPushedWithItsRunCache() {
    Path base = repo("dvcbase", "from-dvc");
    DvcOracle.dvc(base, "repro", "-q");
    String pushed = DvcOracle.dvc(base, "push", "--run-cache");
    assertTrue(pushed.contains("2 files pushed"), "bar and the run entry: " + pushed);
    assertEquals(Workspaces.runCache(base).stream().map(k -> "runs/" + k).toList(),
        List.copyOf(runsOnRemote("from-dvc").keySet()), "DVC's layout: runs/kk/key/value");

    Path fresh = cloneWithoutLock(base, "fresh");
    Sync.Request withRunCache = new Sync.Request(List.of(), null, 4, false, true);
    try (Repo repo = open(fresh)) {
      TransferSummary s = new Sync(repo).fetch(withRunCache, true);
      assertEquals(1, s.transferred(), "the entry; its output comes when the run is restored: " + s);
    }
    assertEquals(Workspaces.runCache(base), Workspaces.runCache(fresh), "the same entries");
    assertEquals(List.of(), Workspaces.cacheObjects(fresh));
    ReproResult r;
    try (Repo repo = open(fresh)) {
      // what mlops:repro -Dmlops.pull=true does after pulling
      r = new Reproducer(repo, Index.load(repo), engineEnv())
          .withObjectFetcher(new Sync(repo).objectFetcher(withRunCache))
          .run(ReproRequest.defaults());
    }
    assertEquals(List.of(ReproResult.Outcome.RESTORED),
        r.stages().stream().map(ReproResult.StageResult::outcome).toList(), r.toString());
    assertEquals("foo\n", Workspaces.snapshot(fresh, ".git", ".dvc").get("bar"));
    assertEquals("ran\n", runsLog("dvcbase"), "the command ran once, for DVC, not for the clone");
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc").get("dvc.lock"),
        Workspaces.snapshot(fresh, ".git", ".dvc").get("dvc.lock"), "the lock DVC wrote, restored");
  }

  @Test
  void dvcRestoresARunThatTheEnginePushedWithItsRunCache() {
    Path base = repo("mlopsbase", "from-mlops");
    try (Repo repo = open(base)) {
      ReproResult r = new Reproducer(repo, Index.load(repo), engineEnv()).run(ReproRequest.defaults());
      assertEquals(1, r.count(ReproResult.Outcome.RAN), r.toString());
    }
    try (Repo repo = open(base)) {
      TransferSummary s = new Sync(repo).push(new Sync.Request(List.of(), null, 4, false, true));
      assertEquals(2, s.transferred(), s.toString());
      assertEquals(1, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false, true)).transferred(),
          "entries are pushed again every time, as DVC does; the output is up to date");
    }
    // DVC pushing the same run-cache elsewhere writes the same names and bytes
    gcs.addDvcRemote(base, "dvcside", "gs://" + bucket + "/from-dvc", false);
    DvcOracle.dvc(base, "push", "--run-cache", "-r", "dvcside");
    Map<String, String> byEngine = runsOnRemote("from-mlops");
    assertFalse(byEngine.isEmpty());
    assertEquals(runsOnRemote("from-dvc"), byEngine);

    Path fresh = cloneWithoutLock(base, "fresh");
    String repro = DvcOracle.dvc(fresh, "repro", "--pull");
    assertTrue(repro.contains("Stage 'copy' is cached - skipping run, checking out outputs"), repro);
    assertEquals("ran\n", runsLog("mlopsbase"), "the command ran once, for the engine, not for DVC's clone");
    assertEquals("foo\n", Workspaces.snapshot(fresh, ".git", ".dvc").get("bar"));
  }
}
