package io.mlops.api;

import java.util.List;

/** What {@link Mlops#checkout} does; DVC's {@code checkout} flags. */
public final class CheckoutOptions {
  private List<String> targets = List.of();
  private boolean allowMissing;
  private boolean force;

  private CheckoutOptions() {}

  public static CheckoutOptions defaults() {
    return new CheckoutOptions();
  }

  public CheckoutOptions targets(List<String> targets) {
    this.targets = List.copyOf(targets);
    return this;
  }

  public List<String> targets() {
    return targets;
  }

  /** Skip outputs whose objects are missing from the cache ({@code --allow-missing}). */
  public CheckoutOptions allowMissing(boolean v) {
    allowMissing = v;
    return this;
  }

  public boolean allowMissing() {
    return allowMissing;
  }

  /** Overwrite outputs whose content is in no cache ({@code --force}). */
  public CheckoutOptions force(boolean v) {
    force = v;
    return this;
  }

  public boolean force() {
    return force;
  }
}
