package io.mlops.internal.plots;

import java.util.List;

/**
 * A plot ready to draw: DVC's flattened datapoints ({@code VegaConverter.flat_datapoints}) grouped into
 * series, with the inferred fields and labels.
 *
 * @param id the plot id
 * @param template the template name (linear, simple, smooth, scatter, confusion, confusion_normalized,
 *     bar_horizontal, bar_horizontal_sorted)
 * @param title {@code title:}, else the id
 * @param xField the x field ({@code step}, the row index, when none is given)
 * @param yField the y field when all series share one, else DVC's {@code dvc_inferred_y_value}
 * @param xLabel {@code x_label:} or DVC's inferred one
 * @param yLabel {@code y_label:} or DVC's inferred one
 * @param revisions the revisions that have data, in order
 * @param series one per revision and y source, in DVC's datapoint order
 */
public record Chart(
    String id,
    String template,
    String title,
    String xField,
    String yField,
    String xLabel,
    String yLabel,
    List<String> revisions,
    List<Series> series) {

  /**
   * The points of one y column of one file at one revision.
   *
   * @param rev the revision
   * @param file the y file, shortened by the common prefix of all y files as DVC does
   * @param field the y column
   * @param xs x values (strings for CSV data, numbers for JSON/YAML), one per point
   * @param ys y values, one per point
   */
  public record Series(String rev, String file, String field, List<Object> xs, List<Object> ys) {}
}
