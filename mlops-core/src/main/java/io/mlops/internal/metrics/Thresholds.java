package io.mlops.internal.metrics;

import io.mlops.api.MlopsException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric gates: rules such as {@code f1 >= 0.9}, {@code evaluation/metrics.json:accuracy > 0.95} or
 * {@code loss <= baseline + 0.01} ("no worse than the baseline by more than 0.01"), checked against the
 * workspace's metrics and, for rules that name {@code baseline}, a baseline revision's.
 *
 * <p>Grammar: {@code [path:]key op limit}, where {@code key} is a flattened metric key as {@code dvc metrics show}
 * prints it ({@code a.b.c}), {@code op} one of {@code >= > <= < == !=}, and {@code limit} a number or
 * {@code baseline}, optionally {@code + number} or {@code - number}. A key found in several metrics files must be
 * prefixed by its file.
 */
public final class Thresholds {
  private static final Pattern RULE = Pattern.compile(
      "\\s*(?:(?<path>[^:\\s]+):)?(?<key>[^\\s<>=!]+)\\s*(?<op>>=|<=|==|!=|>|<)\\s*"
          + "(?:(?<base>baseline)\\s*(?:(?<sign>[+-])\\s*(?<delta>[0-9.eE+-]+))?|(?<number>[+-]?[0-9.eE+-]+))\\s*");
  private static final String SYNTAX = "write it as `[file:]key op limit` with op one of >= > <= < == != and limit a"
      + " number or `baseline`, `baseline - 0.01`, `baseline + 0.01`, e.g. `f1 >= 0.9` or `loss <= baseline + 0.01`";

  private Thresholds() {}

  /**
   * One parsed rule.
   *
   * @param text as written
   * @param path the metrics file it names, or null for any
   * @param key the flattened key
   * @param op the comparison
   * @param relative whether the limit is relative to the baseline
   * @param operand the limit (absolute), or the offset added to the baseline (relative)
   */
  public record Rule(String text, String path, String key, String op, boolean relative, BigDecimal operand) {}

  /**
   * The verdict on one rule.
   *
   * @param rule the rule
   * @param path the metrics file the value came from, or null when the key was not found
   * @param value the workspace's value, or null
   * @param baseline the baseline's value (relative rules), or null
   * @param limit the limit the value was compared with, or null when it could not be computed
   * @param passed whether the rule holds
   * @param note why it failed or was waived, or ""
   */
  public record Outcome(Rule rule, String path, Object value, Object baseline, BigDecimal limit, boolean passed,
      String note) {}

  /** Parses rules; an unreadable one is an error naming it and the syntax. */
  public static List<Rule> parse(List<String> texts) {
    List<Rule> rules = new ArrayList<>();
    for (String text : texts) {
      Matcher m = RULE.matcher(text);
      if (!m.matches()) {
        throw new MlopsException("cannot read the metric threshold `" + text.strip() + "`", null, 0, SYNTAX);
      }
      try {
        boolean relative = m.group("base") != null;
        BigDecimal operand;
        if (relative) {
          operand = m.group("delta") == null ? BigDecimal.ZERO : new BigDecimal(m.group("delta"));
          if ("-".equals(m.group("sign"))) {
            operand = operand.negate();
          }
        } else {
          operand = new BigDecimal(m.group("number"));
        }
        rules.add(new Rule(text.strip(), m.group("path"), m.group("key"), m.group("op"), relative, operand));
      } catch (NumberFormatException e) {
        throw new MlopsException("the metric threshold `" + text.strip() + "` has a limit that is not a number", null,
            0, SYNTAX);
      }
    }
    return rules;
  }

  /** Whether any rule needs a baseline revision. */
  public static boolean needBaseline(List<Rule> rules) {
    return rules.stream().anyMatch(Rule::relative);
  }

  /**
   * Checks every rule.
   *
   * @param current the workspace's metrics (path → result)
   * @param baseline the baseline revision's metrics, or null when no rule is relative
   */
  public static List<Outcome> check(List<Rule> rules, Map<String, FileResult> current,
      Map<String, FileResult> baseline) {
    List<Outcome> out = new ArrayList<>();
    for (Rule r : rules) {
      out.add(check(r, current, baseline));
    }
    return out;
  }

  private static Outcome check(Rule r, Map<String, FileResult> current, Map<String, FileResult> baseline) {
    List<String> paths = new ArrayList<>();
    for (Map.Entry<String, FileResult> e : current.entrySet()) {
      if ((r.path() == null || r.path().equals(e.getKey())) && values(e.getValue()).containsKey(r.key())) {
        paths.add(e.getKey());
      }
    }
    if (paths.isEmpty()) {
      throw new MlopsException("the metric threshold `" + r.text() + "` names " + (r.path() == null ? "" : r.path()
          + ":") + r.key() + ", which no metrics file of the workspace has", null, 0,
          "metrics found: " + known(current) + "; run the stages that write it first (mlops:repro)");
    }
    if (paths.size() > 1) {
      throw new MlopsException("the metric threshold `" + r.text() + "` names " + r.key()
          + ", which several metrics files have: " + paths, null, 0,
          "prefix it with the file, e.g. `" + paths.get(0) + ":" + r.text() + "`");
    }
    String path = paths.get(0);
    Object value = values(current.get(path)).get(r.key());
    if (!finiteNumber(value)) {
      return new Outcome(r, path, value, null, null, false, "not a finite number");
    }
    BigDecimal limit = r.operand();
    Object base = null;
    if (r.relative()) {
      FileResult b = baseline == null ? null : baseline.get(path);
      base = b == null ? null : values(b).get(r.key());
      if (base == null) {
        return new Outcome(r, path, value, null, null, true, "no baseline value: waived");
      }
      if (!finiteNumber(base)) {
        return new Outcome(r, path, value, base, null, false, "baseline is not a finite number");
      }
      limit = decimal(base).add(r.operand());
    }
    int c = decimal(value).compareTo(limit);
    boolean ok = switch (r.op()) {
      case ">=" -> c >= 0;
      case ">" -> c > 0;
      case "<=" -> c <= 0;
      case "<" -> c < 0;
      case "==" -> c == 0;
      default -> c != 0;
    };
    return new Outcome(r, path, value, base, limit, ok, ok ? "" : "violated");
  }

  private static Map<String, Object> values(FileResult r) {
    if (r == null || r.isError() || !(r.data() instanceof Map<?, ?> m)) {
      return Map.of();
    }
    return Compare.flatten(m);
  }

  private static String known(Map<String, FileResult> current) {
    TreeSet<String> keys = new TreeSet<>();
    current.forEach((p, r) -> values(r).keySet().forEach(k -> keys.add(p + ":" + k)));
    return keys.isEmpty() ? "none" : String.join(", ", keys);
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (v instanceof Double || v instanceof Float) {
      // the decimal Python's repr prints (the shortest that reads back as the double), as the tables show it
      return new BigDecimal(PyValues.str(((Number) v).doubleValue()));
    }
    return new BigDecimal(v.toString());
  }

  /** A GitHub Markdown table of the outcomes (also readable as plain text). */
  public static Table table(List<Outcome> outcomes) {
    List<List<String>> rows = new ArrayList<>();
    for (Outcome o : outcomes) {
      rows.add(List.of(o.path() == null ? "-" : o.path(), o.rule().key(), str(o.value()), o.rule().text(),
          o.rule().relative() ? str(o.baseline()) : "-", o.limit() == null ? "-" : o.limit().toPlainString(),
          (o.passed() ? "ok" : "FAILED") + (o.note().isEmpty() || o.note().equals("violated") ? "" : " (" + o.note()
              + ")")));
    }
    return new Table(List.of("Path", "Metric", "Value", "Threshold", "Baseline", "Limit", "Result"), rows);
  }

  private static String str(Object v) {
    return v == null ? "-" : PyValues.str(v);
  }

  private static boolean finiteNumber(Object v) {
    if (!PyValues.isNumber(v)) {
      return false;
    }
    return !(v instanceof Double || v instanceof Float) || Double.isFinite(((Number) v).doubleValue());
  }
}
