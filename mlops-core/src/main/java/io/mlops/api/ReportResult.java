package io.mlops.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Mlops#report} wrote.
 *
 * @param baseline the baseline as the report names it (e.g. {@code HEAD (1a2b3c4)})
 * @param paramsRows rows of the params diff
 * @param metricsRows rows of the metrics diff
 * @param files the files written (report.md, report.json, the plot images, a step summary)
 */
public record ReportResult(String baseline, int paramsRows, int metricsRows, List<Path> files) {
  public ReportResult {
    files = List.copyOf(files);
  }
}
