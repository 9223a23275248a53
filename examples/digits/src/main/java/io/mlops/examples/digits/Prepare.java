package io.mlops.examples.digits;

import io.mlops.examples.digits.common.Args;
import io.mlops.examples.digits.common.Digit;
import io.mlops.examples.digits.common.DigitsCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Stage {@code prepare}: reads the raw UCI optdigits rows (64 counts 0..16 and the digit), scales the
 * pixels to [0, 1] (k/16, exact in binary), and splits the rows into {@code train.csv} and {@code test.csv}
 * with Tribuo's {@link TrainTestSplitter} (a seeded shuffle, then the first {@code split} share for training).
 */
public final class Prepare {
  static final String USAGE = "Prepare --seed N --split FRACTION RAW_DIR PREPARED_DIR";
  static final int MAX_COUNT = 16;

  private Prepare() {}

  public static void main(String[] argv) throws IOException {
    Args args = Args.parse(argv, USAGE);
    long seed = args.longValue("seed");
    double split = args.doubleValue("split");
    if (!(split > 0 && split < 1)) {
      throw new IllegalArgumentException("--split must be between 0 and 1, got " + split);
    }
    Path raw = Path.of(args.path(0));
    Path out = Path.of(args.path(1));

    List<Example<Label>> examples = new ArrayList<>();
    for (int[] row : DigitsCsv.readRaw(raw)) {
      examples.add(scale(row).toExample());
    }
    LabelFactory factory = new LabelFactory();
    DataSource<Label> source = new ListDataSource<>(examples, factory,
        new SimpleDataSourceProvenance("UCI optdigits", factory));
    TrainTestSplitter<Label> splitter = new TrainTestSplitter<>(source, split, seed);

    List<Digit> train = digits(splitter.getTrain());
    List<Digit> test = digits(splitter.getTest());
    DigitsCsv.writePrepared(out.resolve("train.csv"), train);
    DigitsCsv.writePrepared(out.resolve("test.csv"), test);
    System.out.printf(Locale.ROOT, "prepare: %d digits -> %d for training, %d for testing (seed %d)%n",
        examples.size(), train.size(), test.size(), seed);
  }

  static Digit scale(int[] row) {
    double[] pixels = new double[Digit.FEATURES];
    for (int i = 0; i < Digit.FEATURES; i++) {
      if (row[i] < 0 || row[i] > MAX_COUNT) {
        throw new IllegalArgumentException("pixel count out of 0.." + MAX_COUNT + ": " + row[i]);
      }
      pixels[i] = row[i] / (double) MAX_COUNT;
    }
    int digit = row[Digit.FEATURES];
    if (digit < 0 || digit > 9) {
      throw new IllegalArgumentException("not a digit: " + digit);
    }
    return new Digit(pixels, Integer.toString(digit));
  }

  private static List<Digit> digits(DataSource<Label> source) {
    List<Digit> out = new ArrayList<>();
    for (Example<Label> e : source) {
      out.add(Digit.fromExample(e));
    }
    return out;
  }
}
