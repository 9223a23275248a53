package io.mlops.api;

import java.util.List;

/** What {@link Mlops#push}, {@link Mlops#pull} and {@link Mlops#fetch} move; DVC's flags of those commands. */
public final class TransferOptions {
  private List<String> targets = List.of();
  private boolean runCache;
  private boolean allowMissing;
  private boolean force;

  private TransferOptions() {}

  public static TransferOptions defaults() {
    return new TransferOptions();
  }

  /** Stages, {@code .dvc} files or outputs (with what they depend on); empty: everything tracked. */
  public TransferOptions targets(List<String> targets) {
    this.targets = List.copyOf(targets);
    return this;
  }

  public List<String> targets() {
    return targets;
  }

  /** Also the run-cache ({@code --run-cache}). */
  public TransferOptions runCache(boolean v) {
    runCache = v;
    return this;
  }

  public boolean runCache() {
    return runCache;
  }

  /** pull/fetch: warn about objects missing from the remote instead of failing ({@code --allow-missing}). */
  public TransferOptions allowMissing(boolean v) {
    allowMissing = v;
    return this;
  }

  public boolean allowMissing() {
    return allowMissing;
  }

  /** pull: overwrite outputs whose content is in no cache ({@code --force}). */
  public TransferOptions force(boolean v) {
    force = v;
    return this;
  }

  public boolean force() {
    return force;
  }
}
