package io.mlops.internal.metrics;

import io.mlops.internal.json.PyJson;
import io.mlops.internal.util.PathUtil;
import io.mlops.internal.yaml.PyStr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * DVC's comparison and tables for metrics and params: {@code dvc.utils.diff.diff}, {@code dvc.compare.diff_table}
 * and {@code metrics_table}, and the {@code --json} shapes of {@code metrics show}, {@code metrics diff} and
 * {@code params diff}.
 *
 * <p>Values are compared with Python's {@code ==} (so {@code 1}, {@code 1.0} and {@code true} are equal), lists
 * are compared and shown as Python's {@code str(list)}, nested mappings are flattened with dots, and a key missing
 * on one side is None ({@code -} in tables). DVC orders the files of a diff by a Python set (it varies from run
 * to run); here they are sorted by path. Keys within a file are sorted, as in DVC.
 */
public final class Compare {
  /** DVC's default {@code --precision} for metrics. */
  public static final int DEFAULT_PRECISION = 5;

  private static final String FILL = "-";
  private static final Object UNPARSABLE = "unable to parse";

  private Compare() {}

  /**
   * The changed values between two revisions' results ({@code with_unchanged = all}), sorted by path then key.
   */
  public static List<DiffRow> diff(Map<String, FileResult> oldResults, Map<String, FileResult> newResults,
      boolean all) {
    TreeSet<String> paths = new TreeSet<>(PathUtil.CODE_POINT_ORDER);
    paths.addAll(oldResults.keySet());
    paths.addAll(newResults.keySet());
    List<DiffRow> rows = new ArrayList<>();
    for (String path : paths) {
      Object o = formatLists(dataOf(oldResults.get(path)));
      Object n = formatLists(dataOf(newResults.get(path)));
      if (o instanceof Map<?, ?> || n instanceof Map<?, ?>) {
        Flat fo = flat(o);
        Flat fn = flat(n);
        TreeSet<String> keys = new TreeSet<>(PathUtil.CODE_POINT_ORDER);
        keys.addAll(fo.values.keySet());
        keys.addAll(fn.values.keySet());
        for (String key : keys) {
          addRow(rows, path, key, fo.get(key), fn.get(key), all);
        }
      } else {
        addRow(rows, path, "", o, n, all);
      }
    }
    return rows;
  }

  private static void addRow(List<DiffRow> rows, String path, String key, Object o, Object n, boolean all) {
    if (!all && PyValues.equal(o, n)) {
      return;
    }
    Object change = PyValues.isNumber(o) && PyValues.isNumber(n) ? PyValues.subtract(n, o) : null;
    rows.add(new DiffRow(path, key, o, n, change));
  }

  private static Object dataOf(FileResult r) {
    return r == null || r.isError() ? new LinkedHashMap<>() : r.data();
  }

  private record Flat(Map<String, Object> values, Object fallback) {
    Object get(String key) {
      return values.containsKey(key) ? values.get(key) : fallback;
    }
  }

  private static Flat flat(Object d) {
    if (PyStr.falsy(d)) {
      return new Flat(Map.of(), null);
    }
    if (d instanceof Map<?, ?> m) {
      return new Flat(flatten(m), null);
    }
    return new Flat(Map.of(), UNPARSABLE);
  }

  /** {@code flatten_dict.flatten(d, reducer="dot")}: empty mappings vanish. */
  static Map<String, Object> flatten(Map<?, ?> d) {
    Map<String, Object> out = new LinkedHashMap<>();
    flattenInto(null, d, out);
    return out;
  }

  private static void flattenInto(String prefix, Map<?, ?> d, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : d.entrySet()) {
      String k = PyValues.str(e.getKey());
      String key = prefix == null ? k : prefix + "." + k;
      if (e.getValue() instanceof Map<?, ?> m) {
        flattenInto(key, m, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** {@code dvc.utils.diff.format_dict}: lists inside mappings become Python's {@code str(list)}. */
  static Object formatLists(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      return v;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object x = e.getValue();
      out.put(e.getKey(), x instanceof Map<?, ?> ? formatLists(x) : x instanceof Collection<?> ? PyValues.str(x) : x);
    }
    return out;
  }

  /** {@code dvc.compare._format_field}: floats rounded ({@code round(v, precision)}) when asked, then {@code str}. */
  public static String formatField(Object v, Integer precision, boolean roundDigits) {
    if ((v instanceof Double || v instanceof Float) && precision != null && precision != 0) {
      double d = ((Number) v).doubleValue();
      if (roundDigits) {
        return PyValues.str(PyValues.round(d, precision));
      }
      return formatG(d, precision);
    }
    return PyValues.str(v);
  }

  /** Python's {@code f"{v:.{p}g}"}. */
  private static String formatG(double d, int p) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    int prec = Math.max(1, p);
    if (d == 0) {
      return Math.copySign(1.0, d) < 0 ? "-0" : "0";
    }
    java.math.BigDecimal bd = new java.math.BigDecimal(d).round(new java.math.MathContext(prec,
        java.math.RoundingMode.HALF_EVEN));
    int exp = bd.precision() - bd.scale() - 1;
    String s;
    if (exp < -4 || exp >= prec) {
      String digits = bd.unscaledValue().abs().toString().replaceAll("0+$", "");
      String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
      s = (bd.signum() < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "")
          + Math.abs(exp);
    } else {
      s = bd.stripTrailingZeros().toPlainString();
    }
    return s;
  }

  /**
   * {@code dvc.compare.diff_table}: columns {@code Path, <title>, <aRev>, <bRev>, Change}.
   *
   * @param title {@code Metric} or {@code Param}
   * @param noPath drop the Path column
   * @param showChanges keep the Change column (metrics: yes, params: no)
   * @param precision digits floats are rounded to (metrics: 5), null for none (params)
   */
  public static Table diffTable(List<DiffRow> rows, String title, String aRev, String bRev, boolean noPath,
      boolean showChanges, Integer precision) {
    List<String> headers = new ArrayList<>();
    if (!noPath) {
      headers.add("Path");
    }
    headers.add(title);
    headers.add(aRev == null || aRev.isEmpty() ? "HEAD" : aRev);
    headers.add(bRev == null || bRev.isEmpty() ? "workspace" : bRev);
    if (showChanges) {
      headers.add("Change");
    }
    boolean round = precision != null;
    List<List<String>> cells = new ArrayList<>();
    for (DiffRow r : rows) {
      List<String> row = new ArrayList<>();
      if (!noPath) {
        row.add(r.path());
      }
      row.add(r.key());
      row.add(formatField(r.oldValue() == null ? FILL : r.oldValue(), precision, round));
      row.add(formatField(r.newValue() == null ? FILL : r.newValue(), precision, round));
      if (showChanges) {
        row.add(formatField(r.change() == null ? FILL : r.change(), precision, round));
      }
      cells.add(row);
    }
    return new Table(headers, cells);
  }

  /**
   * {@code dvc.compare.metrics_table} for one revision: {@code Path}, then every flattened key, sorted; a key a
   * file lacks shows {@code -}.
   *
   * @param precision digits floats are rounded to, or null for {@code str()} as is
   */
  public static Table showTable(Map<String, FileResult> results, Integer precision) {
    List<Map<String, String>> rowData = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(PathUtil.CODE_POINT_ORDER);
    for (Map.Entry<String, FileResult> e : results.entrySet()) {
      Map<String, String> row = new LinkedHashMap<>();
      Object data = e.getValue().isError() ? new LinkedHashMap<>() : e.getValue().data();
      Map<String, Object> flat = data instanceof Map<?, ?> m ? flatten((Map<?, ?>) formatLists(m)) : single(data);
      for (Map.Entry<String, Object> f : flat.entrySet()) {
        row.put(f.getKey(), formatField(f.getValue(), precision, precision != null));
      }
      keys.addAll(row.keySet());
      rowData.add(row);
    }
    List<String> headers = new ArrayList<>();
    headers.add("Path");
    headers.addAll(keys);
    List<List<String>> cells = new ArrayList<>();
    int i = 0;
    for (String path : results.keySet()) {
      Map<String, String> row = rowData.get(i++);
      List<String> r = new ArrayList<>();
      r.add(path);
      for (String k : keys) {
        String v = row.get(k);
        r.add(v == null ? FILL : v);
      }
      cells.add(r);
    }
    return new Table(headers, cells);
  }

  private static Map<String, Object> single(Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("", data);
    return m;
  }

  /** {@code metrics diff --json} / {@code params diff --json}: {@code {path: {key: {old, new, diff}}}}. */
  public static String diffJson(List<DiffRow> rows) {
    return PyJson.dumpsInOrder(diffJsonMap(rows));
  }

  /** The value {@link #diffJson} prints, for embedding in a larger document. */
  public static Map<String, Map<String, Object>> diffJsonMap(List<DiffRow> rows) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (DiffRow r : rows) {
      out.computeIfAbsent(r.path(), p -> new LinkedHashMap<>()).put(r.key(), r.toJsonMap());
    }
    return out;
  }

  /** {@code metrics show --json} when the revision failed as a whole: {@code {"": {"error": {"type", "msg"}}}}. */
  public static String showErrorJson(FileResult error) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("", error.toJsonMap());
    return PyJson.dumpsInOrder(out);
  }

  /** {@code metrics show --json}: {@code {"": {"data": {path: {"data": ...} | {"error": ...}}}}}. */
  public static String showJson(Map<String, FileResult> results) {
    Map<String, Object> files = new LinkedHashMap<>();
    results.forEach((p, r) -> files.put(p, r.toJsonMap()));
    Map<String, Object> rev = new LinkedHashMap<>();
    rev.put("data", files);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("", rev);
    return PyJson.dumpsInOrder(out);
  }
}
