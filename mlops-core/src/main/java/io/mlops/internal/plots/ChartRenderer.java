package io.mlops.internal.plots;

import io.mlops.api.MlopsException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link Chart} as a PNG image, with text in {@link BitmapFont}: line charts (templates
 * {@code linear}, {@code simple}, and {@code smooth}, which is drawn unsmoothed), {@code scatter}
 * ({@code scatter_jitter} without jitter), confusion matrices (counts, or with {@code confusion_normalized}
 * the share of each predicted row) as heatmaps with one panel per revision and y source (DVC's facets), and horizontal bar charts
 * ({@code bar_horizontal}, {@code bar_horizontal_sorted}). Several series get a legend; series of the second
 * and later revisions are dashed.
 */
public final class ChartRenderer {
  /** DVC's colour range for revisions and series (dvc-render's OPTIONAL_ANCHOR_RANGES). */
  static final int[] PALETTE = {0x945dd6, 0x13adc7, 0xf46837, 0x48bb78, 0x4299e1, 0xed8936, 0xf56565};

  static final int WHITE = 0xffffff;
  static final int INK = 0x222222;
  static final int AXIS = 0x555555;
  static final int GRID = 0xe4e4e4;
  /** The width of line, scatter and bar charts, in pixels (confusion matrices grow with their panels). */
  public static final int WIDTH = 640;

  /** The height of line and scatter charts, in pixels. */
  public static final int HEIGHT = 420;
  private static final int LOW = 0xf7fbff;
  private static final int HIGH = 0x08306b;

  private ChartRenderer() {}

  /** The colour (0xRRGGBB) of the {@code i}-th series of a chart, as DVC's palette assigns it. */
  public static int seriesColor(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** The PNG bytes of {@code chart}. */
  public static byte[] render(Chart chart) {
    return draw(chart).toPng();
  }

  static Raster draw(Chart chart) {
    return switch (chart.template()) {
      case "confusion", "confusion_normalized" -> confusion(chart, chart.template().endsWith("normalized"));
      case "bar_horizontal", "bar_horizontal_sorted" -> bars(chart, chart.template().endsWith("sorted"));
      case "linear", "simple", "smooth" -> xy(chart, false);
      case "scatter", "scatter_jitter" -> xy(chart, true);
      default -> throw new MlopsException("plot '" + chart.id() + "': template '" + chart.template()
          + "' is not supported", null, 0, "Use one of linear, simple, smooth, scatter, confusion,"
          + " confusion_normalized, bar_horizontal, bar_horizontal_sorted (custom Vega templates are not"
          + " rendered).");
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // line and scatter charts

  private static Raster xy(Chart chart, boolean scatter) {
    List<Chart.Series> series = chart.series();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    boolean numericX = series.stream().allMatch(s -> s.xs().stream().allMatch(ChartRenderer::isNumber));
    List<String> categories = new ArrayList<>();
    if (!numericX) {
      Set<String> seen = new LinkedHashSet<>();
      series.forEach(s -> s.xs().forEach(v -> seen.add(PlotConverter.str(v))));
      categories.addAll(seen);
    }
    for (Chart.Series s : series) {
      double[] x = new double[s.xs().size()];
      double[] y = new double[s.ys().size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = numericX ? number(chart, s, chart.xField(), s.xs().get(i), i)
            : categories.indexOf(PlotConverter.str(s.xs().get(i)));
        y[i] = number(chart, s, s.field(), s.ys().get(i), i);
      }
      xs.add(x);
      ys.add(y);
    }
    Scale yScale = Scale.of(ys);
    Scale xScale = numericX ? Scale.of(xs) : Scale.categorical(categories.size());
    List<String> labels = legendLabels(chart);

    Raster r = new Raster(WIDTH, HEIGHT, WHITE);
    title(r, chart.title(), WIDTH);
    int legendWidth = labels.size() > 1 ? legend(r, labels, colors(series.size()), dashes(chart), 0, true) : 0;
    int yTickWidth = yScale.labels().stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    int left = 10 + BitmapFont.height(1) + 8 + yTickWidth + 6;
    int right = WIDTH - 16 - (legendWidth > 0 ? legendWidth + 16 : 0);
    int top = 40;
    int bottom = HEIGHT - 46;
    if (legendWidth > 0) {
      legend(r, labels, colors(series.size()), dashes(chart), right + 16, false);
    }

    // grid, ticks and tick labels
    for (int i = 0; i < yScale.ticks.length; i++) {
      int py = bottom - (int) Math.round(yScale.fraction(yScale.ticks[i]) * (bottom - top));
      r.fillRect(left, py, right - left, 1, GRID);
      r.fillRect(left - 4, py, 4, 1, AXIS);
      String l = yScale.labels().get(i);
      BitmapFont.draw(r, left - 6 - BitmapFont.width(l, 1), py - 4, l, INK, 1);
    }
    List<String> xLabels = numericX ? xScale.labels() : categories;
    double[] xTicks = numericX ? xScale.ticks : indices(categories.size());
    int every = Math.max(1, (int) Math.ceil(xLabels.stream().mapToInt(l -> BitmapFont.width(l, 1) + 8).max()
        .orElse(1) * (double) xTicks.length / Math.max(1, right - left)));
    for (int i = 0; i < xTicks.length; i++) {
      int px = left + (int) Math.round(xScale.fraction(xTicks[i]) * (right - left));
      r.fillRect(px, top, 1, bottom - top, GRID);
      r.fillRect(px, bottom, 1, 4, AXIS);
      if (i % every == 0) {
        String l = xLabels.get(i);
        BitmapFont.draw(r, px - BitmapFont.width(l, 1) / 2, bottom + 7, l, INK, 1);
      }
    }
    r.fillRect(left, top, 1, bottom - top + 1, AXIS);
    r.fillRect(left, bottom, right - left + 1, 1, AXIS);
    axisLabels(r, chart.xLabel(), chart.yLabel(), (left + right) / 2, HEIGHT - 14, 10, (top + bottom) / 2);

    int[] colors = colors(series.size());
    int[] dash = dashes(chart);
    for (int s = 0; s < series.size(); s++) {
      double[] x = xs.get(s);
      double[] y = ys.get(s);
      int phase = 0;
      int prevX = 0;
      int prevY = 0;
      boolean havePrev = false;
      for (int i = 0; i < x.length; i++) {
        if (Double.isNaN(y[i]) || Double.isNaN(x[i])) {
          havePrev = false;
          continue;
        }
        int px = left + (int) Math.round(xScale.fraction(x[i]) * (right - left));
        int py = bottom - (int) Math.round(yScale.fraction(y[i]) * (bottom - top));
        if (scatter) {
          r.fillDisc(px, py, 3, colors[s]);
        } else if (havePrev) {
          phase = r.line(prevX, prevY, px, py, colors[s], 2, dash[s], phase);
        } else if (i == x.length - 1 || Double.isNaN(y[i + 1])) {
          r.fillDisc(px, py, 1, colors[s]);
        }
        prevX = px;
        prevY = py;
        havePrev = true;
      }
    }
    return r;
  }

  private static double[] indices(int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** Legend texts: the revision and/or the y source, whichever varies (DVC colours by rev, dashes by field). */
  static List<String> legendLabels(Chart chart) {
    boolean manyRevs = chart.revisions().size() > 1;
    boolean manyFiles = chart.series().stream().map(Chart.Series::file).distinct().count() > 1;
    boolean manyFields = chart.series().stream().map(s -> s.file() + "::" + s.field()).distinct().count() > 1;
    List<String> out = new ArrayList<>();
    for (Chart.Series s : chart.series()) {
      String source = manyFiles ? s.file() + "::" + s.field() : s.field();
      out.add(manyRevs && manyFields ? s.rev() + " " + source : manyRevs ? s.rev() : source);
    }
    return out;
  }

  private static int[] colors(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = seriesColor(i);
    }
    return out;
  }

  private static int[] dashes(Chart chart) {
    int[] out = new int[chart.series().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = chart.revisions().indexOf(chart.series().get(i).rev()) > 0 ? 6 : 0;
    }
    return out;
  }

  /** Draws (or with {@code measure} only measures) a legend box at {@code x}; returns its width. */
  private static int legend(Raster r, List<String> labels, int[] colors, int[] dash, int x, boolean measure) {
    int w = 26 + labels.stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    if (measure) {
      return w;
    }
    int y = 44;
    for (int i = 0; i < labels.size(); i++) {
      r.line(x, y + 4, x + 18, y + 4, colors[i], 2, dash[i] > 0 ? 3 : 0, 0);
      BitmapFont.draw(r, x + 24, y, labels.get(i), INK, 1);
      y += 14;
    }
    return w;
  }

  private static void title(Raster r, String title, int width) {
    int w = BitmapFont.width(title, 2);
    int scale = w <= width - 20 ? 2 : 1;
    BitmapFont.draw(r, Math.max(4, (width - BitmapFont.width(title, scale)) / 2), 10, title, INK, scale);
  }

  private static void axisLabels(Raster r, String xLabel, String yLabel, int xCentre, int xTop, int yLeft,
      int yCentre) {
    if (xLabel != null) {
      BitmapFont.draw(r, xCentre - BitmapFont.width(xLabel, 1) / 2, xTop - 4, xLabel, INK, 1);
    }
    if (yLabel != null) {
      BitmapFont.drawUp(r, yLeft, yCentre + BitmapFont.width(yLabel, 1) / 2, yLabel, INK, 1);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // confusion matrices

  /**
   * The matrices of a confusion plot as dvc-render's confusion templates facet them: a column per revision
   * ({@code facet.column: rev}) and, when the plot has several y sources, a row per source ({@code facet.row}:
   * the file name when the files differ, the field when the fields differ, {@code file::field} when both do;
   * DVC's {@code filename}, {@code field} or {@code filename::field}). Categories are shared by all matrices
   * (Vega-Lite's shared scales); each matrix counts its own (x, y) pairs.
   *
   * @param rowField the field DVC facets rows by, or null for a single y source (one row)
   * @param rows row labels in data order ({@code sort: []}); one "" row without a row facet
   * @param revs column labels (the revisions, in order)
   * @param xs x categories, ascending
   * @param ys y categories, ascending
   * @param counts {@code counts[row][rev][y][x]}: number of datapoints; all zero where a cell has no data
   * @param present {@code present[row][rev]}: whether that source has data at that revision
   */
  record Confusion(String rowField, List<String> rows, List<String> revs, List<String> xs, List<String> ys,
      long[][][][] counts, boolean[][] present) {}

  /** DVC's row facet of a confusion plot; see {@link Confusion}. */
  static Confusion confusionFacets(Chart chart) {
    Set<String> files = new LinkedHashSet<>();
    Set<String> fields = new LinkedHashSet<>();
    for (Chart.Series s : chart.series()) {
      files.add(s.file());
      fields.add(s.field());
    }
    // dvc-render's _collect_variations: the keys that vary across the y definitions
    boolean byFile = files.size() > 1;
    boolean byField = fields.size() > 1;
    String rowField = byFile && byField ? "filename::field" : byFile ? "filename" : byField ? "field" : null;
    List<String> rows = new ArrayList<>();
    List<String> revs = chart.revisions();
    Set<String> xCats = new LinkedHashSet<>();
    Set<String> yCats = new LinkedHashSet<>();
    for (Chart.Series s : chart.series()) {
      String row = rowOf(s, byFile, byField);
      if (!rows.contains(row)) {
        rows.add(row);
      }
      for (int i = 0; i < s.xs().size(); i++) {
        xCats.add(PlotConverter.str(s.xs().get(i)));
        yCats.add(PlotConverter.str(s.ys().get(i)));
      }
    }
    List<String> xs = sortedCategories(xCats);
    List<String> ys = sortedCategories(yCats);
    long[][][][] counts = new long[rows.size()][revs.size()][ys.size()][xs.size()];
    boolean[][] present = new boolean[rows.size()][revs.size()];
    Map<String, Integer> xIndex = indexOf(xs);
    Map<String, Integer> yIndex = indexOf(ys);
    for (Chart.Series s : chart.series()) {
      int row = rows.indexOf(rowOf(s, byFile, byField));
      int rev = revs.indexOf(s.rev());
      if (rev < 0) {
        continue;
      }
      present[row][rev] = true;
      for (int i = 0; i < s.xs().size(); i++) {
        counts[row][rev][yIndex.get(PlotConverter.str(s.ys().get(i)))][xIndex.get(PlotConverter.str(s.xs().get(i)))]++;
      }
    }
    return new Confusion(rowField, rows, revs, xs, ys, counts, present);
  }

  private static String rowOf(Chart.Series s, boolean byFile, boolean byField) {
    if (byFile && byField) {
      return s.file() + "::" + s.field();
    }
    return byFile ? s.file() : byField ? s.field() : "";
  }

  private static Map<String, Integer> indexOf(List<String> list) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      m.put(list.get(i), i);
    }
    return m;
  }

  private static Raster confusion(Chart chart, boolean normalized) {
    Confusion c = confusionFacets(chart);
    List<String> revs = c.revs();
    List<String> rows = c.rows();
    List<String> xs = c.xs();
    List<String> ys = c.ys();
    double[][][][] values = new double[rows.size()][revs.size()][ys.size()][xs.size()];
    double max = 0; // one colour scale for all matrices (Vega-Lite shares it across facets)
    for (int q = 0; q < rows.size(); q++) {
      for (int p = 0; p < revs.size(); p++) {
        for (int j = 0; j < ys.size(); j++) {
          double rowSum = 0;
          for (int i = 0; i < xs.size(); i++) {
            values[q][p][j][i] = c.counts()[q][p][j][i];
            rowSum += values[q][p][j][i];
          }
          for (int i = 0; i < xs.size(); i++) {
            if (normalized && rowSum > 0) {
              values[q][p][j][i] /= rowSum;
            }
            max = Math.max(max, values[q][p][j][i]);
          }
        }
      }
    }
    boolean faceted = rows.size() > 1;
    int cell = Math.max(12, Math.min(48, 320 / Math.max(1, Math.max(xs.size(), ys.size()))));
    int yCatWidth = ys.stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    int xCatWidth = xs.stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    boolean xUp = xCatWidth > cell - 2;
    int rowHeader = faceted ? BitmapFont.height(1) + 8 : 0; // the row labels, upright, left of the y title
    int left = 10 + rowHeader + BitmapFont.height(1) + 8 + yCatWidth + 6;
    int panelW = xs.size() * cell;
    int gap = 24;
    int top = 40 + (revs.size() > 1 ? 16 : 0);
    int gridH = ys.size() * cell;
    int xTickH = xUp ? xCatWidth : BitmapFont.height(1);
    int rowGap = faceted ? 6 + xTickH + 10 : 0; // each row has its own x categories under it
    int blockH = gridH + rowGap;
    int totalH = rows.size() * gridH + (rows.size() - 1) * rowGap;
    int rowLabelW = rows.stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    int width = Math.max(left + revs.size() * panelW + (revs.size() - 1) * gap + 20,
        BitmapFont.width(chart.title(), 2) + 24);
    int height = top + totalH + 6 + xTickH + 8 + BitmapFont.height(1) + 12;
    if (faceted && rowLabelW > gridH) {
      height += (rowLabelW - gridH) / 2 + 1; // a long upright row label, centred on its row, reaches past it
    }
    Raster r = new Raster(width, height, WHITE);
    title(r, chart.title(), width);
    for (int p = 0; p < revs.size(); p++) {
      int x0 = left + p * (panelW + gap);
      if (revs.size() > 1) {
        String rev = revs.get(p);
        BitmapFont.draw(r, x0 + (panelW - BitmapFont.width(rev, 1)) / 2, top - 14, rev, INK, 1);
      }
      for (int q = 0; q < rows.size(); q++) {
        int y0 = top + q * blockH;
        if (!c.present()[q][p]) {
          continue; // Vega-Lite draws no matrix for a facet without data
        }
        for (int j = 0; j < ys.size(); j++) {
          for (int i = 0; i < xs.size(); i++) {
            double v = values[q][p][j][i];
            double t = max > 0 ? v / max : 0;
            int colour = blend(LOW, HIGH, t);
            r.fillRect(x0 + i * cell, y0 + j * cell, cell, cell, colour);
            String text = normalized ? decimal(v, 2) : String.valueOf((long) v);
            if (BitmapFont.width(text, 1) <= cell - 2) {
              BitmapFont.draw(r, x0 + i * cell + (cell - BitmapFont.width(text, 1) + 1) / 2,
                  y0 + j * cell + (cell - 7) / 2, text, t > 0.5 ? WHITE : INK, 1);
            }
          }
        }
        r.strokeRect(x0 - 1, y0 - 1, panelW + 2, gridH + 2, AXIS);
        for (int i = 0; i < xs.size(); i++) {
          String l = xs.get(i);
          int cx = x0 + i * cell + cell / 2;
          if (xUp) {
            BitmapFont.drawUp(r, cx - 4, y0 + gridH + 6 + BitmapFont.width(l, 1), l, INK, 1);
          } else {
            BitmapFont.draw(r, cx - BitmapFont.width(l, 1) / 2, y0 + gridH + 6, l, INK, 1);
          }
        }
      }
    }
    for (int q = 0; q < rows.size(); q++) {
      int y0 = top + q * blockH;
      for (int j = 0; j < ys.size(); j++) {
        String l = ys.get(j);
        BitmapFont.draw(r, left - 6 - BitmapFont.width(l, 1), y0 + j * cell + (cell - 7) / 2, l, INK, 1);
      }
      if (faceted) {
        String l = rows.get(q);
        BitmapFont.drawUp(r, 10, y0 + gridH / 2 + BitmapFont.width(l, 1) / 2, l, INK, 1);
      }
    }
    int totalW = revs.size() * panelW + (revs.size() - 1) * gap;
    axisLabels(r, chart.xLabel(), chart.yLabel(), left + totalW / 2, height - 10, 10 + rowHeader, top + totalH / 2);
    return r;
  }

  /** Numbers ascending by value when every category is a number, else by code point (Vega's ascending). */
  private static List<String> sortedCategories(Set<String> cats) {
    List<String> out = new ArrayList<>(cats);
    if (out.stream().allMatch(ChartRenderer::isNumber)) {
      out.sort(Comparator.comparingDouble(Double::parseDouble));
    } else {
      out.sort(io.mlops.internal.util.PathUtil.CODE_POINT_ORDER);
    }
    return out;
  }

  static int blend(int from, int to, double t) {
    t = Math.max(0, Math.min(1, t));
    int rr = (int) Math.round(((from >> 16) & 255) + (((to >> 16) & 255) - ((from >> 16) & 255)) * t);
    int gg = (int) Math.round(((from >> 8) & 255) + (((to >> 8) & 255) - ((from >> 8) & 255)) * t);
    int bb = (int) Math.round((from & 255) + ((to & 255) - (from & 255)) * t);
    return (rr << 16) | (gg << 8) | bb;
  }

  // ---------------------------------------------------------------------------------------------------------
  // horizontal bars

  private static Raster bars(Chart chart, boolean sorted) {
    List<Chart.Series> series = chart.series();
    Set<String> catSet = new LinkedHashSet<>();
    series.forEach(s -> s.ys().forEach(v -> catSet.add(PlotConverter.str(v))));
    List<String> cats = new ArrayList<>(catSet);
    // value per series and category (the sum, as Vega-Lite aggregates bars)
    List<Map<String, Double>> values = new ArrayList<>();
    List<double[]> all = new ArrayList<>();
    for (Chart.Series s : series) {
      Map<String, Double> v = new LinkedHashMap<>();
      for (int i = 0; i < s.xs().size(); i++) {
        double x = number(chart, s, chart.xField(), s.xs().get(i), i);
        if (!Double.isNaN(x)) {
          v.merge(PlotConverter.str(s.ys().get(i)), x, Double::sum);
        }
      }
      values.add(v);
      all.add(v.values().stream().mapToDouble(Double::doubleValue).toArray());
    }
    if (sorted) {
      Map<String, Double> total = new LinkedHashMap<>();
      values.forEach(v -> v.forEach((k, x) -> total.merge(k, x, Double::sum)));
      cats.sort(Comparator.comparingDouble((String c) -> -total.getOrDefault(c, 0.0)));
    }
    all.add(new double[] {0});
    Scale xScale = Scale.of(all);
    List<String> labels = legendLabels(chart);
    int n = series.size();
    int bar = 10;
    int group = n * bar + 8;
    int catWidth = cats.stream().mapToInt(l -> BitmapFont.width(l, 1)).max().orElse(0);
    int left = 10 + BitmapFont.height(1) + 8 + catWidth + 6;
    int top = 40;
    int height = Math.max(HEIGHT / 2, top + cats.size() * group + 46);
    Raster r = new Raster(WIDTH, height, WHITE);
    title(r, chart.title(), WIDTH);
    int[] colors = colors(n);
    int[] dash = new int[n];
    int legendWidth = n > 1 ? legend(r, labels, colors, dash, 0, true) : 0;
    int right = WIDTH - 16 - (legendWidth > 0 ? legendWidth + 16 : 0);
    int bottom = top + cats.size() * group;
    if (legendWidth > 0) {
      legend(r, labels, colors, dash, right + 16, false);
    }
    for (int i = 0; i < xScale.ticks.length; i++) {
      int px = left + (int) Math.round(xScale.fraction(xScale.ticks[i]) * (right - left));
      r.fillRect(px, top, 1, bottom - top, GRID);
      r.fillRect(px, bottom, 1, 4, AXIS);
      String l = xScale.labels().get(i);
      BitmapFont.draw(r, px - BitmapFont.width(l, 1) / 2, bottom + 7, l, INK, 1);
    }
    int zero = left + (int) Math.round(xScale.fraction(0) * (right - left));
    for (int c = 0; c < cats.size(); c++) {
      int gy = top + c * group + 4;
      String l = cats.get(c);
      BitmapFont.draw(r, left - 6 - BitmapFont.width(l, 1), gy + (n * bar - 7) / 2, l, INK, 1);
      for (int s = 0; s < n; s++) {
        Double v = values.get(s).get(l);
        if (v == null) {
          continue;
        }
        int px = left + (int) Math.round(xScale.fraction(v) * (right - left));
        r.fillRect(Math.min(zero, px), gy + s * bar, Math.abs(px - zero) + 1, bar - 1, colors[s]);
      }
    }
    r.fillRect(left, top, 1, bottom - top + 1, AXIS);
    r.fillRect(left, bottom, right - left + 1, 1, AXIS);
    axisLabels(r, chart.xLabel(), chart.yLabel(), (left + right) / 2, height - 14, 10, (top + bottom) / 2);
    return r;
  }

  // ---------------------------------------------------------------------------------------------------------
  // numbers and scales

  static boolean isNumber(Object v) {
    if (v instanceof Number) {
      return true;
    }
    if (v instanceof String s) {
      return parse(s) != null;
    }
    return false;
  }

  private static Double parse(String s) {
    String t = s.strip();
    if (!t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
      return null;
    }
    return Double.parseDouble(t);
  }

  private static double number(Chart chart, Chart.Series s, String field, Object v, int row) {
    if (v == null || (v instanceof String str && str.isBlank())) {
      return Double.NaN;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof Number num) {
      return num.doubleValue();
    }
    Double d = v instanceof String str ? parse(str) : null;
    if (d == null) {
      throw new MlopsException("plot '" + chart.id() + "': value '" + PlotConverter.str(v) + "' of column '"
          + field + "' in '" + s.file() + "' (record " + (row + 1) + (s.rev().equals(PlotData.WORKSPACE) ? ""
          : ", revision " + s.rev()) + ") is not a number", null, 0,
          "Fix the data, or choose a numeric column for this axis in dvc.yaml.");
    }
    return d;
  }

  static String decimal(double v, int decimals) {
    return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** A linear axis with "nice" ticks (1, 2 or 5 times a power of ten). */
  static final class Scale {
    final double min;
    final double max;
    final double[] ticks;
    private final int decimals;

    private Scale(double min, double max, double[] ticks, int decimals) {
      this.min = min;
      this.max = max;
      this.ticks = ticks;
      this.decimals = decimals;
    }

    static Scale of(List<double[]> values) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] vs : values) {
        for (double v : vs) {
          if (!Double.isNaN(v) && !Double.isInfinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      if (lo > hi) {
        lo = 0;
        hi = 1;
      }
      if (lo == hi) {
        double pad = lo == 0 ? 1 : Math.abs(lo) / 10;
        lo -= pad;
        hi += pad;
      }
      int exp = (int) Math.floor(Math.log10((hi - lo) / 5));
      double base = Math.pow(10, exp);
      double raw = (hi - lo) / 5 / base;
      int mult = raw <= 1 ? 1 : raw <= 2 ? 2 : raw <= 5 ? 5 : 10;
      BigDecimal step = BigDecimal.valueOf(mult).scaleByPowerOfTen(exp);
      double s = step.doubleValue();
      long first = (long) Math.floor(lo / s + 1e-9);
      long last = (long) Math.ceil(hi / s - 1e-9);
      double[] ticks = new double[(int) (last - first + 1)];
      for (int i = 0; i < ticks.length; i++) {
        ticks[i] = step.multiply(BigDecimal.valueOf(first + i)).doubleValue();
      }
      int decimals = Math.max(0, -exp - (mult == 10 ? 1 : 0));
      return new Scale(ticks[0], ticks[ticks.length - 1], ticks, decimals);
    }

    static Scale categorical(int n) {
      return new Scale(-0.5, n - 0.5, new double[0], 0);
    }

    double fraction(double v) {
      return max == min ? 0.5 : (v - min) / (max - min);
    }

    List<String> labels() {
      List<String> out = new ArrayList<>();
      for (double t : ticks) {
        out.add(decimal(t, decimals));
      }
      return out;
    }
  }
}
