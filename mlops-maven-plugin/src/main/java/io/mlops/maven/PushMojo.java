package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Uploads cached outputs to the remote, like {@code dvc push}. Bound to {@code deploy} by default. */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractTransferMojo {
  @Parameter(property = "mlops.push.skip", defaultValue = "false")
  private boolean skipPush;

  @Override
  protected String goal() {
    return "push";
  }

  @Override
  protected boolean goalSkipped() {
    return skipPush;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.push(transfer());
    }
  }
}
