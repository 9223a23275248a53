package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.harness.ReproReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops:report} on the digits example after an experiment change: verify, commit, fewer epochs in
 * params.yaml, verify again (train and evaluate rerun), then the report against {@code HEAD} shows the changed
 * param and metrics exactly as real DVC prints them, and links plots that exist and decode.
 */
class ReportIT {
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)]+)\\)");

  @TempDir Path work;

  private static Map<String, String> outcomes(MavenProject p) {
    return ReproReport.read(p.dir()).outcomes();
  }

  @Test
  void reportsAChangedEpochCountAgainstHead() throws IOException {
    MavenProject p = MavenProject.cloneExample("digits", work);
    p.mvnResolving("verify").assertSucceeded();
    p.commit("verified");
    String params = p.read("params.yaml");
    assertTrue(params.contains("  epochs: 20\n"), params);
    p.write("params.yaml", params.replace("  epochs: 20\n", "  epochs: 12\n"));
    p.mvn("verify").assertSucceeded();
    assertEquals("ran", outcomes(p).get("train"));
    assertEquals("ran", outcomes(p).get("evaluate"));

    MavenProject.Run report = p.mvn("mlops:report", "-Dmlops.rev=HEAD");
    report.assertSucceeded();
    Path out = p.dir().resolve("target/mlops/report");
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.startsWith("# Experiment report: `HEAD ("), md);
    assertTrue(Pattern.compile("\\| params\\.yaml +\\| train\\.epochs +\\| 20 +\\| 12 +\\|").matcher(md).find(),
        md);
    for (String metric : List.of("accuracy", "loss")) {
      assertTrue(Pattern.compile("\\| evaluation/metrics\\.json +\\| " + metric + " +\\| [0-9.]+ +\\| [0-9.]+ +\\|"
          + " -?[0-9.e-]+ +\\|").matcher(md).find(), metric + " changed:\n" + md);
    }
    // the same bytes real DVC prints, on the same repository
    String dvcParams = p.dvc("params", "diff", "HEAD", "--md");
    String dvcMetrics = p.dvc("metrics", "diff", "HEAD", "--md");
    assertTrue(md.contains("## Params\n\n" + dvcParams + "## Metrics\n\n" + dvcMetrics), md + "\n---\n"
        + dvcParams + dvcMetrics);

    Matcher m = IMAGE.matcher(md);
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      Path png = out.resolve(m.group(2));
      assertTrue(Files.isRegularFile(png), png.toString());
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, "decodes: " + png);
      assertTrue(img.getWidth() >= 200 && img.getHeight() >= 150, png + ": " + img.getWidth() + "x"
          + img.getHeight());
      ids.add(m.group(1));
    }
    assertTrue(ids.containsAll(List.of("Loss", "Accuracy", "evaluation/plots/confusion_matrix.png (workspace)",
        "evaluation/plots/confusion_matrix.png (HEAD)")), ids.toString());

    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    JsonNode epochs = json.get("params").get("params.yaml").get("train.epochs");
    assertEquals(20, epochs.get("old").asInt());
    assertEquals(12, epochs.get("new").asInt());
    assertEquals(-8, epochs.get("diff").asInt());
    assertEquals(new ObjectMapper().readTree(p.dvc("metrics", "diff", "HEAD", "--json")), json.get("metrics"));
    assertEquals(List.of("workspace", "HEAD"),
        new ObjectMapper().convertValue(json.get("plots").get(0).get("revisions"), List.class));
  }
}
