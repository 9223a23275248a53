package io.mlops.api;

/** What {@link Mlops#metrics} and {@link Mlops#params} show: DVC's {@code show}/{@code diff} flags. */
public final class CompareOptions {
  /** The output format: DVC's plain table, {@code --md} or {@code --json}. */
  public enum Format {
    PLAIN,
    MD,
    JSON
  }

  private String rev;
  private Format format = Format.PLAIN;
  private boolean all;
  private boolean noPath;
  private Integer precision;
  private boolean depsOnly;
  private java.nio.file.Path output;

  private CompareOptions() {}

  public static CompareOptions defaults() {
    return new CompareOptions();
  }

  /** Diff the workspace against this Git revision ({@code diff REV}); null or blank: show the workspace. */
  public CompareOptions rev(String rev) {
    this.rev = rev == null || rev.isBlank() ? null : rev.strip();
    return this;
  }

  public String rev() {
    return rev;
  }

  public boolean isDiff() {
    return rev != null;
  }

  public CompareOptions format(Format format) {
    this.format = format;
    return this;
  }

  public Format format() {
    return format;
  }

  /** Also unchanged values ({@code --all}). */
  public CompareOptions all(boolean v) {
    all = v;
    return this;
  }

  public boolean all() {
    return all;
  }

  /** No Path column ({@code --no-path}). */
  public CompareOptions noPath(boolean v) {
    noPath = v;
    return this;
  }

  public boolean noPath() {
    return noPath;
  }

  /** metrics: digits floats are rounded to ({@code --precision}); null: DVC's 5. */
  public CompareOptions precision(Integer digits) {
    precision = digits;
    return this;
  }

  public Integer precision() {
    return precision;
  }

  /** params: only those stages depend on ({@code --deps}). */
  public CompareOptions depsOnly(boolean v) {
    depsOnly = v;
    return this;
  }

  public boolean depsOnly() {
    return depsOnly;
  }

  /** Also write the text to this file (atomically), e.g. for a pull-request comment; null: do not. */
  public CompareOptions output(java.nio.file.Path file) {
    output = file;
    return this;
  }

  public java.nio.file.Path output() {
    return output;
  }
}
