package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.MlopsException;
import io.mlops.api.MlopsOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shared parameters and the one place where engine errors become Maven failures: a {@link MlopsException} of kind
 * {@code USER} (fix the repository or the POM) fails the build ({@link MojoFailureException}); {@code ENVIRONMENT}
 * and {@code INTERNAL} ones are errors ({@link MojoExecutionException}). Either way Maven prints one message, and
 * the stack trace only with {@code -e}/{@code -X}. Subclasses map their parameters to one call of the engine's API
 * ({@code io.mlops.api}) and use nothing else of it.
 */
public abstract class AbstractMlopsMojo extends AbstractMojo {
  /** The DVC repository root (the directory holding {@code .dvc/}). */
  @Parameter(property = "mlops.root", defaultValue = "${project.basedir}")
  protected File root;

  /** Skips every mlops goal. */
  @Parameter(property = "mlops.skip", defaultValue = "false")
  protected boolean skip;

  /** Threads for hashing files; the number of CPUs when unset. */
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
      if (e.kind() == MlopsException.Kind.USER) {
        throw new MojoFailureException(e.getMessage(), e);
      }
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** Opens the repository at {@link #root} with this goal's {@link #options()}. */
  protected Mlops open(EngineLog log) {
    return Mlops.open(root.toPath(), options(), log);
  }

  /** The options every goal shares; goals with their own parallelism or remote add to them. */
  protected MlopsOptions options() {
    return MlopsOptions.defaults()
        .env(environment())
        .hashJobs(hashJobs == null ? 0 : hashJobs)
        .offline(session != null && session.isOffline())
        .remote(remoteName())
        .remoteUrl(remoteUrl)
        .remoteOptions(remoteOptions);
  }

  /** The remote this goal was asked to use ({@code mlops.remote}), or null. */
  protected String remoteName() {
    return null;
  }

  protected Map<String, String> environment() {
    return System.getenv();
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

  /** Logs a multi-line text line by line at INFO. */
  protected static void print(EngineLog log, String text) {
    for (String line : text.split("\n")) {
      log.info(line);
    }
  }
}
