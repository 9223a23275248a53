package io.mlops.api;

import java.util.List;

/** What {@link Mlops#dag} draws. */
public final class DagOptions {
  private List<String> targets = List.of();
  private boolean mermaid;
  private boolean markdown;
  private boolean full;
  private boolean outs;
  private boolean collapseForeachMatrix;

  private DagOptions() {}

  public static DagOptions defaults() {
    return new DagOptions();
  }

  public DagOptions targets(List<String> targets) {
    this.targets = List.copyOf(targets);
    return this;
  }

  public List<String> targets() {
    return targets;
  }

  /** The whole pipeline of each target instead of the target and what it depends on ({@code --full}). */
  public DagOptions full(boolean v) {
    full = v;
    return this;
  }

  public boolean full() {
    return full;
  }

  /** A Mermaid flowchart instead of the ASCII drawing ({@code --mermaid}). */
  public DagOptions mermaid(boolean v) {
    mermaid = v;
    return this;
  }

  public boolean mermaid() {
    return mermaid;
  }

  /** The Mermaid flowchart wrapped in a Markdown code block ({@code --md}); implies {@link #mermaid(boolean)}. */
  public DagOptions markdown(boolean v) {
    markdown = v;
    return this;
  }

  public boolean markdown() {
    return markdown;
  }

  /** The outputs graph instead of the stage graph ({@code --outs}): an output points to the outputs it is made from. */
  public DagOptions outs(boolean v) {
    outs = v;
    return this;
  }

  public boolean outs() {
    return outs;
  }

  /** Each foreach/matrix definition's stages drawn as one node ({@code --collapse-foreach-matrix}). */
  public DagOptions collapseForeachMatrix(boolean v) {
    collapseForeachMatrix = v;
    return this;
  }

  public boolean collapseForeachMatrix() {
    return collapseForeachMatrix;
  }
}
