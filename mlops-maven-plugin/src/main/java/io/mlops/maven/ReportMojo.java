package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.ReportOptions;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes one report of the experiment change since a baseline revision, what CI posts on a pull request with CML:
 * {@code report.md} with the params diff and metrics diff exactly as {@code dvc params diff <rev> --md} and
 * {@code dvc metrics diff <rev> --md} print them and the plots of the workspace and the baseline as local PNG
 * files, plus {@code report.json}. When {@code GITHUB_STEP_SUMMARY} is set, the Markdown is also appended to the
 * job summary, with a note where the images are instead of the images. Nothing is uploaded anywhere.
 *
 * <p>Bound to {@code verify} when declared in a POM: after {@code mlops:repro} (prepare-package) has produced the
 * metrics and plots, and after the tests.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportMojo extends AbstractMlopsMojo {
  /** The baseline: a Git revision (branch, tag, commit, {@code HEAD~1}) the workspace is compared with. */
  @Parameter(property = "mlops.rev", defaultValue = ReportOptions.DEFAULT_BASELINE)
  private String rev;

  /** Directory for {@code report.md}, {@code report.json} and {@code plots/}. */
  @Parameter(property = "mlops.report.output", defaultValue = "${project.build.directory}/mlops/report")
  private File output;

  /** Remote to fetch the baseline's DVC-tracked metrics and plot data from when the cache lacks them. */
  @Parameter(property = "mlops.remote")
  private String remote;

  /** Also list unchanged params and metrics ({@code --all}). */
  @Parameter(property = "mlops.all", defaultValue = "false")
  private boolean all;

  /** Append the report to the file named by {@code GITHUB_STEP_SUMMARY} when that variable is set. */
  @Parameter(property = "mlops.report.stepSummary", defaultValue = "true")
  private boolean stepSummary;

  @Parameter(property = "mlops.report.skip", defaultValue = "false")
  private boolean skipReport;

  @Override
  protected String goal() {
    return "report";
  }

  @Override
  protected boolean goalSkipped() {
    return skipReport;
  }

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.report(ReportOptions.defaults().baseline(rev).output(output == null ? null : output.toPath()).all(all)
          .stepSummary(stepSummary));
    }
  }
}
