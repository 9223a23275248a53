package io.mlops.maven;

import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Downloads tracked data from the remote into the cache without touching the workspace ({@code dvc fetch}). */
@Mojo(name = "fetch", threadSafe = true)
public class FetchMojo extends AbstractTransferMojo {
  /** Continue when some objects are missing from the remote. */
  @Parameter(property = "mlops.allowMissing", defaultValue = "false")
  private boolean allowMissing;

  @Parameter(property = "mlops.fetch.skip", defaultValue = "false")
  private boolean skipFetch;

  @Override
  protected String goal() {
    return "fetch";
  }

  @Override
  protected boolean goalSkipped() {
    return skipFetch;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      mlops.fetch(transfer().allowMissing(allowMissing));
    }
  }
}
