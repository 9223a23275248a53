package io.mlops.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Mlops#plots} wrote.
 *
 * @param output the directory
 * @param plots one entry per plot: its DVC id and the files written for it, relative to {@code output}
 */
public record PlotsResult(Path output, List<Plot> plots) {
  public PlotsResult {
    plots = List.copyOf(plots);
  }

  /**
   * @param id DVC's plot id
   * @param files the images written (one per revision for image plots)
   */
  public record Plot(String id, List<String> files) {}
}
