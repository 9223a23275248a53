package io.mlops.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Byte-exact emulation of the few Python text conversions that DVC's file formats and hashes depend on.
 *
 * <p>All methods accept the same value model:
 *
 * <ul>
 *   <li>{@code null} (Python {@code None}), {@link Boolean}, {@link String};
 *   <li>integers: {@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link BigInteger};
 *   <li>floats: {@link Double}, {@link Float}, and {@link BigDecimal} (converted to the nearest double);
 *   <li>{@link Map} (any implementation; keys are normally strings) and {@link List} / {@code Object[]}.
 * </ul>
 *
 * <p>Anything else is rejected with an {@link IllegalArgumentException}, like Python's
 * {@code TypeError: Object of type X is not JSON serializable}.
 */
public final class PyJson {

  /**
   * Orders strings the way Python compares {@code str}: by Unicode code point. This differs from
   * {@link String#compareTo} for characters outside the Basic Multilingual Plane (U+1F600 sorts after
   * U+FFFD in Python but before it by UTF-16 code units).
   */
  public static final Comparator<String> CODE_POINT_ORDER = PyJson::compareCodePoints;

  private PyJson() {}

  // ---------------------------------------------------------------------------------------------
  // json.dumps
  // ---------------------------------------------------------------------------------------------

  /**
   * Returns exactly what Python's {@code json.dumps(value, sort_keys=True)} returns with all other
   * arguments at their defaults: separators {@code ", "} and {@code ": "}, {@code ensure_ascii=True},
   * {@code allow_nan=True}.
   *
   * <p>Mapping keys are sorted by code point. As in Python, non-string keys are allowed when they are
   * mutually comparable (all strings, or all numbers/booleans) and are converted to their JSON key text
   * ({@code True} becomes {@code "true"}, {@code 1.5} becomes {@code "1.5"}).
   *
   * @throws IllegalArgumentException for values outside the supported model, or keys Python could not
   *     sort
   */
  public static String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    writeJson(out, value, true);
    return out.toString();
  }

  /**
   * Python's {@code json.dumps(value)} without {@code sort_keys}: like {@link #dumps(Object)}, but mappings keep
   * their iteration order (what DVC's {@code --json} output prints).
   */
  public static String dumpsInOrder(Object value) {
    StringBuilder out = new StringBuilder();
    writeJson(out, value, false);
    return out.toString();
  }

  private static void writeJson(StringBuilder out, Object value, boolean sortKeys) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof String s) {
      writeJsonString(out, s);
    } else if (isInteger(value)) {
      out.append(value.toString());
    } else if (isFloat(value)) {
      double d = toDouble(value);
      if (Double.isNaN(d)) {
        out.append("NaN");
      } else if (Double.isInfinite(d)) {
        out.append(d > 0 ? "Infinity" : "-Infinity");
      } else {
        out.append(floatRepr(d));
      }
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
      if (sortKeys && entries.size() > 1) {
        entries.sort((a, b) -> comparePythonKeys(a.getKey(), b.getKey()));
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : entries) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        writeJsonString(out, jsonKey(e.getKey()));
        out.append(": ");
        writeJson(out, e.getValue(), sortKeys);
      }
      out.append('}');
    } else if (value instanceof List<?> || value instanceof Object[]) {
      List<?> list = asList(value);
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        writeJson(out, item, sortKeys);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "Object of type " + value.getClass().getName() + " is not JSON serializable");
    }
  }

  /** The text Python's json module uses for a non-string dict key. */
  private static String jsonKey(Object key) {
    if (key instanceof String s) {
      return s;
    }
    if (key == null) {
      return "null";
    }
    if (key instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (isInteger(key)) {
      return key.toString();
    }
    if (isFloat(key)) {
      double d = toDouble(key);
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      return floatRepr(d);
    }
    throw new IllegalArgumentException(
        "keys must be str, int, float, bool or None, not " + key.getClass().getName());
  }

  /** Python's ordering of two dict keys in {@code sorted(d.items())}. */
  private static int comparePythonKeys(Object a, Object b) {
    if (a instanceof String sa && b instanceof String sb) {
      return compareCodePoints(sa, sb);
    }
    if (isNumberLike(a) && isNumberLike(b)) {
      return toBigDecimalForCompare(a).compareTo(toBigDecimalForCompare(b));
    }
    throw new IllegalArgumentException(
        "'<' not supported between keys " + typeName(a) + " and " + typeName(b));
  }

  private static boolean isNumberLike(Object o) {
    if (o instanceof Boolean) {
      return true;
    }
    if (isInteger(o)) {
      return true;
    }
    return isFloat(o) && !Double.isNaN(toDouble(o)) && !Double.isInfinite(toDouble(o));
  }

  private static BigDecimal toBigDecimalForCompare(Object o) {
    if (o instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (o instanceof BigInteger bi) {
      return new BigDecimal(bi);
    }
    if (isInteger(o)) {
      return BigDecimal.valueOf(((Number) o).longValue());
    }
    return new BigDecimal(toDouble(o));
  }

  private static String typeName(Object o) {
    return o == null ? "NoneType" : o.getClass().getSimpleName();
  }

  /** Writes a JSON string literal with {@code ensure_ascii=True} escaping (as {@code json.dumps} does). */
  public static void writeJsonString(StringBuilder out, String s) {
    out.append('"');
    int plain = 0;
    while (plain < s.length()) {
      char c = s.charAt(plain);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        break;
      }
      plain++;
    }
    // the common case, nothing to escape: one bulk append (a .dir manifest is mostly md5s and plain names)
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c >= 0x20 && c <= 0x7e) {
            out.append(c);
          } else {
            // Java strings are UTF-16, so astral characters already arrive as the surrogate pair
            // Python emits for them.
            out.append("\\u");
            appendHexDigits(out, c, 4);
          }
        }
      }
    }
    out.append('"');
  }

  // ---------------------------------------------------------------------------------------------
  // repr(float)
  // ---------------------------------------------------------------------------------------------

  /**
   * Returns Python's {@code repr(float)}: the shortest decimal string that reads back as the same
   * double (the closest such string when several have the shortest length), in fixed notation when the
   * decimal exponent is in {@code [-4, 16)} and in scientific notation ({@code 1e-05}, {@code 1.5e+16})
   * otherwise. Integral values in fixed notation end in {@code .0}; special values are {@code inf},
   * {@code -inf} and {@code nan}.
   */
  public static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0.0) {
      return Double.doubleToRawLongBits(d) == 0L ? "0.0" : "-0.0";
    }
    BigDecimal shortest = shortestRoundTrip(Math.abs(d));
    String digits = shortest.unscaledValue().toString();
    // value = 0.<digits> * 10^decpt
    int decpt = digits.length() - shortest.scale();
    StringBuilder out = new StringBuilder(32);
    if (d < 0) {
      out.append('-');
    }
    if (decpt <= -4 || decpt > 16) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int exp = decpt - 1;
      out.append('e').append(exp < 0 ? '-' : '+');
      int absExp = Math.abs(exp);
      if (absExp < 10) {
        out.append('0');
      }
      out.append(absExp);
    } else if (decpt <= 0) {
      out.append("0.");
      out.append("0".repeat(-decpt));
      out.append(digits);
    } else if (decpt >= digits.length()) {
      out.append(digits);
      out.append("0".repeat(decpt - digits.length()));
      out.append(".0");
    } else {
      out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
    }
    return out.toString();
  }

  /**
   * The shortest decimal that parses back to {@code d} (positive, finite, non-zero), with trailing
   * zeros stripped. Among the candidates of the shortest length the one closest to the exact binary
   * value wins, which is what Python's {@code repr} (David Gay's dtoa, mode 0) returns.
   */
  private static BigDecimal shortestRoundTrip(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = parsesTo(down, d);
      boolean upOk = parsesTo(up, d);
      BigDecimal best;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp < 0) {
          best = down;
        } else if (cmp > 0) {
          best = up;
        } else {
          best = down.unscaledValue().testBit(0) ? up : down;
        }
      } else if (downOk) {
        best = down;
      } else if (upOk) {
        best = up;
      } else {
        continue;
      }
      return best.stripTrailingZeros();
    }
    // 17 significant digits always round-trip; unreachable.
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static boolean parsesTo(BigDecimal candidate, double d) {
    return Double.parseDouble(candidate.toString()) == d;
  }

  // ---------------------------------------------------------------------------------------------
  // str() / repr()
  // ---------------------------------------------------------------------------------------------

  /** Python's {@code str} ordering: by Unicode code point. */
  public static int compareCodePoints(String a, String b) {
    return io.mlops.internal.util.PathUtil.compareCodePoints(a, b);
  }

  static boolean isInteger(Object v) {
    return v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger;
  }

  static boolean isFloat(Object v) {
    return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
  }

  static double toDouble(Object v) {
    if (v instanceof Float f) {
      // Python has no single precision: a float32 value is widened exactly.
      return f.doubleValue();
    }
    return ((Number) v).doubleValue();
  }

  private static List<?> asList(Object value) {
    return value instanceof Object[] arr ? Arrays.asList(arr) : (List<?>) value;
  }

  /** Appends {@code value} as lowercase hex, zero-padded to {@code width} digits. */
  private static void appendHexDigits(StringBuilder out, int value, int width) {
    String hex = Integer.toHexString(value);
    for (int k = hex.length(); k < width; k++) {
      out.append('0');
    }
    out.append(hex);
  }
}
