package io.mlops.internal.pipeline;

import io.mlops.internal.util.PathUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of dvc.lock: {@code cmd, deps, params, outs}.
 *
 * @param cmd the command as declared (String or List)
 * @param deps dependency entries
 * @param params file → (key → value), {@code params.yaml} first then the others alphabetically
 * @param outs output entries
 */
public record LockEntry(
    Object cmd, List<LockedPath> deps, Map<String, Map<String, Object>> params, List<LockedPath> outs) {

  /** Reads the map of one stage as loaded from dvc.lock or a run-cache entry. */
  public static LockEntry fromMap(Map<?, ?> m) {
    List<LockedPath> deps = new ArrayList<>();
    if (m.get("deps") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> dm) {
          deps.add(LockedPath.fromMap(dm));
        }
      }
    }
    List<LockedPath> outs = new ArrayList<>();
    if (m.get("outs") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> om) {
          outs.add(LockedPath.fromMap(om));
        }
      }
    }
    Map<String, Map<String, Object>> params = new LinkedHashMap<>();
    if (m.get("params") instanceof Map<?, ?> pm) {
      pm.forEach(
          (file, values) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            if (values instanceof Map<?, ?> vm) {
              vm.forEach((k, val) -> v.put(String.valueOf(k), val));
            }
            params.put(String.valueOf(file), v);
          });
    }
    return new LockEntry(m.get("cmd"), deps, params, outs);
  }

  /**
   * The canonical dvc.lock map: keys in DVC's order, deps and outs sorted by path, params files with
   * {@code params.yaml} first, keys sorted; empty sections left out.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cmd", cmd);
    if (!deps.isEmpty()) {
      m.put("deps", sorted(deps));
    }
    if (!params.isEmpty()) {
      m.put("params", sortedParams(params));
    }
    if (!outs.isEmpty()) {
      m.put("outs", sorted(outs));
    }
    return m;
  }

  private static List<Map<String, Object>> sorted(List<LockedPath> list) {
    List<LockedPath> copy = new ArrayList<>(list);
    copy.sort(Comparator.comparing(LockedPath::path, PathUtil.CODE_POINT_ORDER));
    List<Map<String, Object>> out = new ArrayList<>();
    for (LockedPath p : copy) {
      out.add(p.toLockMap());
    }
    return out;
  }

  /** Orders params files and keys as DVC writes them. */
  public static Map<String, Object> sortedParams(Map<String, Map<String, Object>> params) {
    List<String> files = new ArrayList<>(params.keySet());
    files.sort(
        (a, b) -> {
          boolean da = ParamsDep.DEFAULT_FILE.equals(a);
          boolean db = ParamsDep.DEFAULT_FILE.equals(b);
          if (da != db) {
            return da ? -1 : 1;
          }
          return PathUtil.compareCodePoints(a, b);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    for (String f : files) {
      Map<String, Object> values = params.get(f);
      List<String> keys = new ArrayList<>(values.keySet());
      keys.sort(PathUtil.CODE_POINT_ORDER);
      Map<String, Object> sortedValues = new LinkedHashMap<>();
      for (String k : keys) {
        sortedValues.put(k, values.get(k));
      }
      out.put(f, sortedValues);
    }
    return out;
  }
}
