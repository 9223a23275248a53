package io.mlops.api;

import java.nio.file.Path;

/** What {@link Mlops#plots} renders: {@code dvc plots show}, or {@code dvc plots diff REV} with a revision. */
public final class PlotsOptions {
  private Path output;
  private String rev;

  private PlotsOptions() {}

  public static PlotsOptions defaults() {
    return new PlotsOptions();
  }

  /** Directory for the PNG files, {@code index.md} and {@code plots.json}; null: {@code dvc_plots} in the root. */
  public PlotsOptions output(Path dir) {
    output = dir;
    return this;
  }

  public Path output() {
    return output;
  }

  /** A baseline revision drawn beside the workspace; null or blank: the workspace alone. */
  public PlotsOptions rev(String rev) {
    this.rev = rev == null || rev.isBlank() ? null : rev.strip();
    return this;
  }

  public String rev() {
    return rev;
  }
}
