package io.mlops.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code repro} of three stages, killed while a stage writes its outputs (800 files, a 4 MB file), while they are
 * cached and while {@code dvc.lock} is written; the stages' own processes die with it.
 */
class ReproCrashTest extends CrashSafety {
  @Override
  void prepare(Path root) throws Exception {
    files(root.resolve("raw"), 300, 7);
    Files.writeString(root.resolve("dvc.yaml"), """
        stages:
          gen:
            cmd: mkdir -p out && for i in $(seq 1 800); do echo "row $i" > out/f$i.txt; done
            deps: [raw]
            outs: [out]
          big:
            cmd: yes 0123456789abcdef | head -c 4000000 > big.txt
            outs: [big.txt]
          total:
            cmd: cat out/f1.txt out/f800.txt big.txt | wc -c > total.txt
            deps: [out, big.txt]
            outs: [total.txt]
        """);
  }

  @Override
  List<String> operation() {
    return List.of("repro");
  }
}
