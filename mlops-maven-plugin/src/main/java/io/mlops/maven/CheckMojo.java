package io.mlops.maven;

import io.mlops.api.CheckOptions;
import io.mlops.api.CheckResult;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Metric gates: fails the build when a metric of the workspace breaks a threshold, with a table of every rule
 * and what regressed. Rules are absolute ({@code f1 >= 0.9}) or relative to a baseline revision
 * ({@code accuracy >= baseline - 0.01}: no worse than the baseline by more than 0.01).
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractMlopsMojo {
  /**
   * The rules, {@code [file:]key op limit}: {@code <thresholds><threshold>f1 >= 0.9</threshold>
   * <threshold>loss <= baseline + 0.01</threshold></thresholds>}; on the command line comma-separated.
   */
  @Parameter(property = "mlops.thresholds")
  private List<String> thresholds;

  /** The baseline revision of relative rules (e.g. {@code origin/main} on a pull request). */
  @Parameter(property = "mlops.rev", defaultValue = "HEAD")
  private String rev;

  /** Remote to fetch the baseline's tracked metrics from when the cache lacks them; {@code core.remote} if unset. */
  @Parameter(property = "mlops.remote")
  private String remote;

  @Parameter(property = "mlops.check.skip", defaultValue = "false")
  private boolean skipCheck;

  @Override
  protected String goal() {
    return "check";
  }

  @Override
  protected boolean goalSkipped() {
    return skipCheck;
  }

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    List<String> rules = list(thresholds);
    if (rules.isEmpty()) {
      log.info("No metric thresholds configured.");
      return;
    }
    CheckResult result;
    try (Mlops mlops = open(log)) {
      result = mlops.check(CheckOptions.defaults().thresholds(rules).baseline(rev));
    }
    if (!result.passed()) {
      throw new MojoFailureException(result.summary()
          + "\nImprove the experiment, or change <thresholds> if the new values are intended.");
    }
    print(log, result.summary());
  }
}
