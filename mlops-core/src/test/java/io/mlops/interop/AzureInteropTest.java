package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.testing.AzuriteServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine and real DVC 3.67.1 (dvc-azure, adlfs) share one azure:// remote (Azurite on 127.0.0.1): what one
 * pushes the other pulls byte for byte, both write the same blob names and bytes, and DVC finds the result clean
 * and in sync.
 */
class AzureInteropTest extends RemoteInteropBase {
  static AzuriteServer azurite;
  String container;

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
    Path base = dvcRepo(name, 9 * 1024 * 1024 + 17);
    addRemote(base, "store", prefix, true);
    return base;
  }

  private void addRemote(Path repo, String name, String prefix, boolean isDefault) {
    dvcRemoteAdd(repo, name, "azure://" + container + "/" + prefix, isDefault);
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "connection_string", azurite.connectionString());
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
    assertEquals(cacheKeys(base),
        List.copyOf(remote.keySet()), "DVC's layout: <prefix>/files/md5/xx/rest");

    assertEnginePullsWhatDvcPushed(base);
  }

  @Test
  void dvcPullsWhatTheEnginePushed() {
    Path base = dvcRepo("base", "from-mlops");
    enginePushesAll(base, null);
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

    assertDvcPullsWhatTheEnginePushed(base);
  }
}
