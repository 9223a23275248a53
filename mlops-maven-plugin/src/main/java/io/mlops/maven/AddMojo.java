package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Tracks data files or directories: caches them and writes {@code <path>.dvc}, like {@code dvc add}. */
@Mojo(name = "add", threadSafe = true)
public class AddMojo extends AbstractMlopsMojo {
  /** Paths to track, relative to the repository root (comma-separated on the command line). */
  @Parameter(property = "mlops.paths")
  private List<String> paths;

  @Parameter(property = "mlops.add.skip", defaultValue = "false")
  private boolean skipAdd;

  @Override
  protected String goal() {
    return "add";
  }

  @Override
  protected boolean goalSkipped() {
    return skipAdd;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    List<String> p = list(paths);
    if (p.isEmpty()) {
      throw new MojoFailureException("mlops:add needs paths: pass -Dmlops.paths=data/raw or <paths> in the POM");
    }
    try (Mlops mlops = open(log)) {
      mlops.add(p);
    }
  }
}
