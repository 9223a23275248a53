package io.mlops.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineParserTest {
  @TempDir Path repo;

  private Path write(String rel, String text) throws Exception {
    Path p = repo.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private Pipeline parse(String dvcYaml) throws Exception {
    return PipelineParser.parse(repo, write("dvc.yaml", dvcYaml));
  }

  private MlopsException parseError(String dvcYaml) throws Exception {
    Path file = write("dvc.yaml", dvcYaml);
    MlopsException e = assertThrows(MlopsException.class, () -> PipelineParser.parse(repo, file));
    assertEquals(file, e.file(), e::getMessage);
    assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
    return e;
  }

  private static StageDef stage(Pipeline p, String name) {
    return p.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  // ------------------------------------------------------------------------------------------------ basics

  @Test
  void simpleStage() throws Exception {
    Pipeline p =
        parse(
            """
            # a comment
            stages:
              prepare:
                cmd: python prepare.py
                deps: [data.csv]
                outs: [prepared]

              train:
                cmd: python train.py
            """);
    assertEquals("dvc.yaml", p.dvcfile());
    assertEquals(2, p.stages().size());
    StageDef s = p.stages().get(0);
    assertEquals("prepare", s.name());
    assertEquals("dvc.yaml", s.dvcfile());
    assertEquals(".", s.wdir());
    assertEquals("python prepare.py", s.cmd());
    assertEquals(List.of("python prepare.py"), s.commands());
    assertEquals(List.of("data.csv"), s.deps());
    assertEquals(List.of(OutDef.simple("prepared")), s.outs());
    assertEquals(3, s.line());
    assertEquals("prepare", s.address());
    assertEquals(8, p.stages().get(1).line());
    assertFalse(s.frozen());
    assertFalse(s.alwaysChanged());
    assertNull(s.desc());
  }

  @Test
  void cmdListAndMultiLine() throws Exception {
    Pipeline p =
        parse(
            """
            stages:
              a:
                cmd:
                  - echo 1
                  - echo 2
              b:
                cmd: |
                  echo 1
                  echo 2
            """);
    assertEquals(List.of("echo 1", "echo 2"), stage(p, "a").cmd());
    assertEquals("echo 1\necho 2\n", stage(p, "b").cmd());
    assertEquals(List.of("echo 1", "echo 2"), stage(p, "b").commands());
  }

  @Test
  void emptyFileIsAnEmptyPipeline() throws Exception {
    Pipeline p = parse("# nothing yet\n");
    assertTrue(p.stages().isEmpty());
    assertTrue(p.params().isEmpty());
    assertTrue(p.metrics().isEmpty());
    assertTrue(p.plots().isEmpty());
  }

  @Test
  void missingFile() {
    MlopsException e =
        assertThrows(MlopsException.class, () -> PipelineParser.parse(repo, repo.resolve("dvc.yaml")));
    assertEquals(repo.resolve("dvc.yaml"), e.file());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void nestedDvcfileAddress() throws Exception {
    Path file = write("sub/dir/dvc.yaml", "stages:\n  s:\n    cmd: echo\n");
    Pipeline p = PipelineParser.parse(repo, file);
    assertEquals("sub/dir/dvc.yaml", p.dvcfile());
    assertEquals("sub/dir/dvc.yaml", p.stages().get(0).dvcfile());
    assertEquals("sub/dir/dvc.yaml:s", p.stages().get(0).address());
  }

  @Test
  void duplicateStageNameIsAYamlError() throws Exception {
    MlopsException e = parseError("stages:\n  a:\n    cmd: echo\n  a:\n    cmd: x\n");
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("duplicate key \"a\""), e.getMessage());
  }

  @Test
  void yamlSyntaxError() throws Exception {
    MlopsException e = parseError("stages:\n  a:\n    cmd: [\n");
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------------ params

  @Test
  void paramsMergePerFileInFirstSeenOrder() throws Exception {
    Pipeline p =
        parse(
            """
            stages:
              s:
                cmd: echo
                params:
                  - lr
                  - custom.yaml: [a, b.c]
                  - epochs
                  - custom.yaml: [d]
                  - whole.json:
                  - other.toml: []
                  - whole.json: [ignored]
                  - lr
            """);
    assertEquals(
        List.of(
            new ParamsDep("params.yaml", List.of("lr", "epochs", "lr"), false),
            new ParamsDep("custom.yaml", List.of("a", "b.c", "d"), false),
            new ParamsDep("whole.json", List.of(), true),
            new ParamsDep("other.toml", List.of(), true)),
        stage(p, "s").params());
  }

  @Test
  void wholeParamsYamlDropsBareKeys() throws Exception {
    Pipeline p = parse("stages:\n  s:\n    cmd: echo\n    params:\n      - a\n      - params.yaml:\n      - b\n");
    assertEquals(List.of(new ParamsDep("params.yaml", List.of(), true)), stage(p, "s").params());
  }

  // ------------------------------------------------------------------------------------------------ outs

  @Test
  void outsMetricsPlotsWithFlags() throws Exception {
    Pipeline p =
        parse(
            """
            stages:
              s:
                cmd: echo
                plots:
                  - roc.csv:
                      y: tpr
                      x: fpr
                      cache: false
                metrics:
                  - m.json:
                      push: false
                      desc: metrics
                outs:
                  - model.pkl:
                      cache: false
                      persist: true
                      remote: store
                      checkpoint: true
                      type: model
                      labels: [a]
                      meta: {any: thing}
                  - logs
                  - logs:
                      push: false
            """);
    List<OutDef> outs = stage(p, "s").outs();
    assertEquals(4, outs.size());
    assertEquals(new OutDef("model.pkl", OutDef.Kind.OUT, false, true, true, "store", null, Map.of()), outs.get(0));
    assertEquals(new OutDef("logs", OutDef.Kind.OUT, true, false, false, null, null, Map.of()), outs.get(1));
    assertEquals(new OutDef("m.json", OutDef.Kind.METRIC, true, false, false, null, "metrics", Map.of()),
        outs.get(2));
    OutDef plot = outs.get(3);
    assertEquals(OutDef.Kind.PLOT, plot.kind());
    assertFalse(plot.cache());
    assertEquals(List.of("x", "y"), List.copyOf(plot.plotOptions().keySet()), "DVC's PLOT_PROPS order");
  }

  @Test
  void topLevelSections() throws Exception {
    Pipeline p =
        parse(
            """
            params:
              - custom.yaml
            metrics:
              - metrics.json
            plots:
              - loss.csv
              - roc:
                  x: fpr
                  y: {roc.csv: tpr}
              - empty:
            """);
    assertEquals(List.of("custom.yaml"), p.params());
    assertEquals(List.of("metrics.json"), p.metrics());
    assertEquals(3, p.plots().size());
    assertEquals("loss.csv", p.plots().get(0));
    assertEquals(Map.of("roc", Map.of("x", "fpr", "y", Map.of("roc.csv", "tpr"))), p.plots().get(1));
    assertTrue(((Map<?, ?>) p.plots().get(2)).containsKey("empty"));
  }

  // ------------------------------------------------------------------------------------------------ interpolation

  @Test
  void interpolationEverywhere() throws Exception {
    write("params.yaml", "dir: data\nfile: raw.csv\nlr: 0.5\nflag: false\nmodel: {name: m, keep: true}\n");
    write("data/extra.yaml", "suffix: bin\n");
    Pipeline p =
        parse(
            """
            stages:
              s:
                wdir: ${dir}
                vars:
                  - extra.yaml
                cmd: python x.py --lr ${lr} --flag ${flag}
                deps:
                  - ${file}
                params:
                  - ../params.yaml:
                      - lr
                      - model.${model.name}
                outs:
                  - out.${suffix}:
                      desc: out of ${model.name}
                  - ${model.name}.${suffix}
                desc: keep=${model.keep}
            """);
    StageDef s = stage(p, "s");
    assertEquals("data", s.wdir());
    assertEquals("python x.py --lr 0.5 --flag false", s.cmd());
    assertEquals(List.of("raw.csv"), s.deps());
    assertEquals(List.of(new ParamsDep("../params.yaml", List.of("lr", "model.m"), false)), s.params());
    assertEquals("out.bin", s.outs().get(0).path());
    assertEquals("out of m", s.outs().get(0).desc());
    assertEquals("m.bin", s.outs().get(1).path());
    assertEquals("keep=true", s.desc());
  }

  @Test
  void wholeStringKeepsTypeButCmdBecomesString() throws Exception {
    write("params.yaml", "n: 5\nname: x\n");
    Pipeline p = parse("stages:\n  s:\n    cmd: ${name}\n    outs:\n      - ${n}.txt\n");
    assertEquals("x", stage(p, "s").cmd());
    assertEquals("5.txt", stage(p, "s").outs().get(0).path());
  }

  @Test
  void dictInCmdHonoursParsingOptions() throws Exception {
    write("params.yaml", "args: {quiet: false, verbose: true, layers: [1, 'a b'], opt: {lr: 0.1}}\n");
    Path file = write("dvc.yaml", "stages:\n  s:\n    cmd: run ${args}\n");
    assertEquals("run --verbose --layers 1 'a b' --opt.lr 0.1",
        PipelineParser.parse(repo, file).stages().get(0).cmd());
    Pipeline p = PipelineParser.parse(repo, file, new PipelineParser.Options(true, true, null));
    assertEquals("run --no-quiet --verbose --layers 1 --layers 'a b' --opt.lr 0.1", p.stages().get(0).cmd());
  }

  @Test
  void escapedInterpolation() throws Exception {
    Pipeline p = parse("stages:\n  s:\n    cmd: echo \\${HOME} and '\\${x}'\n");
    assertEquals("echo ${HOME} and '${x}'", stage(p, "s").cmd());
  }

  @Test
  void itemInVarsIsOverwrittenWithAWarning() throws Exception {
    List<String> warnings = new ArrayList<>();
    EngineLog log =
        new EngineLog() {
          @Override
          public void info(String message) {}

          @Override
          public void warn(String message) {
            warnings.add(message);
          }

          @Override
          public void error(String message) {}

          @Override
          public void debug(String message) {}
        };
    Path file =
        write("dvc.yaml", "vars:\n  - item: 1\nstages:\n  s:\n    foreach: [a]\n    do:\n      cmd: echo ${item}\n");
    Pipeline p = PipelineParser.parse(repo, file, new PipelineParser.Options(false, false, log));
    assertEquals("echo a", p.stages().get(0).cmd());
    assertEquals(List.of("item is already specified, will be overwritten for stages generated from 's'"), warnings);
  }

  // ------------------------------------------------------------------------------------------------ foreach/matrix

  @Test
  void foreachLines() throws Exception {
    Pipeline p =
        parse(
            """
            stages:
              first:
                cmd: echo
              gen:
                foreach: [a, b]
                do:
                  cmd: echo ${item}
            """);
    assertEquals(List.of("first", "gen@a", "gen@b"), p.stages().stream().map(StageDef::name).toList());
    assertEquals(4, stage(p, "gen@a").line());
    assertEquals(4, stage(p, "gen@b").line());
  }

  @Test
  void matrixWithMapValues() throws Exception {
    Pipeline p =
        parse(
            """
            stages:
              m:
                matrix:
                  cfg:
                    - {lr: 0.1, name: fast}
                    - {lr: 0.01, name: slow}
                  seed: [1, 2]
                cmd: train --lr ${item.cfg.lr} --seed ${item.seed} --tag ${item.cfg.name}
                outs:
                  - out/${key}
            """);
    assertEquals(
        List.of("m@cfg0-1", "m@cfg0-2", "m@cfg1-1", "m@cfg1-2"),
        p.stages().stream().map(StageDef::name).toList());
    assertEquals("train --lr 0.01 --seed 2 --tag slow", stage(p, "m@cfg1-2").cmd());
    assertEquals("out/cfg1-2", stage(p, "m@cfg1-2").outs().get(0).path());
  }

  @Test
  void emptyForeachAndMatrixGenerateNothing() throws Exception {
    Pipeline p =
        parse("stages:\n  f:\n    foreach: []\n    do:\n      cmd: echo\n  m:\n    matrix:\n      a: []\n"
            + "      b: [1]\n    cmd: echo\n");
    assertTrue(p.stages().isEmpty());
    MlopsException e = parseError("stages:\n  m:\n    matrix: {}\n    cmd: echo\n");
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("matrix has no axes"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------------ schema

  @Test
  void unknownStageKeySuggestsClosest() throws Exception {
    MlopsException e = parseError("stages:\n  a:\n    cmd: echo\n    dep:\n      - x\n");
    assertEquals(4, e.line());
    String m = e.getMessage();
    assertTrue(m.contains("'dvc.yaml' validation failed"), m);
    assertTrue(m.contains("extra keys not allowed: 'dep' (did you mean 'deps'?)"), m);
    assertTrue(m.contains("allowed keys: cmd, wdir, deps, params, outs"), m);
    assertTrue(m.contains("in stages -> a -> dep"), m);
  }

  @Test
  void unknownTopLevelKey() throws Exception {
    MlopsException e = parseError("stage:\n  a:\n    cmd: echo\n");
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("'stage' (did you mean 'stages'?)"), e.getMessage());
    assertTrue(e.getMessage().contains("allowed keys: stages, vars, params, metrics, plots, artifacts, datasets"),
        e.getMessage());
  }

  @Test
  void missingCmdAndWrongKey() throws Exception {
    MlopsException e = parseError("stages:\n  a:\n    cmds: echo\n");
    String m = e.getMessage();
    assertTrue(m.contains("validation failed: 2 errors"), m);
    assertTrue(m.contains("line 3: extra keys not allowed: 'cmds' (did you mean 'cmd'?)"), m);
    assertTrue(m.contains("required key not provided: 'cmd', in stages -> a -> cmd"), m);
    assertEquals(3, e.line());
  }

  @Test
  void typesAreChecked() throws Exception {
    MlopsException e = parseError("stages:\n  a:\n    cmd: echo\n    deps: x\n");
    assertTrue(e.getMessage().contains("expected a list, in stages -> a -> deps"), e.getMessage());
    assertEquals(4, e.line());

    e = parseError("stages:\n  a:\n    cmd: echo\n    deps:\n      - ok\n      - 1\n    frozen: yes\n");
    assertTrue(e.getMessage().contains("line 6: expected str, in stages -> a -> deps -> 1"), e.getMessage());
    assertTrue(e.getMessage().contains("line 7: expected bool, in stages -> a -> frozen"), e.getMessage());
    assertEquals(6, e.line());

    e = parseError("stages:\n  a:\n    cmd: 5\n");
    assertTrue(e.getMessage().contains("expected str or a list, in stages -> a -> cmd"), e.getMessage());

    e = parseError("stages:\n  a:\n    cmd: echo\n    deps:\n");
    assertTrue(e.getMessage().contains("expected a list, in stages -> a -> deps"), e.getMessage());

    e = parseError("stages:\n");
    assertTrue(e.getMessage().contains("expected a dictionary, in stages"), e.getMessage());

    e = parseError("stages:\n  a:\n    cmd: echo\n    frozen: ${x}\n");
    assertTrue(e.getMessage().contains("expected bool, in stages -> a -> frozen"), e.getMessage());

    e = parseError("vars:\n  - 1\n");
    assertTrue(e.getMessage().contains("expected str or a dictionary, in vars -> 0"), e.getMessage());
    assertEquals(2, e.line());

    e = parseError("- 1\n");
    assertTrue(e.getMessage().contains("validation failed: expected a dictionary"), e.getMessage());
  }

  @Test
  void outFlagsAreChecked() throws Exception {
    MlopsException e = parseError("stages:\n  s:\n    cmd: echo\n    outs:\n      - o:\n          cahce: false\n");
    assertTrue(e.getMessage().contains("'cahce' (did you mean 'cache'?)"), e.getMessage());
    assertEquals(6, e.line());

    e = parseError("stages:\n  s:\n    cmd: echo\n    outs:\n      - o: {cache: 1}\n");
    assertTrue(e.getMessage().contains("expected bool, in stages -> s -> outs -> 0 -> o -> cache"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    outs:\n      - o:\n");
    assertTrue(e.getMessage().contains("expected a dictionary, in stages -> s -> outs -> 0 -> o"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    metrics:\n      - m.json: {x: a}\n");
    assertTrue(e.getMessage().contains("extra keys not allowed: 'x'"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    plots:\n      - p.csv: {header: 1}\n");
    assertTrue(e.getMessage().contains("expected bool, in stages -> s -> plots -> 0 -> p.csv -> header"),
        e.getMessage());
  }

  @Test
  void foreachSchema() throws Exception {
    MlopsException e = parseError("stages:\n  s:\n    foreach: [a]\n    cmd: echo\n");
    assertTrue(e.getMessage().contains("extra keys not allowed: 'cmd'"), e.getMessage());
    assertTrue(e.getMessage().contains("required key not provided: 'do'"), e.getMessage());

    e = parseError("stages:\n  s:\n    foreach: 3\n    do:\n      cmd: echo\n");
    assertTrue(e.getMessage().contains("in stages -> s -> foreach"), e.getMessage());
    assertEquals(3, e.line());

    e = parseError("stages:\n  s:\n    foreach: [a]\n    do:\n      cmd: echo\n      depz: [x]\n");
    assertTrue(e.getMessage().contains("'depz' (did you mean 'deps'?)"), e.getMessage());
    assertEquals(6, e.line());

    e = parseError("stages:\n  s:\n    matrix: {a: 5}\n    cmd: x\n");
    assertTrue(e.getMessage().contains("in stages -> s -> matrix -> a"), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------------ paths

  @Test
  void pathsMustStayInTheRepository() throws Exception {
    MlopsException e = parseError("stages:\n  s:\n    cmd: echo\n    deps:\n      - ok\n      - /etc/passwd\n");
    assertEquals(6, e.line());
    assertTrue(e.getMessage().contains("'/etc/passwd' is an absolute path"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    outs:\n      - ../outside\n");
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("outside the repository root"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    wdir: sub\n    outs:\n      - o: {cache: false}\n"
        + "      - ../../x\n");
    assertEquals(7, e.line());

    e = parseError("stages:\n  s:\n    cmd: echo\n    deps:\n      - s3://bucket/key\n");
    assertTrue(e.getMessage().contains("is a URL"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    params:\n      - ../p.yaml: [a]\n");
    assertTrue(e.getMessage().contains("params file '../p.yaml' is outside the repository root"), e.getMessage());

    // inside the repo after normalisation, and datasets: fine
    Pipeline p = parse("stages:\n  s:\n    cmd: echo\n    wdir: sub\n    deps:\n      - ../x\n      - ds://mydata\n");
    assertEquals(List.of("../x", "ds://mydata"), p.stages().get(0).deps());
  }

  @Test
  void wdirMustStayInTheRepository() throws Exception {
    MlopsException e = parseError("stages:\n  s:\n    cmd: echo\n    wdir: /tmp\n");
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("wdir '/tmp' is an absolute path"), e.getMessage());

    e = parseError("stages:\n  s:\n    cmd: echo\n    wdir: ../x\n");
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("wdir '../x' is outside the repository root"), e.getMessage());

    Path file = write("sub/dvc.yaml", "stages:\n  s:\n    cmd: echo\n    wdir: ..\n    deps: [sub/x]\n");
    assertEquals(List.of("sub/x"), PipelineParser.parse(repo, file).stages().get(0).deps());
  }

  @Test
  void interpolatedPathsAreCheckedToo() throws Exception {
    write("params.yaml", "up: ../..\n");
    MlopsException e = parseError("stages:\n  s:\n    cmd: echo\n    outs:\n      - ${up}/x\n");
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("'../../x' is outside the repository root"), e.getMessage());
  }
}
