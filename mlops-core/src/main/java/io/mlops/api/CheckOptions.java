package io.mlops.api;

import java.util.List;

/** The metric gates {@link Mlops#check} applies. */
public final class CheckOptions {
  private List<String> thresholds = List.of();
  private String baseline = ReportOptions.DEFAULT_BASELINE;

  private CheckOptions() {}

  public static CheckOptions defaults() {
    return new CheckOptions();
  }

  /**
   * Rules {@code [file:]key op limit}, op one of {@code >= > <= < == !=}, limit a number or
   * {@code baseline [+|- number]}: {@code f1 >= 0.9}, {@code loss <= baseline + 0.01}.
   */
  public CheckOptions thresholds(List<String> rules) {
    thresholds = List.copyOf(rules);
    return this;
  }

  public List<String> thresholds() {
    return thresholds;
  }

  /** The revision relative rules compare with; blank: {@code HEAD}. */
  public CheckOptions baseline(String rev) {
    baseline = rev == null || rev.isBlank() ? ReportOptions.DEFAULT_BASELINE : rev.strip();
    return this;
  }

  public String baseline() {
    return baseline;
  }
}
