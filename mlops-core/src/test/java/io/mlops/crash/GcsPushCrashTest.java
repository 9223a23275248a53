package io.mlops.crash;

import io.mlops.harness.GcsServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code push} of a 600-file directory to a gs:// remote on fake-gcs-server, each trial to a bucket of its own: after
 * a kill every object on the remote holds the bytes its name says, and the rerun leaves exactly the objects of an
 * uninterrupted push.
 */
class GcsPushCrashTest extends CrashSafety {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @Override
  void prepare(Path root) throws Exception {
    GcsCrash.remote(root, gcs, "fixture");
    files(root.resolve("data"), 600, 7);
    try (var m = open(root)) {
      m.add(List.of("data"));
    }
  }

  @Override
  void beforeTrial(Path dir, String id) throws Exception {
    GcsCrash.remote(dir, gcs, id);
  }

  @Override
  Map<String, String> remoteObjects(String id) {
    return GcsCrash.objects(gcs, id);
  }

  @Override
  List<String> operation() {
    return List.of("push");
  }
}
