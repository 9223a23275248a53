package io.mlops.internal.metrics;

import io.mlops.api.MlopsException;
import io.mlops.internal.pipeline.OutDef;
import io.mlops.internal.pipeline.ParamsDep;
import io.mlops.internal.pipeline.ParamsFile;
import io.mlops.internal.pipeline.Pipeline;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.Stage;
import io.mlops.internal.rev.RevisionFiles;
import io.mlops.internal.util.PathUtil;
import io.mlops.internal.yaml.PyStr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads the metrics and params files of a revision like DVC's {@code repo.metrics.show} and
 * {@code repo.params.show}.
 *
 * <ul>
 *   <li>metrics: stage outputs declared under {@code metrics:}, then the top-level {@code metrics:} entries of
 *       every dvc.yaml (relative to it); directories are expanded to their files. Only numbers, strings,
 *       booleans and nested mappings are kept (lists and nulls are dropped).
 *   <li>params: the params dependencies of every stage (only their keys, unless the whole file is tracked), the
 *       top-level {@code params:} files, and {@code params.yaml} at the root if it exists.
 * </ul>
 *
 * <p>Files are read through {@link RevisionFiles}, so committed files come from Git and tracked outputs from the
 * cache or remote. A file that cannot be read becomes an error entry, not a failure.
 */
public final class Collector {
  private Collector() {}

  /** Metrics files of a revision → their values, in DVC's collection order. */
  public static Map<String, FileResult> metrics(RevisionFiles files, String rev) {
    Map<String, FileResult> out = new LinkedHashMap<>();
    Optional<Index> index = files.index(rev);
    if (index.isEmpty()) {
      return out;
    }
    List<String> paths = new ArrayList<>();
    for (Stage s : index.get().stages()) {
      for (Stage.Out o : s.outs()) {
        if (o.def().kind() == OutDef.Kind.METRIC) {
          paths.add(o.repoPath());
        }
      }
    }
    for (Pipeline p : index.get().pipelines()) {
      for (String m : p.metrics()) {
        addRelative(paths, p.dvcfile(), m);
      }
    }
    for (String path : expand(files, rev, paths)) {
      out.put(path, read(files, rev, path, null, true));
    }
    return out;
  }

  /**
   * Params files of a revision → their values (for stage deps with keys: only those keys).
   *
   * @param depsOnly only the files stages depend on ({@code --deps})
   */
  public static Map<String, FileResult> params(RevisionFiles files, String rev, boolean depsOnly) {
    Map<String, FileResult> out = new LinkedHashMap<>();
    Optional<Index> index = files.index(rev);
    if (index.isEmpty()) {
      return out;
    }
    List<Map.Entry<String, List<String>>> entries = new ArrayList<>();
    for (Stage s : index.get().stages()) {
      for (ParamsDep d : s.params()) {
        String file = PathUtil.join(s.wdir(), d.file());
        if (file != null) {
          entries.add(Map.entry(file, d.whole() ? List.of() : d.keys()));
        }
      }
    }
    if (!depsOnly) {
      List<String> top = new ArrayList<>();
      for (Pipeline p : index.get().pipelines()) {
        for (String f : p.params()) {
          addRelative(top, p.dvcfile(), f);
        }
      }
      for (String f : top) {
        entries.add(Map.entry(f, List.of()));
      }
      if (files.read(rev, ParamsDep.DEFAULT_FILE).isPresent()) {
        entries.add(Map.entry(ParamsDep.DEFAULT_FILE, List.of()));
      }
    }
    // dvc.dependency._merge_params: a file tracked whole anywhere is read whole
    LinkedHashSet<String> whole = new LinkedHashSet<>();
    for (Map.Entry<String, List<String>> e : entries) {
      if (e.getValue().isEmpty()) {
        whole.add(e.getKey());
      }
    }
    Map<String, List<String>> merged = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : entries) {
      List<String> keys = merged.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      if (!whole.contains(e.getKey())) {
        keys.addAll(e.getValue());
      }
    }
    for (Map.Entry<String, List<String>> e : merged.entrySet()) {
      for (String path : expand(files, rev, List.of(e.getKey()))) {
        out.put(path, read(files, rev, path, e.getValue(), false));
      }
    }
    return out;
  }

  private static void addRelative(List<String> out, String dvcfile, String path) {
    int slash = dvcfile.lastIndexOf('/');
    String dir = slash < 0 ? "." : dvcfile.substring(0, slash);
    String p = PathUtil.join(dir, path.replace('\\', '/'));
    if (p != null) {
      out.add(p);
    }
  }

  /** DVC's {@code ldistinct(try_expand_paths(...))}: a directory becomes its files. */
  private static List<String> expand(RevisionFiles files, String rev, List<String> paths) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String p : new LinkedHashSet<>(paths)) {
      if (files.isDirectory(rev, p)) {
        out.addAll(files.list(rev, p));
      } else {
        out.add(p);
      }
    }
    return new ArrayList<>(out);
  }

  private static FileResult read(RevisionFiles files, String rev, String path, List<String> keys, boolean metric) {
    Optional<byte[]> bytes = files.read(rev, path);
    if (bytes.isEmpty()) {
      return FileResult.notFound(path);
    }
    Object data;
    try {
      data = ParamsFile.parse(bytes.get(), Path.of(path));
    } catch (MlopsException e) {
      return FileResult.error(corruptedType(path), e.getMessage().lines().findFirst().orElse(""));
    }
    if (metric) {
      Object m = extractMetrics(data);
      return FileResult.of(PyStr.falsy(m) ? new LinkedHashMap<String, Object>() : m);
    }
    if (keys == null || keys.isEmpty() || !(data instanceof Map<?, ?>)) {
      return FileResult.of(data);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) data;
    Map<String, Object> selected = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      select(root, key, selected);
    }
    return FileResult.of(selected);
  }

  private static String corruptedType(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".json")) {
      return "JSONFileCorruptedError";
    }
    if (p.endsWith(".toml")) {
      return "TOMLFileCorruptedError";
    }
    if (p.endsWith(".py")) {
      return "PythonFileCorruptedError";
    }
    return "YAMLFileCorruptedError";
  }

  /** {@code dvc.repo.metrics.show._extract_metrics}: numbers, strings, booleans and non-empty mappings. */
  static Object extractMetrics(Object v) {
    if (v instanceof String || PyValues.isNumber(v)) {
      return v;
    }
    if (!(v instanceof Map<?, ?> m)) {
      return null;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object x = extractMetrics(e.getValue());
      if (x != null && !(x instanceof Map<?, ?> mm && mm.isEmpty())) {
        out.put(e.getKey(), x);
      }
    }
    return out;
  }

  /**
   * {@code dpath.merge(ret, dpath.search(config, key, separator="."))}: copies the value at a dotted key into
   * {@code into}, along its path; a list index keeps the list's earlier slots as None. Missing keys add nothing.
   */
  @SuppressWarnings("unchecked")
  private static void select(Map<String, Object> root, String key, Map<String, Object> into) {
    String[] parts = key.split("\\.", -1);
    Object[] chain = new Object[parts.length + 1];
    chain[0] = root;
    for (int i = 0; i < parts.length; i++) {
      Object cur = chain[i];
      if (cur instanceof Map<?, ?> m && m.containsKey(parts[i])) {
        chain[i + 1] = m.get(parts[i]);
      } else if (cur instanceof List<?> l && parts[i].matches("[0-9]+") && Integer.parseInt(parts[i]) < l.size()) {
        chain[i + 1] = l.get(Integer.parseInt(parts[i]));
      } else {
        return;
      }
    }
    Object target = into;
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      Object value = last ? deepCopy(chain[i + 1]) : null;
      Object nextShape = last ? null : chain[i + 1] instanceof List<?> ? new ArrayList<>() : new LinkedHashMap<>();
      if (target instanceof Map<?, ?>) {
        Map<String, Object> tm = (Map<String, Object>) target;
        if (last) {
          tm.put(parts[i], merge(tm.get(parts[i]), value));
        } else {
          Object existing = tm.get(parts[i]);
          if (!(existing instanceof Map<?, ?> || existing instanceof List<?>)) {
            tm.put(parts[i], nextShape);
          }
          target = tm.get(parts[i]);
        }
      } else if (target instanceof List<?>) {
        List<Object> tl = (List<Object>) target;
        int idx = Integer.parseInt(parts[i]);
        while (tl.size() <= idx) {
          tl.add(null);
        }
        if (last) {
          tl.set(idx, merge(tl.get(idx), value));
        } else {
          if (!(tl.get(idx) instanceof Map<?, ?> || tl.get(idx) instanceof List<?>)) {
            tl.set(idx, nextShape);
          }
          target = tl.get(idx);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object existing, Object value) {
    if (existing instanceof Map<?, ?> em && value instanceof Map<?, ?> vm) {
      Map<String, Object> out = (Map<String, Object>) em;
      for (Map.Entry<?, ?> e : vm.entrySet()) {
        out.put(String.valueOf(e.getKey()), merge(out.get(String.valueOf(e.getKey())), e.getValue()));
      }
      return out;
    }
    return value;
  }

  private static Object deepCopy(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, deepCopy(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(deepCopy(x)));
      return out;
    }
    return v;
  }
}
