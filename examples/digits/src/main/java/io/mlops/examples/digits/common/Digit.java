package io.mlops.examples.digits.common;

import java.util.Locale;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * One 8x8 image: 64 pixel intensities (row by row) and the digit it shows.
 *
 * @param pixels the 64 feature values
 * @param label the digit, "0" to "9"
 */
public record Digit(double[] pixels, String label) {
  public static final int SIZE = 8;
  public static final int FEATURES = SIZE * SIZE;
  /** Feature names px00..px63: zero-padded, so Tribuo's sorted feature ids follow the pixel order. */
  public static final String[] FEATURE_NAMES = featureNames();

  public Digit {
    if (pixels.length != FEATURES) {
      throw new IllegalArgumentException("a digit has " + FEATURES + " pixels, got " + pixels.length);
    }
  }

  private static String[] featureNames() {
    String[] names = new String[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      names[i] = String.format(Locale.ROOT, "px%02d", i);
    }
    return names;
  }

  /** This digit as a Tribuo example; every pixel is a feature, zeros included (dense). */
  public Example<Label> toExample() {
    return new ArrayExample<>(new Label(label), FEATURE_NAMES, pixels);
  }

  /** The digit back from a Tribuo example made by {@link #toExample()}. */
  public static Digit fromExample(Example<Label> example) {
    double[] pixels = new double[FEATURES];
    example.forEach(f -> pixels[index(f.getName())] = f.getValue());
    return new Digit(pixels, example.getOutput().getLabel());
  }

  private static int index(String featureName) {
    int i = Integer.parseInt(featureName.substring(2));
    if (!featureName.equals(FEATURE_NAMES[i])) {
      throw new IllegalArgumentException("unknown feature " + featureName);
    }
    return i;
  }
}
