package io.mlops.maven;

import io.mlops.api.CompareOptions;
import io.mlops.api.CompareResult;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters shared by {@code mlops:metrics} and {@code mlops:params}: show, or diff against a revision. */
public abstract class AbstractCompareMojo extends AbstractMlopsMojo {
  /**
   * Git revision to compare the workspace with (branch, tag, commit, {@code HEAD}); when unset the workspace's
   * values are shown.
   */
  @Parameter(property = "mlops.rev")
  protected String rev;

  /** Print a GitHub Markdown table ({@code --md}). */
  @Parameter(property = "mlops.md", defaultValue = "false")
  protected boolean md;

  /** Print DVC's JSON ({@code --json}); wins over {@code mlops.md}. */
  @Parameter(property = "mlops.json", defaultValue = "false")
  protected boolean json;

  /** Also list unchanged values in a diff ({@code --all}). */
  @Parameter(property = "mlops.all", defaultValue = "false")
  protected boolean all;

  /** Leave out the Path column of a diff ({@code --no-path}). */
  @Parameter(property = "mlops.noPath", defaultValue = "false")
  protected boolean noPath;

  /** Remote to fetch tracked files of the revision from when the cache lacks them; {@code core.remote} if unset. */
  @Parameter(property = "mlops.remote")
  protected String remote;

  /** Where to also write the output (atomically); relative paths are relative to the project. */
  protected abstract File output();

  /** The goal's engine call. */
  protected abstract CompareResult compute(Mlops mlops, CompareOptions options);

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) {
    CompareOptions options = CompareOptions.defaults().rev(rev)
        .format(json ? CompareOptions.Format.JSON : md ? CompareOptions.Format.MD : CompareOptions.Format.PLAIN)
        .all(all).noPath(noPath).output(output() == null ? null : output().toPath());
    CompareResult result;
    try (Mlops mlops = open(log)) {
      result = compute(mlops, options);
    }
    if (result.isEmpty()) {
      log.info(options.isDiff() ? "No changes against " + options.rev() + "." : "No " + goal() + " found.");
    } else {
      print(log, result.text());
    }
  }
}
