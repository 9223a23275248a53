package io.mlops.maven;

import io.mlops.api.MlopsOptions;
import io.mlops.api.TransferOptions;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters shared by push, pull and fetch. */
public abstract class AbstractTransferMojo extends AbstractMlopsMojo {
  /** Stages, .dvc files or outputs to transfer (with what they depend on); everything when empty. */
  @Parameter(property = "mlops.targets")
  protected List<String> targets;

  /** Remote name from .dvc/config; {@code core.remote} when unset. */
  @Parameter(property = "mlops.remote")
  protected String remote;

  /** Parallel transfers ({@code -j}); 4 × CPUs when unset, as in DVC. */
  @Parameter(property = "mlops.jobs")
  protected Integer jobs;

  /** Also transfer the run-cache ({@code --run-cache}). */
  @Parameter(property = "mlops.runCache", defaultValue = "false")
  protected boolean runCache;

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected MlopsOptions options() {
    return super.options().transferJobs(jobs == null ? 0 : jobs);
  }

  protected TransferOptions transfer() {
    return TransferOptions.defaults().targets(list(targets)).runCache(runCache);
  }
}
