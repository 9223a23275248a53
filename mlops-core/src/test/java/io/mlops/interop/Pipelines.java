package io.mlops.interop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small but complete pipelines used to compare the plugin with real DVC. Commands use only POSIX sh. */
final class Pipelines {
  /** Files to write and paths to {@code dvc add} before reproducing. */
  record Fixture(Map<String, String> files, List<String> dvcAdd) {
    @Override
    public String toString() {
      return files.keySet().toString();
    }
  }

  private Pipelines() {}

  /** The guide's shape: params groups, a tracked raw data dir, directory outs. */
  static Fixture paramGroupsAndDirs() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("params.yaml", "prepare:\n  seed: 20\n  split: 0.75\ntrain:\n  seed: 7\n  lr: 0.001\n  epochs: 3\n"
        + "  layers: [16, 8]\n");
    f.put("data/raw/a.csv", "1,2\n3,4\n5,6\n7,8\n");
    f.put("data/raw/b.csv", "9,10\n");
    f.put("dvc.yaml", """
        stages:
          prepare:
            cmd: mkdir -p data/prepared && head -n 3 data/raw/a.csv > data/prepared/train.csv && tail -n 1 data/raw/a.csv > data/prepared/test.csv
            deps:
            - data/raw
            params:
            - prepare
            outs:
            - data/prepared
          train:
            cmd: mkdir -p model && cat data/prepared/train.csv > model/weights.txt && echo ${train.epochs} ${train.lr} > model/meta.txt
            deps:
            - data/prepared
            params:
            - train.epochs
            - train.lr
            - train.layers
            outs:
            - model
          evaluate:
            cmd: mkdir -p evaluation && printf '{"accuracy":0.5,"loss":1.25}' > evaluation/metrics.json
            deps:
            - model
            - data/prepared/test.csv
            metrics:
            - evaluation/metrics.json:
                cache: false
        """);
    return new Fixture(f, List.of("data/raw"));
  }

  /** foreach over a list and a map, wdir, a whole-file params dep, and commands long enough to fold. */
  static Fixture foreachWdirFolding() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("seed.txt", "seed\n");
    f.put("custom.yaml", "b: 2\na: 1\nnested:\n  z: true\n  y: null\n");
    f.put("params.yaml", "threshold: 0.5\nnames:\n  first: one\n  second: two\n");
    f.put("sub/keep.txt", "keep\n");
    f.put("dvc.yaml", """
        stages:
          gen:
            foreach:
            - a
            - b
            do:
              cmd: mkdir -p out && cat seed.txt > out/${item}.txt && echo ${item} >> out/${item}.txt && echo this command is long enough to be folded by the yaml emitter at eighty columns
              deps:
              - seed.txt
              outs:
              - out/${item}.txt
          named:
            foreach: ${names}
            do:
              cmd: echo ${key}=${item} > ${key}.txt
              outs:
              - ${key}.txt
          combine:
            cmd: cat out/a.txt out/b.txt first.txt second.txt > combined.txt && echo "threshold ${threshold}" >> combined.txt
            deps:
            - out/a.txt
            - out/b.txt
            - first.txt
            - second.txt
            params:
            - threshold
            - custom.yaml:
            outs:
            - combined.txt
          copy:
            wdir: sub
            cmd:
            - cp ../combined.txt copy.txt
            - cat keep.txt >> copy.txt
            deps:
            - ../combined.txt
            - keep.txt
            outs:
            - copy.txt
        """);
    return new Fixture(f, List.of());
  }

  /** matrix, vars from JSON and TOML files and inline maps, params from JSON/TOML files. */
  static Fixture matrixVarsFormats() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("config.json", "{\"size\": 3, \"label\": \"json-label\", \"ratio\": 0.25}\n");
    f.put("settings.toml", "[model]\nkind = \"linear\"\ndepth = 2\n");
    f.put("dvc.yaml", """
        vars:
        - config.json
        - inline:
            word: hello
        stages:
          grid:
            matrix:
              kind: [small, large]
              n: [1, 2]
            cmd: echo ${item.kind} ${item.n} ${size} ${inline.word} > grid-${item.kind}-${item.n}.txt
            outs:
            - grid-${item.kind}-${item.n}.txt
          report:
            cmd: cat grid-small-1.txt grid-large-2.txt > report.txt && echo ${label} ${ratio} >> report.txt
            deps:
            - grid-small-1.txt
            - grid-large-2.txt
            params:
            - config.json:
              - size
              - ratio
            - settings.toml:
              - model.kind
              - model.depth
            outs:
            - report.txt
        """);
    return new Fixture(f, List.of());
  }

  /** metrics, plots and outs with cache: false, persist and desc. */
  static Fixture metricsAndPlots() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("input.txt", "1\n2\n3\n");
    f.put("dvc.yaml", """
        stages:
          score:
            desc: computes the score
            cmd: mkdir -p results && wc -l < input.txt > results/count.txt && printf 'step,loss\\n1,0.5\\n2,0.25\\n' > results/history.csv && printf '{"score":3}' > results/score.json
            deps:
            - input.txt
            outs:
            - results/count.txt:
                desc: the count
            metrics:
            - results/score.json:
                cache: false
            plots:
            - results/history.csv:
                x: step
                y: loss
          log:
            cmd: echo run >> log.txt
            deps:
            - results/count.txt
            outs:
            - log.txt:
                persist: true
        """);
    return new Fixture(f, List.of());
  }
}
