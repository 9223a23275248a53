package io.mlops.api;

import java.nio.file.Path;

/** What {@link Mlops#report} writes: params, metrics and plots of the workspace against a baseline revision. */
public final class ReportOptions {
  /** The baseline when none is given: the last commit. */
  public static final String DEFAULT_BASELINE = "HEAD";

  private String baseline = DEFAULT_BASELINE;
  private Path output;
  private boolean all;
  private boolean stepSummary = true;

  private ReportOptions() {}

  public static ReportOptions defaults() {
    return new ReportOptions();
  }

  /** The baseline revision (e.g. {@code origin/main} on a pull request); blank: {@value #DEFAULT_BASELINE}. */
  public ReportOptions baseline(String rev) {
    baseline = rev == null || rev.isBlank() ? DEFAULT_BASELINE : rev.strip();
    return this;
  }

  public String baseline() {
    return baseline;
  }

  /** Where report.md, report.json and plots/ go; null: {@code target/mlops/report} in the root. */
  public ReportOptions output(Path dir) {
    output = dir;
    return this;
  }

  public Path output() {
    return output;
  }

  /** Also list unchanged params and metrics. */
  public ReportOptions all(boolean v) {
    all = v;
    return this;
  }

  public boolean all() {
    return all;
  }

  /** Append the report to {@code $GITHUB_STEP_SUMMARY} when that variable is set. */
  public ReportOptions stepSummary(boolean v) {
    stepSummary = v;
    return this;
  }

  public boolean stepSummary() {
    return stepSummary;
  }
}
