package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.testing.MotoServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine and real DVC 3.67.1 share one S3 remote (moto's server on 127.0.0.1): what one pushes the other
 * pulls byte for byte, both write the same keys, and DVC finds the result clean and in sync.
 */
class S3InteropTest extends RemoteInteropBase {
  static final String BUCKET = "shared-remote";
  static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    System.setProperty("aws.disableEc2Metadata", "true");
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void bucket() {
    moto.reset();
    moto.createBucket(BUCKET);
  }

  /** A repository made by DVC with a tracked directory and a tracked file, and an s3 remote on moto. */
  private Path dvcRepo(String name, String prefix) {
    Path base = dvcRepo(name, 200_000);
    addRemote(base, "store", prefix, true);
    return base;
  }

  private static void addRemote(Path repo, String name, String prefix, boolean isDefault) {
    dvcRemoteAdd(repo, name, "s3://" + BUCKET + "/" + prefix, isDefault);
    DvcOracle.dvc(repo, "remote", "modify", name, "endpointurl", moto.endpoint());
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "access_key_id", MotoServer.ACCESS_KEY);
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "secret_access_key", MotoServer.SECRET_KEY);
  }

  /** Keys under a prefix, relative to it, with their bytes. */
  private Map<String, String> objectsUnder(String prefix) {
    Map<String, String> out = new TreeMap<>();
    moto.objects(BUCKET).forEach((k, v) -> {
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
        List.copyOf(remote.keySet()), "DVC's layout: files/md5/xx/rest");

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
    assertFalse(byEngine.isEmpty());

    assertDvcPullsWhatTheEnginePushed(base);
  }
}
