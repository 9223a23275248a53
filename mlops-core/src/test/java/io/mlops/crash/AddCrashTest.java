package io.mlops.crash;

import java.nio.file.Path;
import java.util.List;

/** {@code add} of a directory of 1,500 files, killed while it hashes, caches and writes {@code data.dvc}. */
class AddCrashTest extends CrashSafety {
  @Override
  void prepare(Path root) {
    files(root.resolve("data"), 1500, 1);
  }

  @Override
  List<String> operation() {
    return List.of("add", "data");
  }
}
