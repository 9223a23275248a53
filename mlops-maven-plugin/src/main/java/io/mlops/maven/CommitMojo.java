package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Records the current state of stages in dvc.lock without running them, like {@code dvc commit}. */
@Mojo(name = "commit", threadSafe = true)
public class CommitMojo extends AbstractMlopsMojo {
  /** Stages or .dvc files to commit; all when empty. */
  @Parameter(property = "mlops.targets")
  private List<String> targets;

  @Parameter(property = "mlops.commit.skip", defaultValue = "false")
  private boolean skipCommit;

  @Override
  protected String goal() {
    return "commit";
  }

  @Override
  protected boolean goalSkipped() {
    return skipCommit;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      int n = mlops.commit(list(targets));
      log.info(n == 0 ? "Nothing to commit." : n + " stage(s) committed.");
    }
  }
}
