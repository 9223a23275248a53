package io.mlops.internal.repro;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code repro} should do; mirrors {@code dvc repro}'s options.
 *
 * @param targets stage names, {@code path/dvc.yaml:name}, {@code .dvc} files or outputs; empty for all of
 *     the root dvc.yaml
 * @param force run even unchanged stages ({@code -f})
 * @param downstream also run the stages downstream of the targets
 * @param single run only the targets, not their upstream ({@code -s})
 * @param dry print the commands without running them
 * @param keepGoing on failure, skip only the failed stage's dependents and fail at the end
 * @param noRunCache do not restore from the run-cache
 * @param jobs stages run in parallel when independent (1 = one at a time)
 * @param report where to write the machine-readable report (null for none)
 * @param allowMissing treat outputs missing from the workspace and cache as unchanged, like
 *     {@code --allow-missing}
 */
public record ReproRequest(
    List<String> targets,
    boolean force,
    boolean downstream,
    boolean single,
    boolean dry,
    boolean keepGoing,
    boolean noRunCache,
    int jobs,
    Path report,
    boolean allowMissing) {

  public static ReproRequest defaults() {
    return new ReproRequest(List.of(), false, false, false, false, false, false, 1, null, false);
  }

  public ReproRequest withForce(boolean f) {
    return new ReproRequest(targets, f, downstream, single, dry, keepGoing, noRunCache, jobs, report, allowMissing);
  }

  public ReproRequest withTargets(List<String> t) {
    return new ReproRequest(t, force, downstream, single, dry, keepGoing, noRunCache, jobs, report, allowMissing);
  }

  public ReproRequest withReport(Path r) {
    return new ReproRequest(targets, force, downstream, single, dry, keepGoing, noRunCache, jobs, r, allowMissing);
  }

  public ReproRequest withAllowMissing(boolean a) {
    return new ReproRequest(targets, force, downstream, single, dry, keepGoing, noRunCache, jobs, report, a);
  }

  public ReproRequest withJobs(int j) {
    return new ReproRequest(targets, force, downstream, single, dry, keepGoing, noRunCache, j, report, allowMissing);
  }
}
