package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Downloads tracked data from the remote and checks it out, like {@code dvc pull}. Bound to
 * {@code initialize} by default, so data is there before anything else runs.
 */
@Mojo(name = "pull", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PullMojo extends AbstractTransferMojo {
  /** Continue when some objects are missing from the remote. */
  @Parameter(property = "mlops.allowMissing", defaultValue = "false")
  private boolean allowMissing;

  /**
   * Overwrite outputs whose content is in no cache (edited by hand, or written outside {@code repro}); without it
   * the goal refuses and names them, as {@code dvc pull} does without {@code --force}.
   */
  @Parameter(property = "mlops.pull.force", defaultValue = "false")
  private boolean force;

  @Parameter(property = "mlops.pull.skip", defaultValue = "false")
  private boolean skipPull;

  @Override
  protected String goal() {
    return "pull";
  }

  @Override
  protected boolean goalSkipped() {
    return skipPull;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.pull(transfer().allowMissing(allowMissing).force(force));
    }
  }
}
