package io.mlops.examples.digits.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two CSV forms of the data set. Raw (UCI optdigits): 64 integer counts 0..16 then the digit, no
 * header. Prepared: a header {@code px00,...,px63,label}, then the scaled pixels written exactly.
 */
public final class DigitsCsv {
  public static final String HEADER = String.join(",", Digit.FEATURE_NAMES) + ",label";

  private DigitsCsv() {}

  /** Every row of every {@code *.csv} file in {@code dir}, files in name order. */
  public static List<int[]> readRaw(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no .csv file in " + dir);
    }
    List<int[]> rows = new ArrayList<>();
    for (Path f : files) {
      int n = 0;
      for (String line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != Digit.FEATURES + 1) {
          throw new IOException(f + ":" + n + ": expected " + (Digit.FEATURES + 1) + " values, got " + cells.length);
        }
        int[] row = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
          row[i] = Integer.parseInt(cells[i].trim());
        }
        rows.add(row);
      }
    }
    return rows;
  }

  public static List<Digit> readPrepared(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + ": not a prepared digits file (header " + HEADER.substring(0, 15) + "...)");
    }
    List<Digit> digits = new ArrayList<>(lines.size() - 1);
    for (int n = 1; n < lines.size(); n++) {
      String[] cells = lines.get(n).split(",", -1);
      if (cells.length != Digit.FEATURES + 1) {
        throw new IOException(file + ":" + (n + 1) + ": expected " + (Digit.FEATURES + 1) + " values");
      }
      double[] pixels = new double[Digit.FEATURES];
      for (int i = 0; i < Digit.FEATURES; i++) {
        pixels[i] = Double.parseDouble(cells[i]);
      }
      digits.add(new Digit(pixels, cells[Digit.FEATURES]));
    }
    return digits;
  }

  public static void writePrepared(Path file, List<Digit> digits) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Digit d : digits) {
      for (double v : d.pixels()) {
        sb.append(Decimals.exact(v)).append(',');
      }
      sb.append(d.label()).append('\n');
    }
    TextFiles.write(file, sb);
  }
}
