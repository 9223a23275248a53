package io.mlops.internal.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PNG images: valid, of the expected size, and showing the data. */
class ChartRendererTest {
  private static Chart.Series series(String rev, String field, List<Object> xs, List<Object> ys) {
    return new Chart.Series(rev, "history.csv", field, xs, ys);
  }

  private static Chart line(String title, List<String> revs, List<Chart.Series> series) {
    return new Chart("history.csv", "linear", title, "step", "loss", "step", "loss", revs, series);
  }

  private static BufferedImage decode(byte[] png) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "not a decodable PNG");
    return img;
  }

  private static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xffffff;
  }

  /** Mean pixel row of {@code colour} in the columns {@code x0..x1}, or -1 when absent. */
  private static double meanRow(BufferedImage img, int colour, int x0, int x1) {
    long sum = 0;
    int n = 0;
    for (int x = x0; x < x1; x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        if (rgb(img, x, y) == colour) {
          sum += y;
          n++;
        }
      }
    }
    return n == 0 ? -1 : (double) sum / n;
  }

  private static int count(BufferedImage img, int colour, int x0, int x1) {
    int n = 0;
    for (int x = x0; x < x1; x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        n += rgb(img, x, y) == colour ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void lineChartIsAValidPngOfTheExpectedSizeAndRisesWhereTheDataRise() throws Exception {
    List<Object> xs = List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    List<Object> ys = List.of("1", "1", "1", "1", "2", "3", "4", "5"); // flat, then rising
    BufferedImage img = decode(ChartRenderer.render(line("Loss", List.of("workspace"),
        List.of(series("workspace", "loss", xs, ys)))));
    assertEquals(ChartRenderer.WIDTH, img.getWidth());
    assertEquals(ChartRenderer.HEIGHT, img.getHeight());
    int colour = ChartRenderer.PALETTE[0];
    // x runs 0..8 over the plot's ~580 columns: x <= 3 (flat) lies left of column ~250
    double first = meanRow(img, colour, 60, 150);
    double second = meanRow(img, colour, 150, 240);
    double end = meanRow(img, colour, 500, 560);
    assertTrue(first > 0 && end > 0, "the series colour is drawn");
    assertEquals(first, second, 2.0, "flat part stays on one row");
    assertTrue(end < first - 150, "the line rises (smaller pixel rows) where the data rise: " + first + " -> " + end);
  }

  @Test
  void confusionMatrixCellWithTheLargestCountIsDarkest() throws Exception {
    List<Object> actual = new ArrayList<>();
    List<Object> predicted = new ArrayList<>();
    String[][] pairs = {{"0", "0"}, {"0", "1"}, {"1", "1"}, {"1", "1"}, {"1", "1"}, {"1", "1"}, {"1", "1"}};
    for (String[] p : pairs) {
      actual.add(p[0]);
      predicted.add(p[1]);
    }
    Chart chart = new Chart("cm.csv", "confusion", "cm", "actual", "predicted", "actual", "predicted",
        List.of("workspace"), List.of(new Chart.Series("workspace", "cm.csv", "predicted", actual, predicted)));
    BufferedImage img = decode(ChartRenderer.render(chart));
    int darkest = darkestCellColour(img);
    int[] box = box(img, darkest);
    int[] light = box(img, ChartRenderer.blend(0xf7fbff, 0x08306b, 1 / 5.0));
    // the (actual 1, predicted 1) cell: right column, bottom row; the count-1 cells are left of it
    assertTrue(box[2] - box[0] >= 30 && box[3] - box[1] >= 30, "a whole cell: " + Arrays.toString(box));
    assertTrue(box[0] > light[0] && box[3] >= light[3], Arrays.toString(box) + " vs " + Arrays.toString(light));
  }

  /** The colour with the lowest brightness among the blue shades. */
  private static int darkestCellColour(BufferedImage img) {
    int best = -1;
    int bestSum = Integer.MAX_VALUE;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int c = rgb(img, x, y);
        int r = c >> 16 & 255;
        int b = c & 255;
        if (b > r && (r + (c >> 8 & 255) + b) < bestSum) {
          bestSum = r + (c >> 8 & 255) + b;
          best = c;
        }
      }
    }
    assertEquals(0x08306b, best, "the largest count gets the end colour of the scale");
    return best;
  }

  /** Bounding box {minX, minY, maxX, maxY} of a colour. */
  private static int[] box(BufferedImage img, int colour) {
    int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (rgb(img, x, y) == colour) {
          b[0] = Math.min(b[0], x);
          b[1] = Math.min(b[1], y);
          b[2] = Math.max(b[2], x);
          b[3] = Math.max(b[3], y);
        }
      }
    }
    assertTrue(b[2] >= 0, "colour " + Integer.toHexString(colour) + " is drawn");
    return b;
  }

  @Test
  void twoRevisionsGiveTwoLegendColoursAndConfusionPanelsSideBySide() throws Exception {
    List<Object> xs = List.of(0L, 1L, 2L);
    Chart chart = line("Loss", List.of("workspace", "main"), List.of(
        series("workspace", "loss", xs, List.of("3", "2", "1")),
        series("main", "loss", xs, List.of("4", "3", "2"))));
    BufferedImage img = decode(ChartRenderer.render(chart));
    assertEquals(List.of("workspace", "main"), ChartRenderer.legendLabels(chart));
    int legendLeft = img.getWidth() - 16 - (26 + BitmapFont.width("workspace", 1));
    assertTrue(count(img, ChartRenderer.PALETTE[0], legendLeft, img.getWidth()) > 10, "legend swatch 1");
    assertTrue(count(img, ChartRenderer.PALETTE[1], legendLeft, img.getWidth()) > 10, "legend swatch 2");
    assertTrue(count(img, ChartRenderer.PALETTE[1], 0, legendLeft) > 100, "second series is drawn");

    List<Object> a = List.of("0", "1");
    Chart cm = new Chart("cm", "confusion", "cm", "a", "p", "a", "p", List.of("workspace", "main"), List.of(
        new Chart.Series("workspace", "cm", "p", a, a), new Chart.Series("main", "cm", "p", a, List.of("1", "1"))));
    Chart single = new Chart("cm", "confusion", "cm", "a", "p", "a", "p", List.of("workspace"),
        List.of(new Chart.Series("workspace", "cm", "p", a, a)));
    int twoWide = decode(ChartRenderer.render(cm)).getWidth();
    int oneWide = decode(ChartRenderer.render(single)).getWidth();
    assertTrue(twoWide >= oneWide + 2 * 48, "a second panel of two 48-pixel columns: " + oneWide + " -> " + twoWide);
  }

  @Test
  void titleIsDrawnPixelByPixelWithTheBitmapFont() throws Exception {
    String title = "Loss 1";
    BufferedImage img = decode(ChartRenderer.render(line(title, List.of("workspace"),
        List.of(series("workspace", "loss", List.of(0L, 1L), List.of("1", "2"))))));
    int left = (ChartRenderer.WIDTH - BitmapFont.width(title, 2)) / 2;
    int set = 0;
    for (int i = 0; i < title.length(); i++) {
      for (int row = 0; row < BitmapFont.GLYPH_HEIGHT; row++) {
        for (int col = 0; col < BitmapFont.GLYPH_WIDTH; col++) {
          int x = left + (i * BitmapFont.ADVANCE + col) * 2;
          int y = 10 + row * 2;
          boolean on = BitmapFont.pixel(title.charAt(i), col, row);
          assertEquals(on ? ChartRenderer.INK : ChartRenderer.WHITE, rgb(img, x, y),
              "pixel of '" + title.charAt(i) + "' at " + col + "," + row);
          set += on ? 1 : 0;
        }
      }
    }
    assertTrue(set > 40, "the glyphs have pixels");
    assertTrue(BitmapFont.pixel('L', 0, 0) && !BitmapFont.pixel('L', 4, 0) && BitmapFont.pixel('L', 4, 6));
  }

  @Test
  void renderingIsByteDeterministic() {
    Chart a = line("Loss", List.of("workspace"), List.of(series("workspace", "loss", List.of(0L, 1L, 2L),
        List.of("0.5", "0.25", "0.125"))));
    Chart b = line("Loss", List.of("workspace"), List.of(series("workspace", "loss", List.of(0L, 1L, 2L),
        List.of("0.5", "0.25", "0.25"))));
    assertArrayEquals(ChartRenderer.render(a), ChartRenderer.render(a));
    assertFalse(Arrays.equals(ChartRenderer.render(a), ChartRenderer.render(b)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "simple", "smooth", "scatter", "confusion", "confusion_normalized",
      "bar_horizontal", "bar_horizontal_sorted"})
  void everyBuiltInTemplateRenders(String template) throws Exception {
    Chart chart = new Chart("p", template, "p", "x", "y", "x", "y", List.of("workspace", "main"), List.of(
        new Chart.Series("workspace", "f.csv", "y", List.of("1", "2", "3"), List.of("3", "1", "2")),
        new Chart.Series("main", "f.csv", "y", List.of("2", "2", "3"), List.of("3", "2", "2"))));
    BufferedImage img = decode(ChartRenderer.render(chart));
    assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
    assertTrue(count(img, ChartRenderer.INK, 0, img.getWidth()) > 50, "text is drawn");
  }
}
