package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.ReproResult;
import io.mlops.internal.repro.Reproducer;
import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Reproduces the pipeline like {@code dvc repro}: unchanged stages are skipped, stages seen before are
 * restored from the run-cache, the others run, and {@code dvc.lock} is updated. Bound by default to
 * {@code prepare-package}, after the project's own classes are compiled and tested, so stages may run them.
 */
@Mojo(name = "repro", defaultPhase = LifecyclePhase.PREPARE_PACKAGE, threadSafe = true)
public class ReproMojo extends AbstractMlopsMojo {
  /** Stages to reproduce (name, path/dvc.yaml:name, file.dvc); all of dvc.yaml when empty. */
  @Parameter(property = "mlops.targets")
  private List<String> targets;

  /** Run stages even if nothing changed ({@code dvc repro -f}). */
  @Parameter(property = "mlops.force", defaultValue = "false")
  private boolean force;

  /** Also reproduce the stages downstream of the targets. */
  @Parameter(property = "mlops.downstream", defaultValue = "false")
  private boolean downstream;

  /** Reproduce only the targets, not what they depend on ({@code -s}). */
  @Parameter(property = "mlops.single", defaultValue = "false")
  private boolean single;

  /** Print the commands that would run, without running anything. */
  @Parameter(property = "mlops.dry", defaultValue = "false")
  private boolean dry;

  /** On a failing stage, continue with the stages that do not depend on it; fail at the end. */
  @Parameter(property = "mlops.keepGoing", defaultValue = "false")
  private boolean keepGoing;

  /** Do not restore outputs from the run-cache. */
  @Parameter(property = "mlops.noRunCache", defaultValue = "false")
  private boolean noRunCache;

  /** Independent stages to run at the same time. */
  @Parameter(property = "mlops.jobs", defaultValue = "1")
  private int jobs;

  /** Machine-readable report of the run. */
  @Parameter(property = "mlops.report", defaultValue = "${project.build.directory}/mlops/repro.json")
  private File report;

  /** Pull missing data and cached results from the remote first ({@code dvc repro --pull}). */
  @Parameter(property = "mlops.pull", defaultValue = "false")
  private boolean pull;

  /** With {@code pull}: the remote to use; {@code core.remote} when unset. */
  @Parameter(property = "mlops.remote")
  private String remote;

  @Override
  protected String remoteName() {
    return remote;
  }

  /** With {@code pull}: do not fail when objects are missing from the remote. */
  @Parameter(property = "mlops.allowMissing", defaultValue = "false")
  private boolean allowMissing;

  /** Skips this goal only. */
  @Parameter(property = "mlops.repro.skip", defaultValue = "false")
  private boolean skipRepro;

  @Override
  protected String goal() {
    return "repro";
  }

  @Override
  protected boolean goalSkipped() {
    return skipRepro;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    ReproRequest req = new ReproRequest(list(targets), force, downstream, single, dry, keepGoing, noRunCache,
        Math.max(1, jobs), report == null ? null : report.toPath(), allowMissing);
    ReproResult result;
    try (Repo repo = openRepo(log)) {
      Sync.Request pullRequest = new Sync.Request(List.of(), remote, Sync.defaultJobs(), offline(), !noRunCache);
      if (pull) {
        // like `dvc repro --pull`: the run-cache too, so runs recorded elsewhere are restored, not rerun
        new Sync(repo).pull(pullRequest, true);
      }
      Reproducer reproducer = new Reproducer(repo, Index.load(repo), environment());
      if (pull) {
        reproducer.withObjectFetcher(new Sync(repo).objectFetcher(pullRequest));
      }
      result = reproducer.run(req);
    }
    if (result.failed()) {
      long failed = result.count(ReproResult.Outcome.FAILED);
      throw new MojoFailureException(failed + " stage" + (failed == 1 ? "" : "s")
          + " failed: " + String.join(", ", result.stages().stream()
              .filter(s -> s.outcome() == ReproResult.Outcome.FAILED).map(s -> s.stage() + " (" + s.error() + ")")
              .toList()));
    }
  }
}
