package io.mlops.internal.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} for the plain value model (String, Boolean, Long/Integer/BigInteger,
 * Double, List, Map, null), as DVC relies on them when it formats values into strings.
 */
public final class PyStr {
  private PyStr() {}

  /** Python {@code str(value)}: None, True/False, ints in full, floats as {@link #floatRepr}, str as is. */
  public static String str(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return repr(value);
  }

  /**
   * Python's truthiness, negated: {@code not value} for the value model (None, False, 0, 0.0, "", empty list and
   * mapping are falsy), as DVC tests loaded documents and values.
   */
  public static boolean falsy(Object value) {
    if (value == null) {
      return true;
    }
    if (value instanceof Boolean b) {
      return !b;
    }
    if (value instanceof BigInteger bi) {
      return bi.signum() == 0;
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue() == 0.0;
    }
    if (value instanceof Number n) {
      return n.longValue() == 0;
    }
    if (value instanceof String s) {
      return s.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    if (value instanceof List<?> l) {
      return l.isEmpty();
    }
    return false;
  }

  /** Python {@code repr(value)}. */
  public static String repr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double d) {
      return floatRepr(d);
    }
    if (value instanceof Float f) {
      return floatRepr(f.doubleValue());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof BigInteger
        || value instanceof Short || value instanceof Byte) {
      return value.toString();
    }
    if (value instanceof BigDecimal bd) {
      return floatRepr(bd.doubleValue());
    }
    if (value instanceof String s) {
      return stringRepr(s);
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      return sb.append('}').toString();
    }
    if (value instanceof Collection<?> c) {
      StringBuilder sb = new StringBuilder("[");
      Iterator<?> it = c.iterator();
      while (it.hasNext()) {
        sb.append(repr(it.next()));
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      return sb.append(']').toString();
    }
    return value.toString();
  }

  /** The Python type name of a value of the plain value model ({@code str}, {@code int}, {@code dict}, ...). */
  public static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
      return "int";
    }
    if (value instanceof Double || value instanceof Float) {
      return "float";
    }
    if (value instanceof Map) {
      return "dict";
    }
    if (value instanceof Collection) {
      return "list";
    }
    return value.getClass().getSimpleName();
  }

  /** Python {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
  public static String stringRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder(s.length() + 2).append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp < 0x20 || cp == 0x7f) {
        sb.append(String.format("\\x%02x", cp));
      } else if (cp >= 0x80 && !isPrintable(cp)) {
        if (cp <= 0xff) {
          sb.append(String.format("\\x%02x", cp));
        } else if (cp <= 0xffff) {
          sb.append(String.format("\\u%04x", cp));
        } else {
          sb.append(String.format("\\U%08x", cp));
        }
      } else {
        sb.appendCodePoint(cp);
      }
    }
    return sb.append(quote).toString();
  }

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return !(type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || (type == Character.SPACE_SEPARATOR && cp != ' '));
  }

  /**
   * Python {@code repr(float)}: the shortest digits that round-trip, positional notation for decimal exponents
   * -4..15 (with a trailing {@code .0} when integral), else scientific with a signed two-digit-minimum exponent
   * ({@code 1e-05}, {@code 1.5e+16}); {@code inf}, {@code -inf}, {@code nan}.
   */
  public static String floatRepr(double d) {
    return io.mlops.internal.json.PyJson.floatRepr(d);
  }
}
