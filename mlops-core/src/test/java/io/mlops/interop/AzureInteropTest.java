package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.AzuriteServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine and real DVC 3.67.1 (dvc-azure, adlfs) share one azure:// remote (Azurite on 127.0.0.1): what one
 * pushes the other pulls byte for byte, both write the same blob names and bytes, and DVC finds the result clean
 * and in sync.
 */
class AzureInteropTest {
  static AzuriteServer azurite;
  String container;

  @TempDir Path tmp;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @BeforeEach
  void container() {
    container = "shared" + Long.toHexString(System.nanoTime());
    azurite.createContainer(container);
  }

  /** A repository made by DVC with a tracked directory and a tracked file, and an azure remote on Azurite. */
  private Path dvcRepo(String name, String prefix) {
    Path base = Workspaces.initRepo(tmp.resolve(name));
    // bigger than one Put Blob (8 MiB): the engine uploads it in blocks, which DVC must read back whole
    byte[] model = new byte[9 * 1024 * 1024 + 17];
    new Random(7).nextBytes(model);
    Workspaces.write(base, Map.of(
        "data/train.csv", "x,y\n1,2\n3,4\n",
        "data/nested/notes.txt", "notes\n",
        "data/nested/empty.txt", ""));
    try {
      java.nio.file.Files.write(base.resolve("model.bin"), model);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    DvcOracle.dvc(base, "add", "-q", "data");
    DvcOracle.dvc(base, "add", "-q", "model.bin");
    addRemote(base, "store", prefix, true);
    return base;
  }

  private void addRemote(Path repo, String name, String prefix, boolean isDefault) {
    if (isDefault) {
      DvcOracle.dvc(repo, "remote", "add", "-d", name, "azure://" + container + "/" + prefix);
    } else {
      DvcOracle.dvc(repo, "remote", "add", name, "azure://" + container + "/" + prefix);
    }
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "connection_string", azurite.connectionString());
  }

  /** A copy without cache, outputs or DVC's temporary state (its remote index). */
  private Path freshCopy(Path from, String name) {
    Path to = tmp.resolve(name);
    Workspaces.copy(from, to);
    PathUtil.deleteRecursively(to.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(to.resolve(".dvc/tmp"));
    PathUtil.deleteRecursively(to.resolve("data"));
    PathUtil.deleteRecursively(to.resolve("model.bin"));
    return to;
  }

  private Map<String, String> engineEnv() {
    return Map.of("HOME", tmp.resolve("home").toString(), "SHELL", "/bin/sh");
  }

  private Sync.Request request() {
    return new Sync.Request(List.of(), null, 4, false);
  }

  /** Blob names under a prefix, relative to it, with their bytes. */
  private Map<String, String> objectsUnder(String prefix) {
    Map<String, String> out = new TreeMap<>();
    azurite.blobs(container).forEach((k, v) -> {
      if (k.startsWith(prefix + "/")) {
        out.put(k.substring(prefix.length() + 1), v);
      }
    });
    return out;
  }

  @Test
  void enginePullsWhatDvcPushed() {
    Path base = dvcRepo("base", "from-dvc");
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("5 files pushed"), pushed);
    Map<String, String> remote = objectsUnder("from-dvc");
    assertEquals(Workspaces.cacheFiles(base).keySet().stream().map(k -> "files/" + k).toList(),
        List.copyOf(remote.keySet()), "DVC's layout: <prefix>/files/md5/xx/rest");

    Path fresh = freshCopy(base, "fresh");
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(fresh, log, engineEnv(), 2)) {
      assertEquals(5, new Sync(repo).pull(request(), false).transferred());
    }
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh), "the same cache objects, byte for byte");
    Workspaces.assertDvcFindsItClean(fresh, "store");
    try (Repo repo = Repo.open(fresh, log, engineEnv(), 2)) {
      assertEquals(0, new Sync(repo).push(request()).transferred(), "the engine finds DVC's objects");
    }
  }

  @Test
  void dvcPullsWhatTheEnginePushed() {
    Path base = dvcRepo("base", "from-mlops");
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(base, log, engineEnv(), 2)) {
      assertEquals(5, new Sync(repo).push(request()).transferred());
    }
    // DVC pushing the same workspace elsewhere writes the same keys and bytes
    addRemote(base, "dvcside", "from-dvc", false);
    DvcOracle.dvc(base, "push", "-r", "dvcside");
    Map<String, String> byEngine = objectsUnder("from-mlops");
    assertEquals(objectsUnder("from-dvc"), byEngine);
    String modelBlob = byEngine.entrySet().stream().filter(e -> e.getValue().length() > 8 * 1024 * 1024)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    assertEquals(2, azurite.client().getBlobContainerClient(container).getBlobClient("from-mlops/" + modelBlob)
        .getBlockBlobClient().listBlocks(com.azure.storage.blob.models.BlockListType.COMMITTED)
        .getCommittedBlocks().size(), "the engine sent model.bin in two blocks");
    assertFalse(byEngine.isEmpty());

    Path fresh = freshCopy(base, "fresh");
    String pulled = DvcOracle.dvc(fresh, "pull");
    assertTrue(pulled.contains("5 files fetched"), pulled);
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh));
    Workspaces.assertDvcFindsItClean(fresh, "store");
    String again = DvcOracle.dvc(base, "push");
    assertTrue(again.contains("Everything is up to date."), again);
    assertEquals("x,y\n1,2\n3,4\n",
        Workspaces.snapshot(fresh, ".git", ".dvc").get("data/train.csv"), "content as written");
  }
}
