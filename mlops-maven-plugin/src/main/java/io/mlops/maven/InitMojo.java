package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Creates {@code .dvc/} and {@code .dvcignore} like {@code dvc init}. */
@Mojo(name = "init", threadSafe = true)
public class InitMojo extends AbstractMlopsMojo {
  /** Initialise without Git ({@code dvc init --no-scm}). */
  @Parameter(property = "mlops.noScm", defaultValue = "false")
  private boolean noScm;

  @Parameter(property = "mlops.init.skip", defaultValue = "false")
  private boolean skipInit;

  @Override
  protected String goal() {
    return "init";
  }

  @Override
  protected boolean goalSkipped() {
    return skipInit;
  }

  @Override
  protected void run(EngineLog log) {
    Mlops.init(root.toPath(), noScm, log);
  }
}
