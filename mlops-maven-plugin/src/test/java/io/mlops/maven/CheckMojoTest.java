package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.testing.Fields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops:check}: thresholds against the workspace's metrics, absolute and relative to a committed baseline
 * (a metrics file in DVC's cache, so the baseline value comes from the cache at that revision).
 */
class CheckMojoTest {
  @TempDir Path tmp;

  private Path repo() throws Exception {
    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir);
    DvcOracle.runOk(dir, "git", "init", "-q");
    DvcOracle.dvc(dir, "init", "-q");
    Files.writeString(dir.resolve("dvc.yaml"), "stages:\n  evaluate:\n    cmd: cp next.json metrics.json\n"
        + "    deps:\n    - next.json\n    metrics:\n    - metrics.json\n");
    Files.writeString(dir.resolve("next.json"), "{\"f1\": 0.96, \"loss\": 0.2, \"per_class\": {\"a\": 0.9}}");
    DvcOracle.dvc(dir, "repro", "-q");
    DvcOracle.runOk(dir, "git", "add", "-A");
    DvcOracle.runOk(dir, "git", "commit", "-q", "-m", "baseline");
    Files.writeString(dir.resolve("next.json"), "{\"f1\": 0.94, \"loss\": 0.205, \"per_class\": {\"a\": 0.95}}");
    DvcOracle.dvc(dir, "repro", "-q");
    return dir;
  }

  private static CheckMojo mojo(Path dir, String... thresholds) throws Exception {
    CheckMojo m = new CheckMojo();
    Fields.set(m, "root", dir.toFile());
    Fields.set(m, "rev", "HEAD");
    Fields.set(m, "thresholds", List.of(thresholds));
    return m;
  }

  @Test
  void thresholdsThatHoldPass() throws Exception {
    Path dir = repo();
    CheckMojo m = mojo(dir, "f1 >= 0.9", "loss <= baseline + 0.01", "metrics.json:per_class.a >= baseline");
    MavenLogLines log = new MavenLogLines();
    m.setLog(log);
    m.execute();
    assertEquals("All 3 metric threshold(s) hold (baseline HEAD):", log.lines.get(0), String.join("\n", log.lines));
    List<String> rows = log.lines.stream().filter(l -> l.startsWith("| metrics.json")).toList();
    assertEquals(3, rows.size(), String.join("\n", log.lines));
    assertTrue(rows.get(0).contains("| 0.94 ") && rows.get(0).contains("| ok "), rows.get(0));
    assertTrue(rows.get(1).contains("| 0.205 ") && rows.get(1).contains("| 0.2 ") && rows.get(1).contains("| ok "),
        rows.get(1));
    assertTrue(rows.get(2).contains("| 0.95 ") && rows.get(2).contains("| 0.9 ") && rows.get(2).contains("| ok "),
        rows.get(2));
  }

  @Test
  void aRegressionFailsTheBuildWithATableOfWhatRegressed() throws Exception {
    Path dir = repo();
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> mojo(dir, "f1 >= baseline - 0.01", "loss <= baseline + 0.01", "f1 >= 0.95").execute());
    String m = e.getMessage();
    assertTrue(m.startsWith("2 of 3 metric threshold(s) failed (baseline HEAD):"), m);
    List<String> rows = m.lines().filter(l -> l.startsWith("| metrics.json")).toList();
    assertEquals(3, rows.size(), m);
    assertTrue(rows.get(0).contains("| 0.94 ") && rows.get(0).contains("| 0.96 ") && rows.get(0).contains("| 0.95 ")
        && rows.get(0).contains("FAILED"), rows.get(0));
    assertTrue(rows.get(1).contains("| ok "), rows.get(1));
    assertTrue(rows.get(2).contains("FAILED"), rows.get(2));
  }

  @Test
  void aBadRuleOrAnUnknownMetricFailsNamingIt() throws Exception {
    Path dir = repo();
    MojoFailureException bad = assertThrows(MojoFailureException.class, () -> mojo(dir, "f1 => 0.9").execute());
    assertTrue(bad.getMessage().contains("cannot read the metric threshold `f1 => 0.9`"), bad.getMessage());
    MojoFailureException unknown = assertThrows(MojoFailureException.class, () -> mojo(dir, "auc >= 0.9").execute());
    assertTrue(unknown.getMessage().contains("names auc, which no metrics file"), unknown.getMessage());
    MojoFailureException rev = assertThrows(MojoFailureException.class, () -> {
      CheckMojo m = mojo(dir, "f1 >= baseline");
      Fields.set(m, "rev", "nope");
      m.execute();
    });
    assertTrue(rev.getMessage().contains("unknown Git revision 'nope'"), rev.getMessage());
  }
}
