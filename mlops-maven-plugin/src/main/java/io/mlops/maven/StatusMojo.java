package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.StatusResult;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Shows which stages changed, like {@code dvc status}; can fail the build when anything did. */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractMlopsMojo {
  /** Stages or .dvc files to check; all when empty. */
  @Parameter(property = "mlops.targets")
  private List<String> targets;

  /** Fail the build when a stage is not up to date (for CI checks). */
  @Parameter(property = "mlops.status.failIfChanged", defaultValue = "false")
  private boolean failIfChanged;

  @Parameter(property = "mlops.status.skip", defaultValue = "false")
  private boolean skipStatus;

  @Override
  protected String goal() {
    return "status";
  }

  @Override
  protected boolean goalSkipped() {
    return skipStatus;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    StatusResult status;
    try (Mlops mlops = open(log)) {
      status = mlops.status(list(targets));
    }
    if (failIfChanged && !status.upToDate()) {
      throw new MojoFailureException(status.changed().size() + " stage(s) are not up to date: "
          + String.join(", ", status.changed().stream().map(StatusResult.Stage::stage).toList())
          + ". Run `mvn mlops:repro`.");
    }
  }
}
