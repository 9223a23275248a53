package io.mlops.maven;

import io.mlops.api.CheckoutOptions;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Restores tracked outputs from the cache to match dvc.lock and the .dvc files, like {@code dvc checkout}. */
@Mojo(name = "checkout", threadSafe = true)
public class CheckoutMojo extends AbstractMlopsMojo {
  /** Stages or .dvc files to check out; all when empty. */
  @Parameter(property = "mlops.targets")
  private List<String> targets;

  /** Do not fail when some data is not in the cache. */
  @Parameter(property = "mlops.allowMissing", defaultValue = "false")
  private boolean allowMissing;

  /**
   * Overwrite outputs whose content is in no cache (edited by hand, or written outside {@code repro}); without it
   * the goal refuses and names them, as {@code dvc checkout} does without {@code --force}.
   */
  @Parameter(property = "mlops.checkout.force", defaultValue = "false")
  private boolean force;

  @Parameter(property = "mlops.checkout.skip", defaultValue = "false")
  private boolean skipCheckout;

  @Override
  protected String goal() {
    return "checkout";
  }

  @Override
  protected boolean goalSkipped() {
    return skipCheckout;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.checkout(CheckoutOptions.defaults().targets(list(targets)).allowMissing(allowMissing).force(force));
    }
  }
}
