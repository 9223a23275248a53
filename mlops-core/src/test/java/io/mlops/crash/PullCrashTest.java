package io.mlops.crash;

import io.mlops.api.TransferOptions;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Path;
import java.util.List;

/** {@code pull} of a 1,500-file directory from a local remote into an empty cache and workspace. */
class PullCrashTest extends CrashSafety {
  @Override
  void prepare(Path root) throws Exception {
    PushCrashTest.remote(root);
    files(root.resolve("data"), 1500, 6);
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
