package io.mlops.maven;

import io.mlops.api.CompareOptions;
import io.mlops.api.CompareResult;
import io.mlops.api.Mlops;
import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows the workspace's metrics ({@code dvc metrics show}) or, with {@code -Dmlops.rev=main}, how they changed
 * since that revision ({@code dvc metrics diff main}), in DVC's exact plain, Markdown or JSON output.
 */
@Mojo(name = "metrics", threadSafe = true)
public class MetricsMojo extends AbstractCompareMojo {
  /** Digits floats are rounded to; DVC's default is 5. */
  @Parameter(property = "mlops.precision")
  private Integer precision;

  /** Also write the table or JSON to this file. */
  @Parameter(property = "mlops.metrics.output")
  private File outputFile;

  @Parameter(property = "mlops.metrics.skip", defaultValue = "false")
  private boolean skipMetrics;

  @Override
  protected String goal() {
    return "metrics";
  }

  @Override
  protected boolean goalSkipped() {
    return skipMetrics;
  }

  @Override
  protected File output() {
    return outputFile;
  }

  @Override
  protected CompareResult compute(Mlops mlops, CompareOptions options) {
    return mlops.metrics(options.precision(precision));
  }
}
