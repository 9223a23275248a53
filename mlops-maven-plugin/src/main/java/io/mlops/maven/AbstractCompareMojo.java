package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.internal.Repo;
import io.mlops.internal.metrics.MetricsParams;
import io.mlops.internal.rev.RevisionFiles;
import io.mlops.internal.util.AtomicFiles;
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

  /** Runs the engine command. */
  protected abstract MetricsParams.Result compute(RevisionFiles files);

  @Override
  protected String remoteName() {
    return remote;
  }

  @Override
  protected void run(EngineLog log) {
    MetricsParams.Format format = json ? MetricsParams.Format.JSON
        : md ? MetricsParams.Format.MD : MetricsParams.Format.PLAIN;
    String text;
    try (Repo repo = openRepo(log); RevisionFiles files = RevisionFiles.open(repo, remote, offline())) {
      text = compute(files).output(format);
    }
    if (text.isEmpty()) {
      log.info(diff() ? "No changes against " + rev.strip() + "." : "No " + goal() + " found.");
    } else {
      for (String line : text.split("\n")) {
        log.info(line);
      }
    }
    File out = output();
    if (out != null) {
      AtomicFiles.writeString(out.toPath(), text);
      log.info("Wrote " + out);
    }
  }

  protected boolean diff() {
    return rev != null && !rev.isBlank();
  }
}
