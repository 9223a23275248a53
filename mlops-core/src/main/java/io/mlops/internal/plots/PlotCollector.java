package io.mlops.internal.plots;

import io.mlops.internal.pipeline.OutDef;
import io.mlops.internal.pipeline.Pipeline;
import io.mlops.internal.pipeline.StageDef;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Collects plot definitions the way DVC 3 does ({@code dvc/repo/plots/__init__.py} {@code _collect_definitions}
 * and {@code dvc/utils/plots.py} {@code group_definitions_by_id}): the top-level {@code plots:} of every
 * dvc.yaml (ids relative to that file), then the stage outputs declared under {@code plots:}. A directory is
 * expanded into its files. An id declared in several places gets its dvc.yaml as a prefix
 * ({@code dvc.yaml::model/history.csv}); the stage outputs keep the bare path.
 */
public final class PlotCollector {
  private final Path root;

  /** @param root the repository root, where directory plots are listed */
  public PlotCollector(Path root) {
    this.root = root;
  }

  /** The definitions of all pipelines, in DVC's order. */
  public List<PlotDefinition> collect(List<Pipeline> pipelines) {
    // config file -> inner id -> props
    LinkedHashMap<String, LinkedHashMap<String, Map<String, Object>>> byConfig = new LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      if (!p.plots().isEmpty()) {
        merge(byConfig.computeIfAbsent(p.dvcfile(), k -> new LinkedHashMap<>()), topLevel(p));
      }
    }
    LinkedHashMap<String, Map<String, Object>> outputs = new LinkedHashMap<>();
    for (Pipeline p : pipelines) {
      for (StageDef s : p.stages()) {
        String wdir = PathUtil.join(dirname(s.dvcfile()), s.wdir());
        for (OutDef out : s.outs()) {
          if (out.kind() == OutDef.Kind.PLOT) {
            String path = PathUtil.join(wdir, out.path());
            for (String file : unpack(path)) {
              merge(outputs, Map.of(file, new LinkedHashMap<>(out.plotOptions())));
            }
          }
        }
      }
    }
    if (!outputs.isEmpty()) {
      merge(byConfig.computeIfAbsent("", k -> new LinkedHashMap<>()), outputs);
    }
    return group(byConfig);
  }

  private LinkedHashMap<String, Map<String, Object>> topLevel(Pipeline p) {
    String configDir = dirname(p.dvcfile());
    LinkedHashMap<String, Object> declared = new LinkedHashMap<>();
    for (Object elem : p.plots()) {
      if (elem instanceof Map<?, ?> m && !m.isEmpty()) {
        Map.Entry<?, ?> e = m.entrySet().iterator().next();
        declared.put(String.valueOf(e.getKey()), e.getValue());
      } else {
        declared.put(String.valueOf(elem), null);
      }
    }
    List<String> parents = declared.keySet().stream().map(id -> PathUtil.join(configDir, id)).toList();
    LinkedHashMap<String, Map<String, Object>> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : declared.entrySet()) {
      Map<String, Object> props = new LinkedHashMap<>();
      if (e.getValue() instanceof Map<?, ?> m) {
        m.forEach((k, v) -> props.put(String.valueOf(k), v));
      }
      if (!(props.get("y") instanceof Map<?, ?>)) {
        // the id is a data path
        String dataPath = PathUtil.join(configDir, e.getKey());
        for (String file : unpack(dataPath)) {
          if (file.equals(dataPath) || closestParent(file, parents).equals(dataPath)) {
            merge(result, Map.of(file, new LinkedHashMap<>(props)));
          }
        }
      } else {
        merge(result, Map.of(e.getKey(), adjustSources(props, configDir)));
      }
    }
    return result;
  }

  /** DVC's {@code _adjust_sources}: files of x/y mappings become relative to the repository root. */
  private static Map<String, Object> adjustSources(Map<String, Object> props, String configDir) {
    Map<String, Object> out = new LinkedHashMap<>(props);
    for (String axis : List.of("x", "y")) {
      Object v = out.get(axis);
      if (axis.equals("x") && (v == null || v instanceof String)) {
        continue;
      }
      Map<String, Object> adjusted = new LinkedHashMap<>();
      if (v instanceof Map<?, ?> m) {
        m.forEach((file, fields) -> adjusted.put(PathUtil.join(configDir, String.valueOf(file)), fields));
      }
      out.put(axis, adjusted);
    }
    return out;
  }

  /** The files of a directory plot (sorted), or the path itself. */
  private List<String> unpack(String path) {
    if (path == null || !Files.isDirectory(root.resolve(path))) {
      return path == null ? List.of() : List.of(path);
    }
    Path dir = root.resolve(path);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .map(f -> PathUtil.posix(root.relativize(f)))
          .sorted(PathUtil.CODE_POINT_ORDER)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String closestParent(String path, List<String> parents) {
    String best = "";
    for (String parent : parents) {
      String common = commonPath(path, parent);
      if (common.length() > best.length()) {
        best = common;
      }
    }
    return best;
  }

  private static String commonPath(String a, String b) {
    String[] pa = a.split("/");
    String[] pb = b.split("/");
    List<String> common = new ArrayList<>();
    for (int i = 0; i < Math.min(pa.length, pb.length) && pa[i].equals(pb[i]); i++) {
      common.add(pa[i]);
    }
    return String.join("/", common);
  }

  /** dpath.merge of one level: definitions of the same id are merged key by key, later keys win. */
  private static void merge(Map<String, Map<String, Object>> target, Map<String, Map<String, Object>> source) {
    source.forEach((id, props) -> target.computeIfAbsent(id, k -> new LinkedHashMap<>()).putAll(props));
  }

  private static List<PlotDefinition> group(Map<String, LinkedHashMap<String, Map<String, Object>>> byConfig) {
    LinkedHashMap<String, LinkedHashMap<String, Map<String, Object>>> byId = new LinkedHashMap<>();
    byConfig.forEach((config, defs) -> defs.forEach(
        (id, props) -> byId.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(config, props)));
    List<PlotDefinition> out = new ArrayList<>();
    byId.forEach((id, configs) -> configs.forEach((config, props) -> {
      String fullId = configs.size() == 1 || config.isEmpty() ? id : config + "::" + id;
      out.add(new PlotDefinition(fullId, config, id, java.util.Collections.unmodifiableMap(props)));
    }));
    return out;
  }

  private static String dirname(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "." : path.substring(0, slash);
  }
}
