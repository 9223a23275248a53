package io.mlops.crash;

import io.mlops.api.TransferOptions;
import io.mlops.harness.GcsServer;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pull} of a 600-file directory from a gs:// remote on fake-gcs-server into an empty cache and workspace. */
class GcsPullCrashTest extends CrashSafety {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @Override
  void prepare(Path root) throws Exception {
    GcsCrash.remote(root, gcs, "shared");
    files(root.resolve("data"), 600, 8);
    try (var m = open(root)) {
      m.add(List.of("data"));
      m.push(TransferOptions.defaults());
    }
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(root.resolve("data"));
  }

  @Override
  List<String> operation() {
    return List.of("pull");
  }
}
