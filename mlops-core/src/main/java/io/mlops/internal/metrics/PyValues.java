package io.mlops.internal.metrics;

import io.mlops.internal.yaml.PyStr;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Python semantics DVC's metrics and params comparison relies on, over the plain value model (String,
 * Boolean, Long/Integer/BigInteger, Double, List, Map, null): {@code ==} (where {@code 1 == 1.0 == True}),
 * {@code new - old}, {@code round(x, n)} and {@code str()}.
 */
public final class PyValues {
  private PyValues() {}

  /** Python's {@code isinstance(v, (int, float))}: booleans count, as in Python. */
  public static boolean isNumber(Object v) {
    return v instanceof Boolean || isInt(v) || v instanceof Double || v instanceof Float;
  }

  private static boolean isInt(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
        || v instanceof Byte;
  }

  private static boolean isFloat(Object v) {
    return v instanceof Double || v instanceof Float;
  }

  private static BigInteger bigInt(Object v) {
    if (v instanceof Boolean b) {
      return b ? BigInteger.ONE : BigInteger.ZERO;
    }
    if (v instanceof BigInteger bi) {
      return bi;
    }
    return BigInteger.valueOf(((Number) v).longValue());
  }

  /** Python {@code a == b}. Numbers compare exactly across int, float and bool. */
  public static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (isNumber(a) && isNumber(b)) {
      if (isFloat(a) || isFloat(b)) {
        double da = isFloat(a) ? ((Number) a).doubleValue() : Double.NaN;
        double db = isFloat(b) ? ((Number) b).doubleValue() : Double.NaN;
        if (isFloat(a) && isFloat(b)) {
          return da == db;
        }
        double f = isFloat(a) ? da : db;
        Object i = isFloat(a) ? b : a;
        if (Double.isNaN(f) || Double.isInfinite(f)) {
          return false;
        }
        return new BigDecimal(f).compareTo(new BigDecimal(bigInt(i))) == 0;
      }
      return bigInt(a).equals(bigInt(b));
    }
    if (a instanceof String || b instanceof String) {
      return a.equals(b);
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      Iterator<?> ib = lb.iterator();
      for (Object x : la) {
        if (!equal(x, ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Python {@code new - old} for two numbers: int arithmetic unless either is a float. */
  public static Object subtract(Object newValue, Object oldValue) {
    if (isFloat(newValue) || isFloat(oldValue)) {
      return toDouble(newValue) - toDouble(oldValue);
    }
    return narrow(bigInt(newValue).subtract(bigInt(oldValue)));
  }

  private static double toDouble(Object v) {
    return isFloat(v) ? ((Number) v).doubleValue() : bigInt(v).doubleValue();
  }

  private static Object narrow(BigInteger v) {
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  /**
   * Python {@code round(x, ndigits)} for a float: the exact binary value rounded half-even to {@code ndigits}
   * decimals, then the nearest double (the sign of a zero result is kept).
   */
  public static double round(double x, int ndigits) {
    if (Double.isNaN(x) || Double.isInfinite(x) || x == 0.0) {
      return x;
    }
    if (ndigits > 323) {
      return x;
    }
    if (ndigits < -308) {
      return 0.0 * x;
    }
    BigDecimal r = new BigDecimal(x).setScale(ndigits, RoundingMode.HALF_EVEN);
    double d = Double.parseDouble(r.toString());
    return d == 0.0 ? Math.copySign(0.0, x) : d;
  }

  /** Python {@code str(v)}. */
  public static String str(Object v) {
    return PyStr.str(v);
  }
}
