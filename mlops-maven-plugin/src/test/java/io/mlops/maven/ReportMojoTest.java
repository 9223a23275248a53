package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.plots.ChartRenderer;
import io.mlops.testing.Fields;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlops:report on a small Git + DVC repository: its Params and Metrics sections are the bytes real DVC 3.67.1
 * prints for {@code params diff HEAD --md} and {@code metrics diff HEAD --md}, report.json holds DVC's
 * {@code --json} diffs, the job summary is appended without image links, and every linked PNG decodes and shows
 * its series.
 */
class ReportMojoTest {
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)]+)\\)");

  @TempDir Path tmp;

  /**
   * A baseline commit (params, a cached metrics file and training history, an image plot; the lock from
   * {@code dvc commit}), then a changed workspace: other epochs and rate, metrics, history and image.
   */
  private Path repo() throws Exception {
    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir);
    DvcOracle.runOk(dir, "git", "init", "-q");
    DvcOracle.dvc(dir, "init", "-q");
    write(dir, "dvc.yaml", """
        stages:
          train:
            cmd: echo
            params:
            - train
            outs:
            - history.csv
            metrics:
            - metrics.json
            plots:
            - sample.png:
                cache: false
        plots:
        - Loss:
            x: epoch
            y:
              history.csv: [train_loss, test_loss]
        """);
    write(dir, "params.yaml", "prepare:\n  seed: 20\ntrain:\n  epochs: 20\n  lr: 0.01\n  batch_size: 1\n");
    write(dir, "metrics.json", "{\"accuracy\": 0.957778, \"loss\": 0.118293, \"f1\": 0.957933}");
    write(dir, "history.csv", history(20, 0));
    image(dir.resolve("sample.png"), 0x3366cc);
    DvcOracle.dvc(dir, "commit", "-f", "-q");
    DvcOracle.runOk(dir, "git", "add", "-A");
    DvcOracle.runOk(dir, "git", "commit", "-q", "-m", "baseline");

    write(dir, "params.yaml", "prepare:\n  seed: 20\ntrain:\n  epochs: 12\n  lr: 0.02\n  batch_size: 1\n");
    write(dir, "metrics.json", "{\"accuracy\": 0.941111, \"loss\": 0.1623456789, \"f1\": 0.957933}");
    write(dir, "history.csv", history(12, 0.05));
    image(dir.resolve("sample.png"), 0xcc3333);
    return dir;
  }

  private static String history(int epochs, double offset) {
    StringBuilder csv = new StringBuilder("epoch,train_loss,test_loss\n");
    for (int e = 1; e <= epochs; e++) {
      csv.append(e).append(',').append(1.0 / e + offset).append(',').append(1.2 / e + offset + 0.1).append('\n');
    }
    return csv.toString();
  }

  private static void image(Path file, int rgb) throws Exception {
    BufferedImage img = new BufferedImage(48, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 48; x++) {
        img.setRGB(x, y, x < 24 ? rgb : 0xffffff);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private ReportMojo mojo(Path dir, Map<String, String> env) throws Exception {
    ReportMojo mojo = new ReportMojo() {
      @Override
      protected Map<String, String> environment() {
        return env;
      }
    };
    set(mojo, "root", dir.toFile());
    set(mojo, "rev", "HEAD");
    set(mojo, "output", dir.resolve("target/mlops/report").toFile());
    set(mojo, "stepSummary", true);
    return mojo;
  }

  private static String section(String md, String heading, String next) {
    int from = md.indexOf(heading);
    assertTrue(from >= 0, heading + " in:\n" + md);
    from += heading.length();
    int to = md.indexOf(next, from);
    assertTrue(to >= 0, next + " in:\n" + md);
    return md.substring(from, to);
  }

  @Test
  void paramsAndMetricsSectionsAreWhatDvcPrintsAndTheJsonIsDvcsJson() throws Exception {
    Path dir = repo();
    Path summary = tmp.resolve("summary.md");
    Files.writeString(summary, "## Tests\n\n42 passed");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("GITHUB_STEP_SUMMARY", summary.toString());
    mojo(dir, env).execute();

    Path out = dir.resolve("target/mlops/report");
    String md = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
    String sha = DvcOracle.run(List.of("git", "rev-parse", "--short=7", "HEAD"), dir, 60).stdout().strip();
    assertTrue(md.startsWith("# Experiment report: `HEAD (" + sha + ")` → `workspace`\n\n"), md);
    String dvcParams = DvcOracle.dvc(dir, "params", "diff", "HEAD", "--md");
    String dvcMetrics = DvcOracle.dvc(dir, "metrics", "diff", "HEAD", "--md");
    assertTrue(dvcParams.contains("train.epochs") && dvcParams.contains("train.lr"), dvcParams);
    assertTrue(dvcMetrics.contains("accuracy") && !dvcMetrics.contains("f1"), dvcMetrics);
    assertEquals(dvcParams, section(md, "## Params\n\n", "## Metrics\n\n"));
    assertEquals(dvcMetrics, section(md, "## Metrics\n\n", "<details>"));
    assertTrue(md.contains("![Loss](plots/Loss.png)\n"), md);
    assertTrue(md.contains("![sample.png (HEAD)](plots/HEAD/sample.png)\n"), md);

    ObjectMapper json = new ObjectMapper();
    JsonNode report = json.readTree(out.resolve("report.json").toFile());
    assertEquals(json.readTree(DvcOracle.dvc(dir, "params", "diff", "HEAD", "--json")), report.get("params"));
    assertEquals(json.readTree(DvcOracle.dvc(dir, "metrics", "diff", "HEAD", "--json")), report.get("metrics"));
    JsonNode shown = json.readTree(DvcOracle.dvc(dir, "metrics", "show", "--json"));
    assertEquals(shown.get("").get("data"), report.get("workspace_metrics"));
    assertEquals("HEAD", report.get("revisions").get("baseline").get("rev").asText());
    assertEquals(sha, report.get("revisions").get("baseline").get("short").asText());
    assertTrue(report.get("revisions").get("baseline").get("commit").asText().startsWith(sha));
    assertEquals("workspace", report.get("revisions").get("workspace").get("rev").asText());
    List<String> images = new ArrayList<>();
    report.get("plots").forEach(p -> p.get("images").forEach(i -> images.add(i.asText())));
    assertEquals(List.of("plots/Loss.png", "plots/sample.png", "plots/HEAD/sample.png"), images);
    assertEquals("[\"workspace\",\"HEAD\"]", report.get("plots").get(0).get("revisions").toString());

    String appended = Files.readString(summary, StandardCharsets.UTF_8);
    assertTrue(appended.startsWith("## Tests\n\n42 passed\n\n# Experiment report: "), appended);
    assertTrue(appended.contains(dvcParams) && appended.contains(dvcMetrics), appended);
    assertFalse(appended.contains("!["), "no image links in a job summary:\n" + appended);
    assertTrue(appended.contains("`target/mlops/report/plots/`") && appended.contains("workflow artifact"),
        appended);
    assertTrue(appended.contains("- Loss: `Loss.png`\n"), appended);
  }

  @Test
  void theReportAndItsPlotsRender() throws Exception {
    Path dir = repo();
    mojo(dir, Map.of()).execute();
    Path out = dir.resolve("target/mlops/report");
    String md = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
    Matcher m = IMAGE.matcher(md);
    int charts = 0;
    int images = 0;
    while (m.find()) {
      Path png = out.resolve(m.group(2));
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, "decodes: " + png);
      Map<Integer, Integer> colours = new HashMap<>();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          colours.merge(img.getRGB(x, y) & 0xffffff, 1, Integer::sum);
        }
      }
      if (m.group(1).equals("Loss")) {
        charts++;
        assertEquals(ChartRenderer.WIDTH, img.getWidth(), png.toString());
        assertEquals(ChartRenderer.HEIGHT, img.getHeight(), png.toString());
        assertTrue(colours.size() >= 6, "axes, grid, text and series: " + colours.size() + " colours");
        // two columns at two revisions: four series, each drawn in its own colour
        for (int s = 0; s < 4; s++) {
          int c = ChartRenderer.seriesColor(s);
          assertTrue(colours.getOrDefault(c, 0) > 100,
              "series " + s + " (#" + Integer.toHexString(c) + "): " + colours.getOrDefault(c, 0) + " pixels");
        }
      } else {
        images++;
        assertEquals(48, img.getWidth());
        assertEquals(24, img.getHeight());
        int expected = m.group(1).contains("(HEAD)") ? 0x3366cc : 0xcc3333;
        assertEquals(24 * 24, colours.getOrDefault(expected, 0), "the image of that revision: " + m.group(0));
      }
    }
    assertEquals(1, charts, md);
    assertEquals(2, images, md);
  }

  @Test
  void anUnchangedWorkspaceSaysNoChanges() throws Exception {
    Path dir = repo();
    DvcOracle.runOk(dir, "git", "checkout", "-q", "--", "params.yaml");
    DvcOracle.dvc(dir, "checkout", "-q", "-f");
    mojo(dir, Map.of()).execute();
    String md = Files.readString(dir.resolve("target/mlops/report/report.md"), StandardCharsets.UTF_8);
    assertTrue(md.contains("## Params\n\nNo changes.\n\n## Metrics\n\nNo changes.\n\n<details>"), md);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("target/mlops/report/report.json").toFile());
    assertEquals(0, report.get("params").size());
    assertEquals(0, report.get("metrics").size());
  }

  @Test
  void unknownRevisionFailsTheBuildNamingItAndWritesNothing() throws Exception {
    Path dir = repo();
    ReportMojo mojo = mojo(dir, Map.of());
    set(mojo, "rev", "no-such-branch");
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("unknown Git revision 'no-such-branch'"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("target/mlops/report")));

    set(mojo, "skipReport", true);
    mojo.execute();
    assertFalse(Files.exists(dir.resolve("target/mlops/report")), "mlops.report.skip");
  }

  private static void write(Path dir, String path, String text) throws Exception {
    Files.writeString(dir.resolve(path), text, StandardCharsets.UTF_8);
  }

  private static void set(Object target, String name, Object value) throws Exception {
    Fields.set(target, name, value);
  }
}
