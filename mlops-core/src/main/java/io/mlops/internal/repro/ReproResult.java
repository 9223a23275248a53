package io.mlops.internal.repro;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a repro, also written as {@code target/mlops/repro.json}.
 *
 * @param stages one record per planned stage, in plan order
 * @param lockUpdated whether any lock or .dvc file was written
 */
public record ReproResult(List<StageResult> stages, boolean lockUpdated) {

  /** What happened to a stage. */
  public enum Outcome {
    /** the command ran */
    RAN,
    /** unchanged, nothing done */
    SKIPPED,
    /** outputs restored from the run-cache or the lock entry */
    RESTORED,
    /** a .dvc data source or frozen stage whose outputs were verified */
    VERIFIED,
    /** the command failed */
    FAILED,
    /** not run because an upstream stage failed */
    NOT_RUN,
    /** --dry: would run */
    WOULD_RUN
  }

  /**
   * @param stage address as DVC prints it
   * @param outcome what happened
   * @param outs output path → hash after the stage ({@code md5}, possibly {@code .dir})
   * @param millis wall time spent on the stage
   * @param error the failure message, or null
   */
  public record StageResult(String stage, Outcome outcome, Map<String, String> outs, long millis, String error) {}

  public long count(Outcome o) {
    return stages.stream().filter(s -> s.outcome() == o).count();
  }

  public boolean failed() {
    return stages.stream().anyMatch(s -> s.outcome() == Outcome.FAILED);
  }
}
