package io.mlops.examples.digits.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training history: after each epoch, the mean hinge loss and the accuracy on the training rows and
 * on the held-out test rows. A CSV with values rounded to 6 decimals ({@link Decimals#fixed}).
 */
public final class History {
  public static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy";

  /** One epoch's numbers. */
  public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {}

  private History() {}

  public static void write(Path file, List<Epoch> epochs) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Epoch e : epochs) {
      sb.append(e.epoch()).append(',').append(Decimals.fixed(e.trainLoss(), 6)).append(',')
          .append(Decimals.fixed(e.trainAccuracy(), 6)).append(',').append(Decimals.fixed(e.testLoss(), 6))
          .append(',').append(Decimals.fixed(e.testAccuracy(), 6)).append('\n');
    }
    TextFiles.write(file, sb);
  }

  public static List<Epoch> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + ": expected the header " + HEADER);
    }
    List<Epoch> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",", -1);
      if (c.length != 5) {
        throw new IOException(file + ": bad row " + line);
      }
      out.add(new Epoch(Integer.parseInt(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
          Double.parseDouble(c[3]), Double.parseDouble(c[4])));
    }
    return out;
  }
}
