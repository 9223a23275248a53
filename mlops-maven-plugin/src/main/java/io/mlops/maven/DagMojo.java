package io.mlops.maven;

import io.mlops.api.DagOptions;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Prints the pipeline graph, drawn in ASCII like {@code dvc dag} or as a Mermaid flowchart ({@code --mermaid}). */
@Mojo(name = "dag", threadSafe = true)
public class DagMojo extends AbstractMlopsMojo {
  /** Stages to show with their upstream; all when empty. */
  @Parameter(property = "mlops.targets")
  private List<String> targets;

  /** Show each target's whole pipeline, not only what it depends on ({@code dvc dag --full}). */
  @Parameter(property = "mlops.full", defaultValue = "false")
  private boolean full;

  /** Print a Mermaid flowchart ({@code dvc dag --mermaid}). */
  @Parameter(property = "mlops.mermaid", defaultValue = "false")
  private boolean mermaid;

  /** Print the Mermaid flowchart in a Markdown code block ({@code dvc dag --md}), e.g. for a job summary. */
  @Parameter(property = "mlops.md", defaultValue = "false")
  private boolean md;

  /** Draw the outputs graph instead of the stage graph ({@code dvc dag --outs}). */
  @Parameter(property = "mlops.outs", defaultValue = "false")
  private boolean outs;

  /** Draw each foreach/matrix definition's stages as one node ({@code dvc dag --collapse-foreach-matrix}). */
  @Parameter(property = "mlops.collapseForeachMatrix", defaultValue = "false")
  private boolean collapseForeachMatrix;

  @Parameter(property = "mlops.dag.skip", defaultValue = "false")
  private boolean skipDag;

  @Override
  protected String goal() {
    return "dag";
  }

  @Override
  protected boolean goalSkipped() {
    return skipDag;
  }

  @Override
  protected void run(EngineLog log) {
    try (Mlops mlops = open(log)) {
      print(log, mlops.dag(DagOptions.defaults().targets(list(targets)).full(full).mermaid(mermaid)
          .markdown(md).outs(outs).collapseForeachMatrix(collapseForeachMatrix)));
    }
  }
}
