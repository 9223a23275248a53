package io.mlops.api;

import java.util.List;
import java.util.Map;

/**
 * What {@link Mlops#status} found: the stages that are not up to date, in DVC's order and wording.
 *
 * @param changed the changed stages; empty when everything is up to date
 */
public record StatusResult(List<Stage> changed) {
  public StatusResult {
    changed = List.copyOf(changed);
  }

  public boolean upToDate() {
    return changed.isEmpty();
  }

  /** One changed path or param: state is {@code modified}, {@code deleted}, {@code new} or {@code not in cache}. */
  public record Change(String state, String name) {}

  /**
   * A stage that is not up to date.
   *
   * @param stage its address as DVC prints it ({@code train}, {@code sub/dvc.yaml:train}, {@code data.dvc})
   * @param deps changed dependencies
   * @param params changed params, per params file (a single change with a null name: the whole file)
   * @param outs changed outputs
   * @param commandChanged the command differs from the lock's
   * @param alwaysChanged the stage is {@code always_changed} (or has no dependencies)
   * @param text the block {@code dvc status} prints for it
   */
  public record Stage(
      String stage,
      List<Change> deps,
      Map<String, List<Change>> params,
      List<Change> outs,
      boolean commandChanged,
      boolean alwaysChanged,
      String text) {}
}
