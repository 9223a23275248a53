package io.mlops.internal.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.api.EngineLog;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.repro.Index;
import io.mlops.internal.yaml.PyStr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plot ids, titles, axis labels, revisions and every data point agree with real DVC's
 * {@code dvc plots show --json --split} (and {@code dvc plots diff <rev>}) for several dvc.yaml shapes.
 */
class PlotsOracleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  private void write(String path, String text) throws Exception {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private void init() {
    git("init", "-q", "-b", "main");
    DvcOracle.dvc(repo, "init", "-q");
  }

  private void git(String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@e.invalid"));
    cmd.addAll(List.of(args));
    DvcOracle.Result r = DvcOracle.run(cmd, repo, 60);
    assertEquals(0, r.exitCode(), r.stdout());
  }

  private JsonNode dvcJson(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--json", "--split"));
    String out = DvcOracle.dvc(repo, all.toArray(String[]::new));
    String json = out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(out));
    return JSON.readTree(json);
  }

  private List<PlotsRenderer.Prepared> ours(List<String> revisions, PlotData data) {
    try (Repo r = Repo.open(repo, EngineLog.console())) {
      return PlotsRenderer.prepare(new PlotsRenderer.Request(repo, Index.pipelineFiles(r), repo.resolve("out"),
          revisions, data, EngineLog.console()));
    }
  }

  /** Compares every plot DVC reports with ours: same ids; per plot labels, revisions and points. */
  private void assertSameAsDvc(JsonNode dvc, List<PlotsRenderer.Prepared> ours) {
    JsonNode data = dvc.get("data");
    Map<String, PlotsRenderer.Prepared> byId = new LinkedHashMap<>();
    ours.forEach(p -> byId.put(p.definition().id(), p));
    List<String> dvcIds = new ArrayList<>();
    data.fieldNames().forEachRemaining(dvcIds::add);
    assertEquals(dvcIds.stream().sorted().toList(), byId.keySet().stream().sorted().toList(), "plot ids");
    for (String id : dvcIds) {
      PlotsRenderer.Prepared p = byId.get(id);
      JsonNode entries = data.get(id);
      if (entries.get(0).get("type").asText().equals("image")) {
        assertTrue(p.definition().isImage(), id);
        assertNull(p.chart());
        continue;
      }
      JsonNode entry = entries.get(0);
      Chart chart = p.chart();
      JsonNode anchors = entry.get("anchor_definitions");
      assertEquals(anchors.get("<DVC_METRIC_TITLE>").asText(), chart.title(), id + " title");
      assertEquals(anchors.get("<DVC_METRIC_X_LABEL>").asText(), chart.xLabel(), id + " x label");
      assertEquals(anchors.get("<DVC_METRIC_Y_LABEL>").asText(), chart.yLabel(), id + " y label");
      List<String> revs = new ArrayList<>();
      entry.get("revisions").forEach(r -> revs.add(r.asText()));
      assertEquals(revs, chart.revisions(), id + " revisions");
      assertEquals(dvcPoints(anchors.get("<DVC_METRIC_DATA>"), chart), ourPoints(chart), id + " data points");
    }
  }

  private static List<String> dvcPoints(JsonNode points, Chart chart) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : points) {
      String yKey = chart.yField();
      out.add(d.get("rev").asText() + " | " + (d.has("filename") ? d.get("filename").asText() + " | " : "")
          + (d.has("field") ? d.get("field").asText() + " | " : "") + text(d.get(chart.xField())) + " | "
          + text(d.get(yKey)));
    }
    return out;
  }

  private static List<String> ourPoints(Chart chart) {
    boolean files = chart.series().stream().map(Chart.Series::file).distinct().count() > 1;
    boolean fields = chart.series().stream().map(Chart.Series::field).distinct().count() > 1;
    List<String> out = new ArrayList<>();
    for (Chart.Series s : chart.series()) {
      for (int i = 0; i < s.xs().size(); i++) {
        out.add(s.rev() + " | " + (files ? s.file() + " | " : "") + (fields ? s.field() + " | " : "")
            + PlotConverter.str(s.xs().get(i)) + " | " + PlotConverter.str(s.ys().get(i)));
      }
    }
    return out;
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return "None";
    }
    if (n.isFloatingPointNumber()) {
      return PyStr.str(n.doubleValue());
    }
    return n.isTextual() ? n.asText() : n.toString();
  }

  @Test
  void digitsShapeTopLevelMappingsStageImagesAndSharedIds() throws Exception {
    init();
    write("model/history.csv", "epoch,train_loss,test_loss,train_accuracy,test_accuracy\n"
        + "1,0.9,1.0,0.5,0.4\n2,0.5,0.7,0.7,0.6\n3,0.3,0.6,0.9,0.8\n");
    Files.createDirectories(repo.resolve("evaluation/plots"));
    Files.write(repo.resolve("evaluation/plots/confusion_matrix.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    write("evaluation/cm.csv", "actual,predicted\n0,0\n1,1\n1,0\n2,2\n");
    write("dvc.yaml", """
        stages:
          evaluate:
            cmd: echo
            plots:
            - evaluation/plots/confusion_matrix.png
            - evaluation/cm.csv:
                template: confusion
                x: actual
                y: predicted
                title: Confusion
            - model/history.csv
        plots:
        - Loss:
            x: epoch
            y:
              model/history.csv: [train_loss, test_loss]
        - Accuracy:
            x: epoch
            y:
              model/history.csv: test_accuracy
            y_label: accuracy
        - model/history.csv:
            y: train_loss
            x_label: row
        """);
    assertSameAsDvc(dvcJson("plots", "show"), ours(List.of("workspace"), new WorkspacePlotData(repo)));
  }

  @Test
  void subdirectoryWdirHeaderlessTsvJsonYamlDirectoriesAndSeveralFiles() throws Exception {
    init();
    // DVC reads the first row of a headerless file with ',' (dvc/repo/plots _load_sv), so only CSV agrees
    write("sub/logs/a.csv", "1,0.5\n2,0.25\n");
    write("sub/logs/b.tsv", "1\t0.7\n2\t0.1\n");
    write("sub/res/train.json", "{\"train\": [{\"step\": 0, \"acc\": 0.5}, {\"step\": 1, \"acc\": 0.75}]}");
    write("sub/res/test.json", "{\"test\": [{\"step\": 0, \"acc\": 0.25}, {\"step\": 1, \"acc\": 0.5}]}");
    write("sub/pr.yaml", "- {recall: 0.1, precision: 1.0}\n- {recall: 0.5, precision: 0.8}\n");
    write("sub/bars.csv", "name,score\nalpha,3\nbeta,5\ngamma,1\n");
    write("sub/dvc.yaml", """
        stages:
          s:
            wdir: res
            cmd: echo
            plots:
            - train.json:
                x: step
                y: acc
          t:
            cmd: echo
            plots:
            - logs/a.csv:
                header: false
                x: '0'
                y: '1'
        plots:
        - res
        - logs
        - Both:
            x: step
            y:
              res/train.json: acc
              res/test.json: acc
        - pr.yaml:
            template: scatter
            x: recall
            y: precision
        - bars.csv:
            template: bar_horizontal_sorted
            x: score
            y: name
        """);
    assertSameAsDvc(dvcJson("plots", "show"), ours(List.of("workspace"), new WorkspacePlotData(repo)));
  }

  @Test
  void diffAgainstACommittedRevisionDrawsBothRevisions() throws Exception {
    init();
    write("history.csv", "epoch,loss\n1,0.9\n2,0.5\n");
    write("cm.csv", "actual,predicted\na,a\nb,a\n");
    write("dvc.yaml", """
        plots:
        - history.csv:
            x: epoch
        - cm.csv:
            template: confusion_normalized
            x: actual
            y: predicted
        """);
    git("add", "-A");
    git("commit", "-q", "-m", "baseline");
    write("history.csv", "epoch,loss\n1,0.8\n2,0.4\n3,0.2\n");
    write("cm.csv", "actual,predicted\na,a\nb,b\n");
    PlotData gitAndWorkspace = (rev, path) -> {
      if (PlotData.WORKSPACE.equals(rev)) {
        return new WorkspacePlotData(repo).read(rev, path);
      }
      DvcOracle.Result r = DvcOracle.run(List.of("git", "show", rev + ":" + path), repo, 60);
      return r.exitCode() == 0 ? Optional.of(r.stdout().getBytes(StandardCharsets.UTF_8)) : Optional.empty();
    };
    List<PlotsRenderer.Prepared> ours = ours(List.of("workspace", "main"), gitAndWorkspace);
    assertSameAsDvc(dvcJson("plots", "diff", "main"), ours);
    Iterator<PlotsRenderer.Prepared> it = ours.iterator();
    assertEquals(List.of("workspace", "main"), it.next().chart().revisions());
  }

  @Test
  void confusionPlotsAreFacetedPerYSourceAndRevisionAsDvcFacetsThem() throws Exception {
    init();
    write("eval/train.json", "[{\"actual\": \"a\", \"predicted\": \"a\", \"p2\": \"b\"},"
        + " {\"actual\": \"a\", \"predicted\": \"b\", \"p2\": \"b\"},"
        + " {\"actual\": \"b\", \"predicted\": \"b\", \"p2\": \"a\"}]");
    write("eval/test.json", "[{\"actual\": \"a\", \"predicted\": \"b\"}, {\"actual\": \"b\", \"predicted\": \"a\"}]");
    write("cm.csv", "actual,predicted\n0,0\n1,1\n1,0\n2,2\n");
    write("dvc.yaml", """
        plots:
        - files:
            template: confusion
            x: actual
            y:
              eval/train.json: predicted
              eval/test.json: predicted
        - fields:
            template: confusion_normalized
            x: actual
            y:
              eval/train.json: [predicted, p2]
        - both:
            template: confusion
            x: actual
            y:
              eval/train.json: [predicted, p2]
              eval/test.json: predicted
        - cm.csv:
            template: confusion
            x: actual
            y: predicted
        """);
    git("add", "-A");
    git("commit", "-q", "-m", "baseline");
    write("eval/train.json", "[{\"actual\": \"a\", \"predicted\": \"a\", \"p2\": \"a\"},"
        + " {\"actual\": \"b\", \"predicted\": \"b\", \"p2\": \"b\"},"
        + " {\"actual\": \"b\", \"predicted\": \"b\", \"p2\": \"a\"}, {\"actual\": \"c\", \"predicted\": \"b\", \"p2\": \"c\"}]");
    PlotData gitAndWorkspace = (rev, path) -> {
      if (PlotData.WORKSPACE.equals(rev)) {
        return new WorkspacePlotData(repo).read(rev, path);
      }
      DvcOracle.Result r = DvcOracle.run(List.of("git", "show", rev + ":" + path), repo, 60);
      return r.exitCode() == 0 ? Optional.of(r.stdout().getBytes(StandardCharsets.UTF_8)) : Optional.empty();
    };
    // the filled Vega-Lite spec (no --split): facet, encoding and the data values with rev and filename/field
    String out = DvcOracle.dvc(repo, "plots", "diff", "main", "--json");
    JsonNode dvc = JSON.readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    Map<String, PlotsRenderer.Prepared> ours = new LinkedHashMap<>();
    ours(List.of("workspace", "main"), gitAndWorkspace).forEach(p -> ours.put(p.definition().id(), p));
    Map<String, Integer> rowsSeen = new LinkedHashMap<>();
    for (String id : List.of("files", "fields", "both", "cm.csv")) {
      JsonNode content = dvc.get("data").get(id).get(0).get("content");
      Chart chart = ours.get(id).chart();
      ChartRenderer.Confusion facets = ChartRenderer.confusionFacets(chart);
      assertEquals("rev", content.get("facet").get("column").get("field").asText(), id);
      JsonNode row = content.get("facet").get("row");
      String rowField = row.has("field") ? row.get("field").asText() : null;
      assertEquals(rowField, facets.rowField(), id + ": the row facet");
      String xField = content.get("spec").get("encoding").get("x").get("field").asText();
      String yField = content.get("spec").get("encoding").get("y").get("field").asText();
      // DVC's matrices: count (x, y) per (row, rev) facet cell, rows and columns in data order (sort: [])
      List<String> dvcRows = new ArrayList<>();
      List<String> dvcRevs = new ArrayList<>();
      Map<String, Long> dvcCounts = new java.util.TreeMap<>();
      java.util.TreeSet<String> xs = new java.util.TreeSet<>();
      java.util.TreeSet<String> ys = new java.util.TreeSet<>();
      for (JsonNode d : content.get("data").get("values")) {
        String r = rowField == null ? "" : d.get(rowField).asText();
        String rev = d.get("rev").asText();
        if (!dvcRows.contains(r)) {
          dvcRows.add(r);
        }
        if (!dvcRevs.contains(rev)) {
          dvcRevs.add(rev);
        }
        xs.add(text(d.get(xField)));
        ys.add(text(d.get(yField)));
        dvcCounts.merge(r + " | " + rev + " | " + text(d.get(xField)) + " | " + text(d.get(yField)), 1L, Long::sum);
      }
      assertEquals(dvcRows, facets.rows(), id + ": rows");
      assertEquals(dvcRevs, facets.revs(), id + ": columns");
      assertEquals(new ArrayList<>(xs), facets.xs(), id + ": x categories");
      assertEquals(new ArrayList<>(ys), facets.ys(), id + ": y categories");
      Map<String, Long> ourCounts = new java.util.TreeMap<>();
      for (int q = 0; q < facets.rows().size(); q++) {
        for (int p = 0; p < facets.revs().size(); p++) {
          for (int j = 0; j < facets.ys().size(); j++) {
            for (int i = 0; i < facets.xs().size(); i++) {
              long n = facets.counts()[q][p][j][i];
              if (n > 0) {
                ourCounts.put(facets.rows().get(q) + " | " + facets.revs().get(p) + " | " + facets.xs().get(i)
                    + " | " + facets.ys().get(j), n);
              }
            }
          }
        }
      }
      assertEquals(dvcCounts, ourCounts, id + ": every matrix's counts");
      rowsSeen.put(id, facets.rows().size());
      // the PNG: one band of matrices per row, so a faceted plot is taller than one row of the same categories
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
          ChartRenderer.render(chart)));
      assertTrue(img != null && img.getHeight() > 0, id);
      rowsSeen.put(id + ".height", img.getHeight());
    }
    assertEquals(Map.of("files", 2, "fields", 2, "both", 3, "cm.csv", 1),
        Map.of("files", rowsSeen.get("files"), "fields", rowsSeen.get("fields"), "both", rowsSeen.get("both"),
            "cm.csv", rowsSeen.get("cm.csv")));
    assertTrue(rowsSeen.get("both.height") > rowsSeen.get("files.height"), rowsSeen.toString());
  }
}
