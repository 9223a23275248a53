package io.mlops.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.internal.yaml.PyStr;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelines whose resolved stages were recorded from the real DVC 3.67.1: each directory under
 * {@code src/test/resources/pipelines} holds a small repository and the {@code expected.txt} that
 * {@code dvc_expected.py} printed for it (Python reprs of every field).
 */
class PipelineOracleTest {
  @TempDir Path repo;

  static Path resources() throws URISyntaxException {
    return Path.of(PipelineOracleTest.class.getResource("/pipelines").toURI());
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("expected.txt")) {
          Files.copy(p, target);
        }
      }
    }
  }

  /** The same rendering as dvc_expected.py. */
  static String render(Pipeline p) {
    StringBuilder sb = new StringBuilder();
    for (StageDef s : p.stages()) {
      sb.append("stage ").append(s.name()).append('\n');
      sb.append("  wdir ").append(PosixPaths.normpath(s.wdir())).append('\n');
      sb.append("  cmd ").append(PyStr.repr(s.cmd())).append('\n');
      sb.append("  deps ").append(PyStr.repr(s.deps())).append('\n');
      List<Object> params = new ArrayList<>();
      for (ParamsDep d : s.params()) {
        params.add(Arrays.asList(d.file(), d.keys(), d.whole()));
      }
      sb.append("  params ").append(PyStr.repr(params)).append('\n');
      List<Object> outs = new ArrayList<>();
      for (OutDef o : s.outs()) {
        outs.add(Arrays.asList(o.path(), o.kind().name(), o.cache(), o.persist(), o.push(), o.remote(), o.desc(),
            o.plotOptions()));
      }
      sb.append("  outs ").append(PyStr.repr(outs)).append('\n');
      sb.append("  flags ").append(PyStr.repr(Arrays.asList(s.frozen(), s.alwaysChanged(), s.desc()))).append('\n');
    }
    sb.append("params ").append(PyStr.repr(p.params())).append('\n');
    sb.append("metrics ").append(PyStr.repr(p.metrics())).append('\n');
    sb.append("plots ").append(PyStr.repr(p.plots())).append('\n');
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"basic", "interpolation", "foreach", "matrix", "nested", "formats", "stagevars", "anchors", "exprs", "nestedctx"})
  void matchesDvc(String name) throws Exception {
    Path dir = resources().resolve(name);
    copyTree(dir, repo);
    String dvcfile = "dvc.yaml";
    if (Files.exists(dir.resolve("dvcfile.txt"))) {
      dvcfile = Files.readString(dir.resolve("dvcfile.txt")).strip();
    }
    String expected = Files.readString(dir.resolve("expected.txt"));
    Pipeline p = PipelineParser.parse(repo, repo.resolve(dvcfile));
    assertEquals(expected, render(p));
    assertEquals(dvcfile, p.dvcfile());
  }
}
