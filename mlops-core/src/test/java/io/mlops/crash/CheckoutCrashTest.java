package io.mlops.crash;

import io.mlops.internal.util.PathUtil;
import java.nio.file.Path;
import java.util.List;

/** {@code checkout} of a 1,500-file directory and a 3 MB file from the cache into an empty workspace. */
class CheckoutCrashTest extends CrashSafety {
  @Override
  void prepare(Path root) {
    files(root.resolve("data"), 1500, 4);
    write(root.resolve("model.bin"), new byte[3 << 20]);
    try (var m = open(root)) {
      m.add(List.of("data", "model.bin"));
    }
    PathUtil.deleteRecursively(root.resolve("data"));
    PathUtil.deleteRecursively(root.resolve("model.bin"));
  }

  @Override
  List<String> operation() {
    return List.of("checkout");
  }
}
