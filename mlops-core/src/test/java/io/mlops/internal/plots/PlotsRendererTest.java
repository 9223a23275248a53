package io.mlops.internal.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.api.MlopsException;
import io.mlops.testing.CapturingLog;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files mlops:plots writes, revisions through {@link PlotData}, and errors for bad input. */
class PlotsRendererTest {
  @TempDir Path repo;

  private void write(String path, String text) throws Exception {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private List<PlotsRenderer.Rendered> render(List<String> revs, PlotData data) {
    return PlotsRenderer.render(new PlotsRenderer.Request(repo, List.of(repo.resolve("dvc.yaml")),
        repo.resolve("out"), revs, data, new CapturingLog(false)));
  }

  private List<PlotsRenderer.Rendered> render() {
    return render(List.of(PlotData.WORKSPACE), new WorkspacePlotData(repo));
  }

  /** The digits example's plot definitions on its real training history and images, from its local remote. */
  @Test
  void rendersTheDigitsExamplesPlots() throws Exception {
    Path example = Path.of("..", "examples", "digits").toAbsolutePath().normalize();
    Path remote = example.resolveSibling("digits-remote").resolve("files/md5");
    Files.copy(example.resolve("dvc.yaml"), repo.resolve("dvc.yaml"));
    Files.copy(example.resolve("params.yaml"), repo.resolve("params.yaml"));
    String lock = Files.readString(example.resolve("dvc.lock"));
    String modelDir = md5After(lock, "- path: model\n");
    String manifest = Files.readString(object(remote, modelDir));
    String history = manifest.replaceAll("(?s).*\"md5\": \"([0-9a-f]+)\", \"relpath\": \"history.csv\".*", "$1");
    Files.createDirectories(repo.resolve("model"));
    Files.copy(object(remote, history), repo.resolve("model/history.csv"));
    Files.createDirectories(repo.resolve("evaluation/plots"));
    for (String png : List.of("confusion_matrix.png", "training_history.png")) {
      Files.copy(object(remote, md5After(lock, "- path: evaluation/plots/" + png + "\n")),
          repo.resolve("evaluation/plots/" + png));
    }

    List<PlotsRenderer.Rendered> out = render();
    assertEquals(List.of("Loss", "Accuracy", "evaluation/plots/confusion_matrix.png",
        "evaluation/plots/training_history.png"), out.stream().map(PlotsRenderer.Rendered::id).toList());
    Path dir = repo.resolve("out");
    BufferedImage loss = ImageIO.read(dir.resolve("Loss.png").toFile());
    assertEquals(ChartRenderer.WIDTH, loss.getWidth());
    assertEquals(ChartRenderer.HEIGHT, loss.getHeight());
    assertArrayEquals(Files.readAllBytes(repo.resolve("evaluation/plots/confusion_matrix.png")),
        Files.readAllBytes(dir.resolve("evaluation_plots_confusion_matrix.png")), "images are copied as they are");
    // two series (train_loss, test_loss) in two colours
    int[] counts = new int[2];
    for (int y = 0; y < loss.getHeight(); y++) {
      for (int x = 0; x < loss.getWidth(); x++) {
        int c = loss.getRGB(x, y) & 0xffffff;
        counts[0] += c == ChartRenderer.PALETTE[0] ? 1 : 0;
        counts[1] += c == ChartRenderer.PALETTE[1] ? 1 : 0;
      }
    }
    assertTrue(counts[0] > 200 && counts[1] > 200, java.util.Arrays.toString(counts));

    String index = Files.readString(dir.resolve("index.md"));
    assertTrue(index.contains("## Loss\n\n![Loss (workspace)](Loss.png)\n"), index);
    assertTrue(index.contains("](evaluation_plots_training_history.png)"), index);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("plots.json").toFile());
    assertEquals(4, json.size());
    assertEquals("Accuracy", json.get(1).get("id").asText());
    assertEquals("linear", json.get(1).get("template").asText());
    assertEquals("model/history.csv", json.get(1).get("files").get(0).asText());
    assertEquals("workspace", json.get(1).get("revisions").get(0).asText());
    assertEquals("Accuracy.png", json.get(1).get("outputs").get(0).asText());
    assertEquals("image", json.get(2).get("type").asText());
    byte[] first = Files.readAllBytes(dir.resolve("Accuracy.png"));
    render();
    assertArrayEquals(first, Files.readAllBytes(dir.resolve("Accuracy.png")), "same input, same bytes");
  }

  private static String md5After(String lock, String marker) {
    int at = lock.indexOf(marker);
    assertTrue(at >= 0, marker);
    String rest = lock.substring(at);
    return rest.replaceAll("(?s)^.*?md5: ([0-9a-f]+(\\.dir)?).*", "$1");
  }

  private static Path object(Path remote, String md5) {
    return remote.resolve(md5.substring(0, 2)).resolve(md5.substring(2));
  }

  @Test
  void revisionsComeThroughPlotDataAndImagesGetOneFilePerRevision() throws Exception {
    write("h.csv", "loss\n3\n2\n1\n");
    Files.write(repo.resolve("img.png"), new byte[] {1, 2, 3});
    write("dvc.yaml", "plots:\n- h.csv\n- img.png\n");
    Map<String, byte[]> main = new HashMap<>();
    main.put("h.csv", "loss\n4\n3\n".getBytes(StandardCharsets.UTF_8));
    main.put("img.png", new byte[] {9});
    PlotData data = (rev, path) -> rev.equals("main") ? Optional.ofNullable(main.get(path))
        : new WorkspacePlotData(repo).read(rev, path);
    List<PlotsRenderer.Rendered> out = render(List.of("workspace", "main"), data);
    assertEquals(List.of("workspace", "main"), out.get(0).revisions());
    assertEquals(List.of("img.png", "main/img.png"), out.get(1).outputs());
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(repo.resolve("out/main/img.png")));
    BufferedImage img = ImageIO.read(repo.resolve("out/h.csv.png").toFile());
    assertNotNull(img);

    main.remove("h.csv");
    List<PlotsRenderer.Rendered> onlyWorkspace = render(List.of("workspace", "main"), data);
    assertEquals(List.of("workspace"), onlyWorkspace.get(0).revisions(), "a file missing at the baseline is skipped");
  }

  @Test
  void baselineWithoutARevisionReaderIsAClearError() throws Exception {
    write("h.csv", "loss\n3\n2\n");
    write("dvc.yaml", "plots:\n- h.csv\n");
    MlopsException e = assertThrows(MlopsException.class,
        () -> render(List.of("workspace", "main"), new WorkspacePlotData(repo)));
    assertTrue(e.getMessage().contains("revision 'main'") && e.getMessage().contains("revision reader"),
        e.getMessage());
  }

  @Test
  void missingFileNamesTheFileAndTheFix() throws Exception {
    write("dvc.yaml", "plots:\n- Loss:\n    y:\n      model/history.csv: loss\n");
    MlopsException e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("data file 'model/history.csv' does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("mlops:repro"), e.getMessage());
  }

  @Test
  void missingColumnNamesTheColumnTheFileAndTheColumnsFound() throws Exception {
    write("h.csv", "epoch,loss\n1,3\n");
    write("dvc.yaml", "plots:\n- Loss:\n    x: epoch\n    y:\n      h.csv: acc\n");
    MlopsException e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("('acc')") && e.getMessage().contains("('epoch, loss')")
        && e.getMessage().contains("'h.csv'"), e.getMessage());
  }

  @Test
  void malformedCsvNamesTheFileAndLine() throws Exception {
    write("h.csv", "epoch,loss\n1,3\n2\n");
    write("dvc.yaml", "plots:\n- h.csv\n");
    MlopsException e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("'h.csv': line 3 has 1 field(s), the header has 2"), e.getMessage());

    write("h.csv", "epoch,loss\n1,\"3\n");
    e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("'h.csv': the quote opened on line 2 is never closed"), e.getMessage());
  }

  @Test
  void nonNumericValueNamesValueColumnFileAndRecord() throws Exception {
    write("h.csv", "epoch,loss\n1,3\n2,oops\n");
    write("dvc.yaml", "plots:\n- h.csv:\n    x: epoch\n");
    MlopsException e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("value 'oops' of column 'loss' in 'h.csv' (record 2) is not a number"),
        e.getMessage());
  }

  @Test
  void unsupportedFormatIsDvcsFileTypeError() throws Exception {
    write("h.txt", "1 2\n");
    write("dvc.yaml", "plots:\n- h.txt\n");
    MlopsException e = assertThrows(MlopsException.class, this::render);
    assertTrue(e.getMessage().contains("'h.txt' - file type error"), e.getMessage());
  }

  @Test
  void headerlessTsvAndJsonAndYamlRecords() throws Exception {
    write("a.tsv", "1\t0.5\n2\t0.25\n");
    write("r.json", "{\"train\": [{\"step\": 0, \"acc\": 0.5}, {\"step\": 1, \"acc\": 0.75}]}");
    write("r.yaml", "- {recall: 0.1, precision: 1.0}\n- {recall: 0.5, precision: 0.8}\n");
    write("dvc.yaml", """
        stages:
          s:
            cmd: echo
            plots:
            - a.tsv:
                header: false
                x: '0'
        plots:
        - r.json
        - r.yaml:
            template: scatter
            x: recall
        """);
    List<PlotsRenderer.Prepared> p = PlotsRenderer.prepare(new PlotsRenderer.Request(repo,
        List.of(repo.resolve("dvc.yaml")), repo.resolve("out"), List.of("workspace"), new WorkspacePlotData(repo),
        new CapturingLog(false)));
    Map<String, Chart> charts = new HashMap<>();
    p.forEach(x -> charts.put(x.definition().id(), x.chart()));
    assertEquals(List.of("0.5", "0.25"), charts.get("a.tsv").series().get(0).ys());
    assertEquals("1", charts.get("a.tsv").yLabel());
    assertEquals(List.of(0.5, 0.75), charts.get("r.json").series().get(0).ys());
    assertEquals(List.of(0L, 1L), charts.get("r.json").series().get(0).xs(), "default x is the row index");
    assertEquals("step", charts.get("r.json").xLabel());
    assertEquals("precision", charts.get("r.yaml").yLabel(), "default y is the last column");
  }
}
