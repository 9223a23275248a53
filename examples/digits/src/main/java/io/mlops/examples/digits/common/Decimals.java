package io.mlops.examples.digits.common;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one way numbers are written to text outputs, so the bytes are the same on every JDK and machine:
 * the exact binary value of the double ({@link BigDecimal#BigDecimal(double)}), rounded half-even.
 * {@code Double.toString} is not used: its output changed in JDK 19.
 */
public final class Decimals {
  private Decimals() {}

  /** {@code value} with exactly {@code scale} digits after the point, e.g. {@code 0.957778}. */
  public static String fixed(double value, int scale) {
    if (!Double.isFinite(value)) {
      throw new ArithmeticException("not a finite number: " + value);
    }
    String s = new BigDecimal(value).setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    return s.startsWith("-") && new BigDecimal(s).signum() == 0 ? s.substring(1) : s;
  }

  /** The exact value of {@code value}, shortest plain form, e.g. {@code 0.0625} or {@code 1}. */
  public static String exact(double value) {
    if (!Double.isFinite(value)) {
      throw new ArithmeticException("not a finite number: " + value);
    }
    BigDecimal d = new BigDecimal(value);
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }
}
