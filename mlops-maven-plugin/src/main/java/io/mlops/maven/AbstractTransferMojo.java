package io.mlops.maven;

import io.mlops.internal.remote.Sync;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters shared by push, pull and fetch. */
public abstract class AbstractTransferMojo extends AbstractMlopsMojo {
  /** Stages, .dvc files or outputs to transfer; everything tracked when empty. */
  @Parameter(property = "mlops.targets")
  protected List<String> targets;

  /** Remote name from .dvc/config; {@code core.remote} when unset. */
  @Parameter(property = "mlops.remote")
  protected String remote;

  /** Parallel transfers; DVC's default of 4 × CPUs when unset. */
  @Parameter(property = "mlops.jobs")
  protected Integer jobs;

  /**
   * Also transfer the run-cache ({@code --run-cache}): every recorded run and the outputs it produced, so that
   * {@code mlops:repro} elsewhere restores those runs instead of running them.
   */
  @Parameter(property = "mlops.runCache", defaultValue = "false")
  protected boolean runCache;

  @Override
  protected String remoteName() {
    return remote;
  }

  protected Sync.Request request() {
    int j = jobs != null && jobs > 0 ? jobs : Sync.defaultJobs();
    return new Sync.Request(list(targets), remote, j, offline(), runCache);
  }
}
