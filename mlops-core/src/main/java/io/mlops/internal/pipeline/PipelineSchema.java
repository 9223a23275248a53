package io.mlops.internal.pipeline;

import io.mlops.internal.yaml.LoadedYaml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates a raw (not yet interpolated) dvc.yaml like DVC's voluptuous {@code MULTI_STAGE_SCHEMA}
 * ({@code dvc/schema.py}). Collects every problem with its path and source line.
 */
final class PipelineSchema {
  /** One schema violation. {@code path} is like DVC's ({@code stages -> a -> deps -> 0}). */
  record Violation(List<Object> path, String message, int line) {
    String describe() {
      String where = path.isEmpty() ? "" : ", in " + path.stream().map(String::valueOf).collect(Collectors.joining(" -> "));
      return message + where;
    }
  }

  static final List<String> TOP_KEYS = List.of("stages", "vars", "params", "metrics", "plots", "artifacts", "datasets");
  static final List<String> STAGE_KEYS =
      List.of(
          "cmd", "wdir", "deps", "params", "outs", "metrics", "plots", "frozen", "always_changed", "desc", "meta",
          "vars", "matrix");
  static final List<String> FOREACH_KEYS = List.of("foreach", "do");
  static final List<String> OUT_KEYS =
      List.of("cache", "persist", "checkpoint", "remote", "push", "desc", "type", "labels", "meta");
  static final List<String> PLOT_PROP_KEYS = List.of("template", "x", "y", "x_label", "y_label", "title", "header");
  static final List<String> PLOT_OUT_KEYS = concat(OUT_KEYS, PLOT_PROP_KEYS);
  static final List<String> TOP_PLOT_KEYS = List.of("x", "y", "x_label", "y_label", "title", "template");
  static final List<String> ARTIFACT_KEYS = List.of("path", "desc", "type", "labels", "meta");

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> r = new ArrayList<>(a);
    r.addAll(b);
    return List.copyOf(r);
  }

  private final LoadedYaml doc;
  private final List<Violation> violations = new ArrayList<>();

  private PipelineSchema(LoadedYaml doc) {
    this.doc = doc;
  }

  static List<Violation> validate(LoadedYaml doc, Object root) {
    PipelineSchema s = new PipelineSchema(doc);
    s.top(root);
    return s.violations;
  }

  /** Line of the element at {@code path}: the key line for map entries, the item line for list items. */
  private int lineOf(List<Object> path) {
    Object current = doc.root();
    int line = current == null ? 0 : doc.line(current);
    for (Object seg : path) {
      if (current instanceof Map<?, ?> m && seg instanceof String k) {
        line = doc.line(m, k);
        current = m.get(k);
      } else if (current instanceof List<?> l && seg instanceof Integer i) {
        line = doc.line(l, i);
        current = i < l.size() ? l.get(i) : null;
      } else {
        break;
      }
    }
    return line;
  }

  private void fail(List<Object> path, String message) {
    violations.add(new Violation(List.copyOf(path), message, lineOf(path)));
  }

  private static List<Object> at(List<Object> path, Object seg) {
    List<Object> p = new ArrayList<>(path);
    p.add(seg);
    return p;
  }

  /** Checks keys against an allowed list, reporting extras with a suggestion. */
  private void keys(Map<?, ?> map, List<Object> path, List<String> allowed, List<String> required) {
    for (Object k : map.keySet()) {
      if (!allowed.contains(k)) {
        String key = String.valueOf(k);
        String suggestion = closest(key, allowed);
        fail(
            at(path, key),
            "extra keys not allowed: '"
                + key
                + "'"
                + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                + "; allowed keys: "
                + String.join(", ", allowed));
      }
    }
    for (String r : required) {
      if (!map.containsKey(r)) {
        fail(at(path, r), "required key not provided: '" + r + "'");
      }
    }
  }

  /** The allowed key closest to {@code key} (a small edit distance, or a prefix), or null. */
  static String closest(String key, List<String> allowed) {
    int limit = key.length() <= 3 ? 1 : 2;
    return allowed.stream()
        .filter(a -> distance(key, a) <= limit || (key.length() >= 3 && (a.startsWith(key) || key.startsWith(a))))
        .min(Comparator.comparingInt((String a) -> distance(key, a)))
        .orElse(null);
  }

  /** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
  static int distance(String a, String b) {
    a = a.toLowerCase(java.util.Locale.ROOT);
    b = b.toLowerCase(java.util.Locale.ROOT);
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private boolean isMap(Object v, List<Object> path) {
    if (v instanceof Map) {
      return true;
    }
    fail(path, "expected a dictionary");
    return false;
  }

  private boolean isList(Object v, List<Object> path) {
    if (v instanceof List) {
      return true;
    }
    fail(path, "expected a list");
    return false;
  }

  private void str(Object v, List<Object> path) {
    if (!(v instanceof String)) {
      fail(path, "expected str");
    }
  }

  private void bool(Object v, List<Object> path) {
    if (!(v instanceof Boolean)) {
      fail(path, "expected bool");
    }
  }

  private void listOfStr(Object v, List<Object> path) {
    if (isList(v, path)) {
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        str(l.get(i), at(path, i));
      }
    }
  }

  private void top(Object root) {
    List<Object> p = List.of();
    if (!isMap(root, p)) {
      return;
    }
    Map<?, ?> m = (Map<?, ?>) root;
    keys(m, p, TOP_KEYS, List.of());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      List<Object> kp = at(p, String.valueOf(e.getKey()));
      switch (String.valueOf(e.getKey())) {
        case "stages" -> {
          if (isMap(v, kp)) {
            ((Map<?, ?>) v).forEach((name, def) -> stage(def, at(kp, String.valueOf(name))));
          }
        }
        case "vars" -> vars(v, kp);
        case "params", "metrics" -> listOfStr(v, kp);
        case "plots" -> topPlots(v, kp);
        case "artifacts" -> {
          if (isMap(v, kp)) {
            ((Map<?, ?>) v).forEach((name, def) -> artifact(def, at(kp, String.valueOf(name))));
          }
        }
        default -> {}
      }
    }
  }

  private void vars(Object v, List<Object> path) {
    if (isList(v, path)) {
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        if (!(l.get(i) instanceof String) && !(l.get(i) instanceof Map)) {
          fail(at(path, i), "expected str or a dictionary");
        }
      }
    }
  }

  private void artifact(Object def, List<Object> path) {
    if (!isMap(def, path)) {
      return;
    }
    Map<?, ?> m = (Map<?, ?>) def;
    keys(m, path, ARTIFACT_KEYS, List.of("path"));
    m.forEach((k, v) -> {
      List<Object> kp = at(path, String.valueOf(k));
      switch (String.valueOf(k)) {
        case "path", "desc", "type" -> str(v, kp);
        case "labels" -> listOfStr(v, kp);
        default -> {}
      }
    });
  }

  private void topPlots(Object v, List<Object> path) {
    if (!isList(v, path)) {
      return;
    }
    List<?> l = (List<?>) v;
    for (int i = 0; i < l.size(); i++) {
      Object item = l.get(i);
      List<Object> ip = at(path, i);
      if (item instanceof String) {
        continue;
      }
      if (!(item instanceof Map<?, ?> m)) {
        fail(ip, "expected str or a dictionary");
        continue;
      }
      if (m.isEmpty()) {
        fail(ip, "required key not provided: a plot id");
      }
      m.forEach((id, def) -> {
        List<Object> dp = at(ip, String.valueOf(id));
        if (def == null) {
          return;
        }
        if (!(def instanceof Map<?, ?> dm)) {
          fail(dp, "expected a dictionary");
          return;
        }
        keys(dm, dp, TOP_PLOT_KEYS, List.of());
        dm.forEach((k, pv) -> {
          List<Object> pp = at(dp, String.valueOf(k));
          switch (String.valueOf(k)) {
            case "x" -> {
              if (!(pv instanceof String) && !(pv instanceof Map<?, ?> xm && xm.values().stream().allMatch(String.class::isInstance))) {
                fail(pp, "expected str or a dictionary of str");
              }
            }
            case "y" -> {
              if (!(pv instanceof String) && !isStrList(pv) && !(pv instanceof Map<?, ?> ym
                  && ym.values().stream().allMatch(y -> y instanceof String || isStrList(y)))) {
                fail(pp, "expected str, a list of str, or a dictionary of those");
              }
            }
            default -> str(pv, pp);
          }
        });
      });
    }
  }

  private static boolean isStrList(Object v) {
    return v instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
  }

  private void stage(Object def, List<Object> path) {
    if (def instanceof Map<?, ?> m && (m.containsKey("foreach") || m.containsKey("do"))) {
      keys(m, path, FOREACH_KEYS, FOREACH_KEYS);
      if (m.containsKey("foreach")) {
        Object f = m.get("foreach");
        if (!(f instanceof Map) && !(f instanceof List) && !(f instanceof String)) {
          fail(at(path, "foreach"), "expected a dictionary, a list or str");
        }
      }
      if (m.containsKey("do")) {
        stageDefinition(m.get("do"), at(path, "do"));
      }
      return;
    }
    stageDefinition(def, path);
  }

  private void stageDefinition(Object def, List<Object> path) {
    if (!isMap(def, path)) {
      return;
    }
    Map<?, ?> m = (Map<?, ?>) def;
    keys(m, path, STAGE_KEYS, List.of("cmd"));
    m.forEach((k, v) -> {
      List<Object> kp = at(path, String.valueOf(k));
      switch (String.valueOf(k)) {
        case "cmd" -> {
          if (!(v instanceof String) && !(v instanceof List)) {
            fail(kp, "expected str or a list");
          }
        }
        case "wdir", "desc" -> str(v, kp);
        case "deps" -> listOfStr(v, kp);
        case "params" -> {
          if (isList(v, kp)) {
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) {
              if (!(l.get(i) instanceof String) && !(l.get(i) instanceof Map)) {
                fail(at(kp, i), "expected str or a dictionary");
              }
            }
          }
        }
        case "vars" -> vars(v, kp);
        case "frozen", "always_changed" -> bool(v, kp);
        case "outs", "metrics" -> outs(v, kp, OUT_KEYS, false);
        case "plots" -> outs(v, kp, PLOT_OUT_KEYS, true);
        case "matrix" -> {
          if (isMap(v, kp)) {
            ((Map<?, ?>) v).forEach((axis, values) -> {
              if (!(values instanceof String) && !(values instanceof List)) {
                fail(at(kp, String.valueOf(axis)), "expected str or a list");
              }
            });
          }
        }
        default -> {}
      }
    });
  }

  private void outs(Object v, List<Object> path, List<String> allowed, boolean plots) {
    if (!isList(v, path)) {
      return;
    }
    List<?> l = (List<?>) v;
    for (int i = 0; i < l.size(); i++) {
      Object item = l.get(i);
      List<Object> ip = at(path, i);
      if (item instanceof String) {
        continue;
      }
      if (!(item instanceof Map<?, ?> m)) {
        fail(ip, "expected str or a dictionary");
        continue;
      }
      m.forEach((outPath, flags) -> {
        List<Object> fp = at(ip, String.valueOf(outPath));
        if (plots && flags instanceof List<?> fl) {
          for (int j = 0; j < fl.size(); j++) {
            outFlags(fl.get(j), at(fp, j), allowed);
          }
        } else {
          outFlags(flags, fp, allowed);
        }
      });
    }
  }

  private void outFlags(Object flags, List<Object> path, List<String> allowed) {
    if (!(flags instanceof Map<?, ?> m)) {
      fail(path, "expected a dictionary");
      return;
    }
    keys(m, path, allowed, List.of());
    m.forEach((k, v) -> {
      List<Object> kp = at(path, String.valueOf(k));
      switch (String.valueOf(k)) {
        case "cache", "persist", "checkpoint", "push", "header" -> bool(v, kp);
        case "remote", "desc", "type", "template", "x", "y", "x_label", "y_label", "title" -> str(v, kp);
        case "labels" -> listOfStr(v, kp);
        default -> {}
      }
    });
  }
}
