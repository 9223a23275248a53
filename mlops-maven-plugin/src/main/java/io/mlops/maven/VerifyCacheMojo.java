package io.mlops.maven;

import io.mlops.api.CacheVerifyResult;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Re-hashes every object of the local cache, read-only ones included (which DVC and the other goals trust), and
 * removes the corrupt ones so that {@code mlops:pull} or {@code mlops:commit} restores them. Fails the build when
 * any was found. DVC has no such command ({@code mlops cache verify} on the command line).
 */
@Mojo(name = "verify-cache", threadSafe = true)
public class VerifyCacheMojo extends AbstractMlopsMojo {
  @Parameter(property = "mlops.verifyCache.skip", defaultValue = "false")
  private boolean skipVerifyCache;

  @Override
  protected String goal() {
    return "verify-cache";
  }

  @Override
  protected boolean goalSkipped() {
    return skipVerifyCache;
  }

  @Override
  protected void run(EngineLog log) throws MojoFailureException {
    CacheVerifyResult r;
    try (Mlops mlops = open(log)) {
      r = mlops.verifyCache();
    }
    r.corrupt().forEach(line -> log.error("corrupt cache object: " + line));
    log.info(r.checked() + " objects (" + r.bytes() + " bytes) checked, " + r.corrupt().size() + " corrupt"
        + (r.staleTemporaries() > 0 ? ", " + r.staleTemporaries() + " stale temporary files removed" : ""));
    if (!r.intact()) {
      throw new MojoFailureException(r.corrupt().size() + " corrupt object(s) in the cache were removed: pull or "
          + "commit the data again to restore them (mvn mlops:pull, mlops:commit)");
    }
  }
}
