package io.mlops.maven;

import io.mlops.api.CompareOptions;
import io.mlops.api.CompareResult;
import io.mlops.api.Mlops;
import java.io.File;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * With {@code -Dmlops.rev=main}, shows how the params changed since that revision ({@code dvc params diff main});
 * without it, the workspace's params in the layout of {@code dvc metrics show}.
 */
@Mojo(name = "params", threadSafe = true)
public class ParamsMojo extends AbstractCompareMojo {
  /** Only params that stages depend on ({@code --deps}). */
  @Parameter(property = "mlops.deps", defaultValue = "false")
  private boolean deps;

  /** Also write the table or JSON to this file. */
  @Parameter(property = "mlops.params.output")
  private File outputFile;

  @Parameter(property = "mlops.params.skip", defaultValue = "false")
  private boolean skipParams;

  @Override
  protected String goal() {
    return "params";
  }

  @Override
  protected boolean goalSkipped() {
    return skipParams;
  }

  @Override
  protected File output() {
    return outputFile;
  }

  @Override
  protected CompareResult compute(Mlops mlops, CompareOptions options) {
    return mlops.params(options.depsOnly(deps));
  }
}
