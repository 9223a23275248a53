package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import io.mlops.api.ReproResult;
import io.mlops.harness.DvcOracle;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine and real DVC 3.67.1 (dvc-gs, gcsfs) share one gs:// remote on a real fake-gcs-server: what one
 * pushes the other pulls byte for byte under the same keys, and a pipeline reproduced by one is up to date for
 * the other, every stage skipped.
 */
class GcsInteropTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path tmp;
  String bucket;

  @BeforeEach
  void bucket() {
    bucket = GcsTesting.uniqueBucket("interop");
    gcs.createBucket(bucket);
  }

  /**
   * A git + DVC repository with a tracked directory, a tracked binary file, and a stage reading both, with a gs
   * remote on the fake server (DVC's options for an emulator: endpointurl, anonymous login).
   */
  private Path repo(String name, String prefix) {
    Path base = Workspaces.initRepo(tmp.resolve(name));
    Workspaces.write(base, Map.of(
        "data/train.csv", "x,y\n1,2\n3,4\n",
        "data/nested/notes.txt", "notes\n",
        "data/nested/empty.txt", "",
        "dvc.yaml", "stages:\n  count:\n    cmd: cat data/train.csv data/nested/notes.txt | wc -l > count.txt\n"
            + "    deps:\n    - data\n    - model.bin\n    outs:\n    - count.txt\n"));
    byte[] model = new byte[300_000];
    new Random(11).nextBytes(model);
    try {
      Files.write(base.resolve("model.bin"), model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DvcOracle.dvc(base, "add", "-q", "data");
    DvcOracle.dvc(base, "add", "-q", "model.bin");
    addRemote(base, "store", prefix, true);
    return base;
  }

  private void addRemote(Path repo, String name, String prefix, boolean isDefault) {
    gcs.addDvcRemote(repo, name, "gs://" + bucket + "/" + prefix, isDefault);
  }

  /** A copy as a fresh clone would be: no cache, no tracked data, no stage output, no DVC temporary state. */
  private Path freshCopy(Path from, String name) {
    Path to = tmp.resolve(name);
    Workspaces.copy(from, to);
    for (String p : List.of(".dvc/cache", ".dvc/tmp", "data", "model.bin", "count.txt")) {
      PathUtil.deleteRecursively(to.resolve(p));
    }
    return to;
  }

  private Map<String, String> engineEnv() {
    return GcsTesting.env(tmp.resolve("home"));
  }

  private Repo open(Path root) {
    return Repo.open(root, new Workspaces.RecordingLog(), engineEnv(), 2);
  }

  private static Sync.Request request() {
    return new Sync.Request(List.of(), null, 4, false);
  }

  private ReproResult repro(Path root) {
    try (Repo repo = open(root)) {
      return new Reproducer(repo, Index.load(repo), engineEnv()).run(ReproRequest.defaults());
    }
  }

  /** Object names under a prefix, relative to it, with their bytes. */
  private Map<String, String> objectsUnder(String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (Blob b : gcs.storage().list(bucket).iterateAll()) {
      if (b.getName().startsWith(prefix + "/")) {
        out.put(b.getName().substring(prefix.length() + 1), new String(b.getContent(), StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  @Test
  void enginePullsWhatDvcPushedAndSkipsEveryStage() {
    Path base = repo("base", "from-dvc");
    DvcOracle.dvc(base, "repro", "-q");
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("6 files pushed"), pushed); // 3 data files + .dir + model.bin + count.txt
    Map<String, String> remote = objectsUnder("from-dvc");
    assertEquals(Workspaces.cacheFiles(base).keySet().stream().map(k -> "files/" + k).toList(),
        List.copyOf(remote.keySet()),
        "DVC's layout: files/md5/xx/rest");

    Path fresh = freshCopy(base, "fresh");
    try (Repo repo = open(fresh)) {
      assertEquals(6, new Sync(repo).pull(request(), false).transferred());
    }
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh), "the same cache objects, byte for byte");

    ReproResult r = repro(fresh);
    assertEquals(List.of(ReproResult.Outcome.SKIPPED),
        r.stages().stream().map(ReproResult.StageResult::outcome).distinct().toList(), r.toString());
    assertFalse(r.lockUpdated(), "dvc.lock as DVC wrote it");
    Workspaces.assertDvcFindsItClean(fresh, "store");
    try (Repo repo = open(fresh)) {
      assertEquals(0, new Sync(repo).push(request()).transferred(), "the engine finds DVC's objects");
    }
  }

  @Test
  void dvcPullsWhatTheEnginePushedAndFindsThePipelineUpToDate() {
    Path base = repo("base", "from-mlops");
    ReproResult r = repro(base);
    assertEquals(1, r.count(ReproResult.Outcome.RAN), r.toString());
    try (Repo repo = open(base)) {
      assertEquals(6, new Sync(repo).push(request()).transferred());
    }
    // DVC pushing the same workspace to another prefix writes the same names and bytes
    addRemote(base, "dvcside", "from-dvc", false);
    DvcOracle.dvc(base, "push", "-r", "dvcside");
    Map<String, String> byEngine = objectsUnder("from-mlops");
    assertEquals(objectsUnder("from-dvc"), byEngine);
    assertEquals(6, byEngine.size());

    Path fresh = freshCopy(base, "fresh");
    String pulled = DvcOracle.dvc(fresh, "pull");
    assertTrue(pulled.contains("6 files fetched"), pulled);
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh));
    Workspaces.assertDvcFindsItClean(fresh, "store");
    String again = DvcOracle.dvc(base, "push");
    assertTrue(again.contains("Everything is up to date."), again);
  }
}
