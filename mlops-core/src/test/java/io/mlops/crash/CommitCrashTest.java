package io.mlops.crash;

import java.nio.file.Path;
import java.util.List;

/** {@code commit} of a tracked directory after 1,000 files were added to it, killed while it caches and records. */
class CommitCrashTest extends CrashSafety {
  @Override
  void prepare(Path root) {
    files(root.resolve("data"), 1000, 2);
    try (var m = open(root)) {
      m.add(List.of("data"));
    }
    files(root.resolve("data/more"), 1000, 3);
  }

  @Override
  List<String> operation() {
    return List.of("commit", "data.dvc");
  }
}
