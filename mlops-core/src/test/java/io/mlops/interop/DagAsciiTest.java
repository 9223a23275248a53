package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.api.DagOptions;
import io.mlops.api.Mlops;
import io.mlops.api.MlopsOptions;
import io.mlops.harness.DvcOracle;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain {@code dvc dag}: the ASCII drawing (grandalf's Sugiyama layout, boxes and {@code *} edges) must be DVC
 * 3.67.1's character for character, trailing spaces and the blank-less join of disconnected pipelines included;
 * {@code dir-deps} has a directory dependency on outputs of several stages, whose edges DVC orders by its outputs
 * trie, not by stage.
 *
 * <p>DVC's drawing is not always reproducible: grandalf keeps a pipeline's edges in a Python set of objects (its
 * order follows memory addresses) and the order of dummy points of long edges in a layer follows it; and the nodes
 * of a pipeline smaller than half the graph come from a set of strings (hash-randomized). The projects here were
 * checked to draw the same under every such order, so the comparison is stable.
 */
class DagAsciiTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {
      "chain", "diamond", "fan-out", "fan-in", "disconnected", "long-name", "nested", "ml-pipeline", "dir-deps"})
  void plainDagIsDvcs(String project) {
    Path dir = project(project);
    assertEquals(DvcOracle.dvc(dir, "dag"), mlopsDag(dir), "dag of " + project);
  }

  @ParameterizedTest
  @ValueSource(strings = {"digits", "quickstart"})
  void examplesAreDrawnLikeDvc(String example) {
    Path dir = Workspaces.initRepo(tmp.resolve(example));
    Path from = repoRoot().resolve("examples").resolve(example);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = from.relativize(f).toString();
        if (!rel.startsWith(".dvc/") && !rel.startsWith("target/")) {
          Files.createDirectories(dir.resolve(rel).getParent());
          Files.copy(f, dir.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(DvcOracle.dvc(dir, "dag"), mlopsDag(dir), "dag of examples/" + example);
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "report", "featurize_test", "metrics.json", "data/raw.dvc"})
  void aTargetIsDrawnWithWhatItDependsOn(String target) {
    Path dir = project("ml-pipeline");
    assertEquals(DvcOracle.dvc(dir, "dag", target), mlopsDag(dir, target), "dag " + target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"featurize_test", "validate"})
  void fullDrawsTheTargetsWholePipeline(String target) {
    Path dir = project("disconnected");
    Trees.copy(resource("ml-pipeline"), dir.resolve("ml"));
    String ours;
    try (Mlops m = Mlops.open(dir, MlopsOptions.defaults(), new CapturingLog(false))) {
      ours = m.dag(DagOptions.defaults().targets(List.of("ml/dvc.yaml:" + target)).full(true));
    }
    assertEquals(DvcOracle.dvc(dir, "dag", "--full", "ml/dvc.yaml:" + target), ours, "dag --full " + target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chain", "diamond", "fan-in", "nested", "ml-pipeline", "dir-deps", "foreach"})
  void outsDrawsTheOutputsGraphLikeDvc(String project) {
    Path dir = project(project);
    assertEquals(DvcOracle.dvc(dir, "dag", "--outs"), dag(dir, DagOptions.defaults().outs(true)),
        "dag --outs of " + project);
    assertEquals(DvcOracle.dvc(dir, "dag", "--outs", "--mermaid"),
        dag(dir, DagOptions.defaults().outs(true).mermaid(true)), "dag --outs --mermaid of " + project);
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "featurize_test", "report"})
  void outsOfATargetAreItsOutputsAndWhatTheyAreMadeFrom(String target) {
    Path dir = project("ml-pipeline");
    assertEquals(DvcOracle.dvc(dir, "dag", "--outs", target),
        dag(dir, DagOptions.defaults().outs(true).targets(List.of(target))), "dag --outs " + target);
  }

  @Test
  void collapseForeachMatrixDrawsEachDefinitionAsOneNode() {
    Path dir = project("foreach");
    assertEquals(DvcOracle.dvc(dir, "dag", "--collapse-foreach-matrix"),
        dag(dir, DagOptions.defaults().collapseForeachMatrix(true)));
    assertEquals(DvcOracle.dvc(dir, "dag", "--collapse-foreach-matrix", "--md"),
        dag(dir, DagOptions.defaults().collapseForeachMatrix(true).markdown(true)));
    // and without collapsing, each foreach/matrix stage is a node of its own, as DVC draws it
    assertEquals(DvcOracle.dvc(dir, "dag", "--mermaid"), dag(dir, DagOptions.defaults().mermaid(true)));
  }

  @Test
  void outsAndCollapseTogetherAreRefusedLikeDvc() {
    Path dir = project("foreach");
    DvcOracle.Result dvc = DvcOracle.dvcAllowFailure(dir, "dag", "--outs", "--collapse-foreach-matrix");
    assertEquals(255, dvc.exitCode(), dvc.stdout());
    String expected = "`--outs` and `--collapse-foreach-matrix` are mutually exclusive";
    org.junit.jupiter.api.Assertions.assertTrue(dvc.stdout().contains(expected), dvc.stdout());
    io.mlops.api.MlopsException e = org.junit.jupiter.api.Assertions.assertThrows(io.mlops.api.MlopsException.class,
        () -> dag(dir, DagOptions.defaults().outs(true).collapseForeachMatrix(true)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static String dag(Path dir, DagOptions options) {
    try (Mlops m = Mlops.open(dir, MlopsOptions.defaults(), new CapturingLog(false))) {
      return m.dag(options);
    }
  }

  @Test
  void aProjectWithoutStagesPrintsAnEmptyLine() {
    Path dir = Workspaces.initRepo(tmp.resolve("empty"));
    assertEquals("\n", DvcOracle.dvc(dir, "dag"));
    assertEquals("\n", mlopsDag(dir));
  }

  /** A test project of {@code src/test/resources/dag} in a new git + DVC repository. */
  private Path project(String name) {
    Path dir = Workspaces.initRepo(tmp.resolve(name));
    Trees.copy(resource(name), dir);
    return dir;
  }

  private static Path resource(String name) {
    try {
      return Path.of(DagAsciiTest.class.getResource("/dag/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String mlopsDag(Path dir, String... targets) {
    try (Mlops m = Mlops.open(dir, MlopsOptions.defaults(), new CapturingLog(false))) {
      return m.dag(DagOptions.defaults().targets(List.of(targets)));
    }
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    return p;
  }
}
