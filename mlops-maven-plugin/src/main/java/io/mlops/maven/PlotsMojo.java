package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.PlotsOptions;
import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Renders the plots declared in dvc.yaml to local PNG files ({@code dvc plots show}, or {@code dvc plots diff
 * <rev>} with {@code mlops.rev}), with an {@code index.md} and a {@code plots.json}. Nothing is uploaded.
 */
@Mojo(name = "plots", threadSafe = true)
public class PlotsMojo extends AbstractMlopsMojo {
  /** Directory for the images, {@code index.md} and {@code plots.json}. */
  @Parameter(property = "mlops.plots.output", defaultValue = "${project.build.directory}/mlops/plots")
  private File output;

  /**
   * A baseline revision (branch, tag or commit) drawn next to the workspace, like {@code dvc plots diff <rev>}.
   * Its data comes from Git, or for DVC-tracked files through that revision's lock from the cache or the remote.
   */
  @Parameter(property = "mlops.rev")
  private String rev;

  /** Remote to fetch the revision's tracked plot data from when the cache lacks it; {@code core.remote} if unset. */
  @Parameter(property = "mlops.remote")
  private String remote;

  @Parameter(property = "mlops.plots.skip", defaultValue = "false")
  private boolean skipPlots;

  @Override
  protected String goal() {
    return "plots";
  }

  @Override
  protected boolean goalSkipped() {
    return skipPlots;
  }

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.plots(PlotsOptions.defaults().output(output.toPath()).rev(rev));
    }
  }
}
