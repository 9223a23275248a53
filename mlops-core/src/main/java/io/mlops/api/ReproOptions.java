package io.mlops.api;

import java.nio.file.Path;
import java.util.List;

/** What {@link Mlops#repro} does; DVC's {@code repro} flags. A fluent builder, e.g. {@code ReproOptions.defaults().force(true)}. */
public final class ReproOptions {
  private List<String> targets = List.of();
  private boolean force;
  private boolean downstream;
  private boolean single;
  private boolean dry;
  private boolean keepGoing;
  private boolean noRunCache;
  private boolean pull;
  private boolean allowMissing;
  private Path report;

  private ReproOptions() {}

  public static ReproOptions defaults() {
    return new ReproOptions();
  }

  /** Stage names, {@code path/dvc.yaml:name}, {@code .dvc} files or outputs; empty: the root dvc.yaml's stages. */
  public ReproOptions targets(List<String> targets) {
    this.targets = List.copyOf(targets);
    return this;
  }

  public List<String> targets() {
    return targets;
  }

  /** Run stages even if nothing changed ({@code -f}). */
  public ReproOptions force(boolean v) {
    force = v;
    return this;
  }

  public boolean force() {
    return force;
  }

  /** Also the stages downstream of the targets ({@code --downstream}). */
  public ReproOptions downstream(boolean v) {
    downstream = v;
    return this;
  }

  public boolean downstream() {
    return downstream;
  }

  /** Only the targets, not what they depend on ({@code -s}). */
  public ReproOptions single(boolean v) {
    single = v;
    return this;
  }

  public boolean single() {
    return single;
  }

  /** Print the commands without running them ({@code --dry}). */
  public ReproOptions dry(boolean v) {
    dry = v;
    return this;
  }

  public boolean dry() {
    return dry;
  }

  /** After a failure go on with the stages that do not depend on it, and fail at the end ({@code -k}). */
  public ReproOptions keepGoing(boolean v) {
    keepGoing = v;
    return this;
  }

  public boolean keepGoing() {
    return keepGoing;
  }

  /** Never restore outputs from the run-cache ({@code --no-run-cache}). */
  public ReproOptions noRunCache(boolean v) {
    noRunCache = v;
    return this;
  }

  public boolean noRunCache() {
    return noRunCache;
  }

  /**
   * Fetch missing data from the remote for the stages it reproduces, and the run-cache first, so that a run
   * recorded elsewhere is restored instead of run ({@code --pull}).
   */
  public ReproOptions pull(boolean v) {
    pull = v;
    return this;
  }

  public boolean pull() {
    return pull;
  }

  /** Outputs missing from the workspace and the cache do not make a stage changed ({@code --allow-missing}). */
  public ReproOptions allowMissing(boolean v) {
    allowMissing = v;
    return this;
  }

  public boolean allowMissing() {
    return allowMissing;
  }

  /** Where to write the {@link ReproResult} as JSON ({@code target/mlops/repro.json} in Maven); null: nowhere. */
  public ReproOptions report(Path file) {
    report = file;
    return this;
  }

  public Path report() {
    return report;
  }
}
