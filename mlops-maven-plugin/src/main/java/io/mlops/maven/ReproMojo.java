package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.MlopsOptions;
import io.mlops.api.ReproOptions;
import io.mlops.api.ReproResult;
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

  /** Independent stages to run at the same time (1 when unset). */
  @Parameter(property = "mlops.stageJobs")
  private Integer stageJobs;

  /**
   * With {@code pull}: parallel transfers (4 × CPUs when unset), as for push/pull/fetch. Until 0.1 this set the
   * parallel stages: that is {@code mlops.stageJobs} now; set alone, it still does, with a warning.
   */
  @Parameter(property = "mlops.jobs")
  private Integer jobs;

  /** Machine-readable record of the run (every stage: ran, skipped, restored..., with output hashes). */
  @Parameter(property = "mlops.repro.output", defaultValue = "${project.build.directory}/mlops/repro.json")
  private File output;

  /** Deprecated: the old name of {@code mlops.repro.output}. */
  @Parameter(property = "mlops.report")
  @Deprecated
  private File report;

  /** Pull missing data and cached results from the remote first ({@code dvc repro --pull}). */
  @Parameter(property = "mlops.pull", defaultValue = "false")
  private boolean pull;

  /** With {@code pull}: the remote to use; {@code core.remote} when unset. */
  @Parameter(property = "mlops.remote")
  private String remote;

  /** Outputs missing from the workspace and cache do not make a stage changed ({@code --allow-missing}). */
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
  protected String remoteName() {
    return remote;
  }

  @Override
  protected MlopsOptions options() {
    return super.options().transferJobs(jobs == null ? 0 : jobs).stageJobs(stageJobs == null ? 1 : stageJobs);
  }

  @Override
  @SuppressWarnings("deprecation")
  protected void run(EngineLog log) throws MojoFailureException {
    if (stageJobs == null && jobs != null) {
      log.warn("mlops.jobs no longer sets mlops:repro's parallel stages: use mlops.stageJobs (mlops.jobs is the "
          + "parallel transfers of -Dmlops.pull=true, as for push and pull); using it for both this time");
      stageJobs = jobs;
    }
    File record = output;
    if (report != null) {
      log.warn("mlops.report is deprecated for mlops:repro's record: use mlops.repro.output (mlops.report.* "
          + "configures mlops:report)");
      record = report;
    }
    ReproResult result;
    try (Mlops mlops = open(log)) {
      result = mlops.repro(ReproOptions.defaults().targets(list(targets)).force(force).downstream(downstream)
          .single(single).dry(dry).keepGoing(keepGoing).noRunCache(noRunCache).pull(pull).allowMissing(allowMissing)
          .report(record == null ? null : record.toPath()));
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
