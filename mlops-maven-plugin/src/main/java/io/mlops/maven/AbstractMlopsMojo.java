package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import java.io.File;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shared parameters and the one place where engine errors become Maven failures. Subclasses only map
 * their parameters to an engine call.
 */
public abstract class AbstractMlopsMojo extends AbstractMojo {
  /** The DVC repository root (the directory holding {@code .dvc/}). */
  @Parameter(property = "mlops.root", defaultValue = "${project.basedir}")
  protected File root;

  /** Skips every mlops goal. */
  @Parameter(property = "mlops.skip", defaultValue = "false")
  protected boolean skip;

  /** Threads for hashing files. */
  @Parameter(property = "mlops.hashJobs")
  protected Integer hashJobs;

  /**
   * Overrides the URL of the remote used by this goal ({@code mlops.remote}, else {@code core.remote}) for this
   * build only, e.g. {@code -Dmlops.remoteUrl=gs://bucket/path}; {@code .dvc/config} is not changed.
   */
  @Parameter(property = "mlops.remoteUrl")
  protected String remoteUrl;

  /**
   * Options of that remote, overriding {@code .dvc/config} for this build only, with DVC's option names:
   * {@code <remoteOptions><endpointurl>http://127.0.0.1:4443</endpointurl></remoteOptions>}.
   */
  @Parameter
  protected Map<String, String> remoteOptions;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  /** The goal name, for messages. */
  protected abstract String goal();

  /** The goal's own skip flag ({@code mlops.<goal>.skip}). */
  protected abstract boolean goalSkipped();

  /** Runs the goal against the engine. */
  protected abstract void run(EngineLog log) throws MojoFailureException, MojoExecutionException;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping mlops:" + goal() + " because mlops.skip is true");
      return;
    }
    if (goalSkipped()) {
      getLog().info("Skipping mlops:" + goal() + " because mlops." + goal() + ".skip is true");
      return;
    }
    EngineLog log = new MavenEngineLog(getLog());
    try {
      run(log);
    } catch (MlopsException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new MojoExecutionException(e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
  }

  /** Opens the repository at {@link #root}. */
  protected Repo openRepo(EngineLog log) {
    int jobs = hashJobs != null && hashJobs > 0 ? hashJobs : Runtime.getRuntime().availableProcessors();
    Repo repo = Repo.open(root.toPath(), log, environment(), jobs);
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    if (remoteOptions != null) {
      overrides.putAll(remoteOptions);
    }
    if (remoteUrl != null && !remoteUrl.isBlank()) {
      overrides.put("url", remoteUrl);
    }
    if (!overrides.isEmpty()) {
      repo.config().overrideRemote(remoteName(), overrides, root.toPath());
    }
    return repo;
  }

  /** The remote this goal was asked to use ({@code mlops.remote}), or null. */
  protected String remoteName() {
    return null;
  }

  protected Map<String, String> environment() {
    return System.getenv();
  }

  protected boolean offline() {
    return session != null && session.isOffline();
  }

  /** Splits a comma-separated property value (POM lists arrive already split). */
  protected static List<String> list(List<String> values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values) {
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
      }
    }
    return out;
  }
}
