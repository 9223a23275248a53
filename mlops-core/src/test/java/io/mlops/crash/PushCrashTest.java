package io.mlops.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code push} of a 1,500-file directory to a local remote ({@code store/} in the repository). */
class PushCrashTest extends CrashSafety {
  static void remote(Path root) throws java.io.IOException {
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = ../store\n");
  }

  @Override
  void prepare(Path root) throws Exception {
    remote(root);
    files(root.resolve("data"), 1500, 5);
    try (var m = open(root)) {
      m.add(List.of("data"));
    }
  }

  @Override
  List<String> operation() {
    return List.of("push");
  }
}
