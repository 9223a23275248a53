package io.mlops.maven;

import io.mlops.api.CloudStatus;
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

  /** Compare the cache with the remote instead ({@code dvc status -c}); the remote is {@code mlops.remote}. */
  @Parameter(property = "mlops.status.cloud", defaultValue = "false")
  private boolean cloud;

  /** With {@code cloud}: the remote to compare with; {@code core.remote} when unset. */
  @Parameter(property = "mlops.remote")
  private String remote;

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
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    if (cloud) {
      CloudStatus status;
      try (Mlops mlops = open(log)) {
        status = mlops.cloudStatus(list(targets));
      }
      if (failIfChanged && !status.inSync()) {
        throw new MojoFailureException(status.changes().size() + " object(s) differ between the cache and remote '"
            + status.remote() + "'. Run `mvn mlops:push` (new) or `mvn mlops:pull` (deleted).");
      }
      return;
    }
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
