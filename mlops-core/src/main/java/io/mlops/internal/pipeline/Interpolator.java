package io.mlops.internal.pipeline;

import io.mlops.internal.yaml.PyStr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${...}} interpolation: a port of DVC's {@code dvc/parsing/interpolate.py}. */
final class Interpolator {
  /** {@code (?<!\\)\${(?P<inner>.*?)}}; Python's '.' stops only at '\n'. */
  static final Pattern KEYCRE = Pattern.compile("(?<!\\\\)\\$\\{(.*?)}", Pattern.UNIX_LINES);

  /** DVC's interpolate.ParseError (DVC formats it after a newline). */
  static final class ParseError extends RuntimeException {
    ParseError(String message) {
      super(message, null, false, false);
    }
  }

  /** A value taken as is from the context ({@code unwrap=False} in DVC: a Node). */
  record FromCtx(Object value) {}

  /** The {@code parsing} section of DVC's config. */
  record Config(boolean boolOptional, boolean listAppend) {
    static final Config DEFAULT = new Config(false, false);
  }

  private final VarsContext context;
  private final Config config;

  Interpolator(VarsContext context, Config config) {
    this.context = context;
    this.config = config;
  }

  static boolean isInterpolated(Object value) {
    return value instanceof String s && KEYCRE.matcher(s).find();
  }

  /**
   * DVC's pyparsing grammar {@code word (('.' word) | ('[' word ']'))*} with {@code word = CharsNotIn(".[]")};
   * returns the parts joined with '.'.
   */
  static String parseExpr(String inner) {
    StringBuilder out = new StringBuilder();
    int[] pos = {0};
    String first = word(inner, pos);
    if (first == null) {
      throw parseError(inner, 0, "Expected !W:(.[])");
    }
    out.append(first);
    while (true) {
      // pyparsing skips whitespace before the '.', '[' and ']' literals and before the end of the text (a word
      // itself keeps its whitespace), so only whitespace after a ']' is skipped here
      while (pos[0] < inner.length() && " \t\r\n".indexOf(inner.charAt(pos[0])) >= 0) {
        pos[0]++;
      }
      if (pos[0] >= inner.length()) {
        break;
      }
      int save = pos[0];
      char c = inner.charAt(pos[0]);
      String w = null;
      if (c == '.') {
        pos[0]++;
        w = word(inner, pos);
      } else if (c == '[') {
        pos[0]++;
        w = word(inner, pos);
        if (w != null && pos[0] < inner.length() && inner.charAt(pos[0]) == ']') {
          pos[0]++;
        } else {
          w = null;
        }
      }
      if (w == null) {
        throw parseError(inner, save, "Expected end of text");
      }
      out.append('.').append(w);
    }
    return out.toString();
  }

  private static String word(String s, int[] pos) {
    int start = pos[0];
    while (pos[0] < s.length() && ".[]".indexOf(s.charAt(pos[0])) < 0) {
      pos[0]++;
    }
    return pos[0] > start ? s.substring(start, pos[0]) : null;
  }

  private static final Pattern FOUND_WORD = Pattern.compile("[A-Za-z0-9_]{1,16}");

  /** The message DVC builds from pyparsing's ParseException (without colours). */
  private static ParseError parseError(String inner, int loc, String expected) {
    String embraced = "${" + inner + "}";
    int at = loc + 2;
    String found;
    Matcher m = FOUND_WORD.matcher(embraced);
    if (m.find(at) && m.start() == at) {
      found = m.group();
    } else {
      found = embraced.substring(at, at + 1);
    }
    return new ParseError(
        embraced
            + "\n"
            + " ".repeat(at)
            + "^\nParseException: "
            + expected
            + ", found '"
            + found
            + "'  (at char "
            + at
            + "), (line:1, col:"
            + (at + 1)
            + ")");
  }

  /** DVC's check_expression: every {@code ${...}} in {@code s} must parse. */
  static void checkExpression(String s) {
    Matcher m = KEYCRE.matcher(s);
    while (m.find()) {
      parseExpr(m.group(1));
    }
  }

  /** DVC's check_recursive_parse_errors: keys and values, recursively. */
  static void checkRecursive(Object data) {
    if (data instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        checkRecursive(e.getKey());
        checkRecursive(e.getValue());
      }
    } else if (data instanceof List<?> list) {
      list.forEach(Interpolator::checkRecursive);
    } else if (data instanceof String s) {
      checkExpression(s);
    }
  }

  /**
   * DVC's {@code Context.resolve_str}: a string that is exactly one {@code ${expr}} gives the value itself (any
   * type; wrapped in {@link FromCtx} when {@code unwrap} is false), otherwise the values are formatted into the
   * string.
   *
   * @param key the stage key being resolved ({@code cmd}, {@code deps}, ...) or null (no type restriction)
   */
  Object resolveStr(String src, boolean unwrap, boolean skipChecks, String key) {
    Matcher m = KEYCRE.matcher(src);
    List<int[]> spans = new ArrayList<>();
    List<String> inners = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
      inners.add(m.group(1));
    }
    if (spans.size() == 1 && spans.get(0)[0] == 0 && spans.get(0)[1] == src.length()) {
      String expr = skipChecks ? inners.get(0) : parseExpr(inners.get(0));
      VarsContext.Node node = context.select(expr);
      Object value = unwrap ? node.value() : new FromCtx(node.value());
      validateValue(value, key);
      return value;
    }
    StringBuilder buf = new StringBuilder();
    int index = 0;
    for (int i = 0; i < spans.size(); i++) {
      String expr = skipChecks ? inners.get(i) : parseExpr(inners.get(i));
      Object value = context.select(expr).value();
      validateValue(value, key);
      buf.append(src, index, spans.get(i)[0]).append(toStr(value));
      index = spans.get(i)[1];
    }
    buf.append(src.substring(index));
    return buf.toString().replace("\\${", "${");
  }

  static void validateValue(Object value, String key) {
    boolean primitive = value == null || !(value instanceof Map || value instanceof List || value instanceof FromCtx);
    if (value instanceof FromCtx) {
      primitive = false;
    }
    boolean notForeach = key != null && !key.contains("foreach");
    if (!primitive && notForeach) {
      if (value instanceof Map && key.equals("cmd")) {
        return;
      }
      throw new ParseError("Cannot interpolate data of type '" + PyStr.typeName(value) + "'");
    }
  }

  /** DVC's {@code to_str}: bools as true/false, dicts as command-line options, else Python str(). */
  String toStr(Object value) {
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (value instanceof Map<?, ?> map) {
      return dictToArgs(map);
    }
    return PyStr.str(value);
  }

  private String dictToArgs(Map<?, ?> map) {
    LinkedHashMap<String, Object> flat = new LinkedHashMap<>();
    flatten(null, map, flat);
    StringBuilder result = new StringBuilder();
    for (Map.Entry<String, Object> e : flat.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      if (v instanceof Boolean b) {
        if (b) {
          result.append("--").append(k).append(' ');
        } else if (config.boolOptional()) {
          result.append("--no-").append(k).append(' ');
        }
      } else if (v instanceof String s) {
        result.append("--").append(k).append(' ').append(shlexQuote(s)).append(' ');
      } else if (v instanceof List<?> list) {
        int n = 0;
        for (Object i : list) {
          String item;
          if (i instanceof String s) {
            item = shlexQuote(s);
          } else if (i instanceof List || i instanceof Map) {
            throw new ParseError("Cannot interpolate nested iterable in '" + k + "'");
          } else {
            item = PyStr.str(i);
          }
          if (config.listAppend()) {
            result.append("--").append(k).append(' ').append(item).append(' ');
          } else if (n > 0) {
            result.append(item).append(' ');
          } else {
            result.append("--").append(k).append(' ').append(item).append(' ');
          }
          n++;
        }
      } else {
        result.append("--").append(k).append(' ').append(PyStr.str(v)).append(' ');
      }
    }
    return result.toString().stripTrailing();
  }

  /** flatten_dict.flatten(d, reducer="dot"): nested non-empty dicts are flattened, empty ones dropped. */
  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = prefix == null ? PyStr.str(e.getKey()) : prefix + "." + PyStr.str(e.getKey());
      if (e.getValue() instanceof Map<?, ?> sub) {
        flatten(k, sub, out);
      } else {
        out.put(k, e.getValue());
      }
    }
  }

  private static final Pattern SHLEX_UNSAFE = Pattern.compile("[^A-Za-z0-9_@%+=:,./-]");

  /** Python's {@code shlex.quote}. */
  static String shlexQuote(String s) {
    if (s.isEmpty()) {
      return "''";
    }
    if (!SHLEX_UNSAFE.matcher(s).find()) {
      return s;
    }
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}
