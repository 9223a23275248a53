package io.mlops.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interpolation and loading errors. The expected texts are the messages DVC 3.67.1 raised for the same files
 * (ANSI colours removed); the expected line is where the problem is in dvc.yaml.
 */
class PipelineErrorsTest {
  @TempDir Path repo;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("stages:\n  s:\n    cmd: echo ${x}\n", null,
            "failed to parse 'stages.s.cmd' in 'dvc.yaml': Could not find 'x'", 3),
        Arguments.of("vars:\n  - x: [1]\nstages:\n  s:\n    cmd: echo\n    deps:\n      - ${x[3]}\n", null,
            "failed to parse 'stages.s.deps' in 'dvc.yaml': Could not find 'x.3'", 7),
        Arguments.of("stages:\n  s:\n    foreach: [a]\n    do:\n      cmd: echo ${key} ${x[3]}\n", null,
            "failed to parse 'stages.s@a.cmd' in 'dvc.yaml': Could not find 'key'", 5),
        Arguments.of("stages:\n  s:\n    foreach: [a]\n    do:\n      cmd: echo ${x[3]}\n", null,
            "failed to parse 'stages.s@a.cmd' in 'dvc.yaml': Could not find 'x[3]'", 5),
        Arguments.of("vars:\n  - x: {a: 1}\nstages:\n  s:\n    cmd: echo\n    deps:\n      - a${x}\n", null,
            "failed to parse 'stages.s.deps' in 'dvc.yaml':\nCannot interpolate data of type 'dict'", 7),
        Arguments.of("vars:\n  - x: [1]\nstages:\n  s:\n    cmd: echo ${x}\n", null,
            "failed to parse 'stages.s.cmd' in 'dvc.yaml':\nCannot interpolate data of type 'list'", 5),
        Arguments.of("vars:\n  - x: {a: [[1]]}\nstages:\n  s:\n    cmd: echo ${x}\n", null,
            "failed to parse 'stages.s.cmd' in 'dvc.yaml':\nCannot interpolate nested iterable in 'a'", 5),
        Arguments.of("vars:\n  - x: 1\n  - x: 2\nstages:\n  s:\n    cmd: echo\n", "y: 1\n",
            "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'x' from 'vars[1]' as it already exists in"
                + " 'vars[0]'", 3),
        Arguments.of("vars:\n  - y: {a: 2}\nstages:\n  s:\n    cmd: echo\n", "y: {a: 1}\n",
            "failed to parse 'vars' in 'dvc.yaml':\ncannot redefine 'y.a' from 'vars[0]' as it already exists in"
                + " 'params.yaml'", 2),
        Arguments.of("vars:\n  - params.yaml:a\n  - params.yaml:b\nstages:\n  s:\n    cmd: echo\n", null,
            "failed to parse 'vars' in 'dvc.yaml':\ncannot partially load 'params.yaml:a' as it's already loaded.", 2),
        Arguments.of("vars:\n  - nope.yaml\nstages:\n  s:\n    cmd: echo\n", null,
            "failed to parse 'vars' in 'dvc.yaml': 'nope.yaml' does not exist", 2),
        Arguments.of("vars:\n  - params.yaml:zz\n", "a: 1\n",
            "failed to parse 'vars' in 'dvc.yaml':\ncannot partially load 'params.yaml:zz' as it's already loaded.",
            2),
        Arguments.of("vars:\n  - x: ${y}\nstages:\n  s:\n    cmd: echo\n", null,
            "failed to parse 'vars' in 'dvc.yaml': interpolating is not allowed", 1),
        Arguments.of("stages:\n  s:\n    vars:\n      - x: ${y}\n    cmd: echo\n", null,
            "failed to parse 'stages.s.vars' in 'dvc.yaml': interpolating is not allowed", 3),
        Arguments.of("vars:\n  - x: 1\nstages:\n  s:\n    vars:\n      - x: 2\n    cmd: echo\n", null,
            "failed to parse stage 's' in 'dvc.yaml':\ncannot redefine 'x' from 's.vars[0]' as it already exists in"
                + " 'vars[0]'", 6),
        Arguments.of("stages:\n  s:\n    vars:\n      - params.yaml:a\n    cmd: echo\n", "a: 1\n",
            "failed to parse 'stages.s.vars' in 'dvc.yaml':\ncannot partially load 'params.yaml:a' as it's already"
                + " loaded.", 4),
        Arguments.of("stages:\n  s:\n    foreach: [1]\n    do:\n      vars:\n        - item: 3\n      cmd: echo\n",
            null, "failed to parse stage 's@1' in 'dvc.yaml': attempted to modify reserved key item", 6),
        Arguments.of("stages:\n  s:\n    cmd: echo ${x.}\n", null,
            "failed to parse 'stages.s.cmd' in 'dvc.yaml':\n${x.}\n   ^\nParseException: Expected end of text, found"
                + " '.'  (at char 3), (line:1, col:4)", 3),
        Arguments.of("stages:\n  s:\n    cmd: echo ${}\n", null,
            "failed to parse 'stages.s.cmd' in 'dvc.yaml':\n${}\n  ^\nParseException: Expected !W:(.[]), found '}'"
                + "  (at char 2), (line:1, col:3)", 3),
        Arguments.of("vars:\n  - n: 3\nstages:\n  s:\n    foreach: ${n}\n    do:\n      cmd: echo\n", null,
            "failed to resolve 'stages.s.foreach' in 'dvc.yaml': expected list/dictionary, got int", 5),
        Arguments.of("stages:\n  s:\n    foreach: ${nope}\n    do:\n      cmd: echo\n", null,
            "failed to parse 'stages.s.foreach' in 'dvc.yaml': Could not find 'nope'", 3),
        Arguments.of("stages:\n  s:\n    matrix:\n      a: ${nope}\n    cmd: echo\n", null,
            "failed to parse 'stages.s.matrix' in 'dvc.yaml': Could not find 'nope'", 3),
        Arguments.of("stages:\n  s:\n    cmd: echo\n    params:\n      - p.yaml: x\n", null,
            "Expected list of params for custom params file 'p.yaml', got 'str'.", 5),
        Arguments.of("stages:\n  s:\n    cmd: echo\n    plots:\n      - p.csv: [{x: a}]\n", null,
            "Expected dict for 'p.csv', got: 'list'", 5),
        Arguments.of("params:\n  - ${nope}\nstages:\n  s:\n    cmd: echo\n", null,
            "failed to parse 'params.0' in 'dvc.yaml': Could not find 'nope'", 2),
        Arguments.of("stages:\n  s:\n    cmd: echo\n    wdir: ${nope}\n", null,
            "failed to parse 'stages.s.wdir' in 'dvc.yaml': Could not find 'nope'", 4),
        Arguments.of("vars:\n  - params.yaml\n", "- 1\n",
            "failed to parse 'vars' in 'dvc.yaml': expected a dictionary, got 'list' in file 'params.yaml'", 1));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reportsLikeDvc(String dvcYaml, String paramsYaml, String dvcMessage, int line) throws Exception {
    Path file = repo.resolve("dvc.yaml");
    Files.writeString(file, dvcYaml);
    if (paramsYaml != null) {
      Files.writeString(repo.resolve("params.yaml"), paramsYaml);
    } else if (dvcYaml.contains("params.yaml:a")) {
      Files.writeString(repo.resolve("params.yaml"), "a: 1\nb: 2\n");
    }
    MlopsException e = assertThrows(MlopsException.class, () -> PipelineParser.parse(repo, file));
    assertTrue(e.getMessage().contains(dvcMessage), () -> "expected DVC's\n" + dvcMessage + "\nin\n" + e.getMessage());
    assertEquals(file, e.file());
    assertEquals(line, e.line(), e::getMessage);
    assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e::getMessage);
    assertNotNull(e.hint(), e::getMessage);
  }
}
