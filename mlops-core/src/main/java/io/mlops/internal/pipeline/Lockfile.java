package io.mlops.internal.pipeline;

import io.mlops.api.MlopsException;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.yaml.LoadedYaml;
import io.mlops.internal.yaml.YamlDumper;
import io.mlops.internal.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code dvc.lock} file (schema '2.0'). Stages keep their position; a new stage is appended; an updated
 * stage entry is replaced whole, in canonical order, exactly as DVC does.
 */
public final class Lockfile {
  public static final String SCHEMA = "2.0";

  private final Path file;
  private final Map<String, Object> top;
  private final Map<String, Object> stages;
  private final boolean existed;

  private Lockfile(Path file, Map<String, Object> top, Map<String, Object> stages, boolean existed) {
    this.file = file;
    this.top = top;
    this.stages = stages;
    this.existed = existed;
  }

  /** The lock file beside a dvc.yaml. */
  public static Path pathFor(Path dvcYaml) {
    String name = dvcYaml.getFileName().toString();
    String lockName = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) + ".lock" : name + ".lock";
    return dvcYaml.resolveSibling(lockName);
  }

  @SuppressWarnings("unchecked")
  public static Lockfile load(Path file) {
    if (!Files.exists(file)) {
      Map<String, Object> top = new LinkedHashMap<>();
      Map<String, Object> stages = new LinkedHashMap<>();
      top.put("schema", SCHEMA);
      top.put("stages", stages);
      return new Lockfile(file, top, stages, false);
    }
    LoadedYaml y = YamlLoader.load(file);
    if (y.root() == null) {
      Map<String, Object> top = new LinkedHashMap<>();
      Map<String, Object> stages = new LinkedHashMap<>();
      top.put("schema", SCHEMA);
      top.put("stages", stages);
      return new Lockfile(file, top, stages, true);
    }
    if (!(y.root() instanceof Map<?, ?> root)) {
      throw new MlopsException("dvc.lock must be a mapping", file, 1, "delete it and reproduce the pipeline (mlops:repro, `mlops repro`)");
    }
    Object schema = root.get("schema");
    if (!SCHEMA.equals(schema)) {
      throw new MlopsException(
          "unsupported lock file schema " + (schema == null ? "(none: DVC 1 format)" : "'" + schema + "'"),
          file,
          1,
          "mlops reads dvc.lock schema '2.0' (DVC 2 and 3); regenerate it (mlops:repro, `mlops repro`)");
    }
    Map<String, Object> top = new LinkedHashMap<>((Map<String, Object>) root);
    Map<String, Object> stages = new LinkedHashMap<>();
    if (root.get("stages") instanceof Map<?, ?> s) {
      s.forEach((k, v) -> stages.put(String.valueOf(k), v));
    } else if (root.get("stages") != null) {
      throw new MlopsException("'stages' in dvc.lock must be a mapping", file, y.line(root, "stages"), null);
    }
    top.put("stages", stages);
    stages.values().forEach(stage -> checkHashes(stage, file, y));
    return new Lockfile(file, top, stages, true);
  }

  private static void checkHashes(Object stage, Path file, LoadedYaml y) {
    if (!(stage instanceof Map<?, ?> m)) {
      return;
    }
    for (String section : List.of("deps", "outs")) {
      if (m.get(section) instanceof List<?> entries) {
        for (Object e : entries) {
          if (e instanceof Map<?, ?> entry) {
            RecordedHashes.check(entry, file, y,
                "restore dvc.lock from Git (`git checkout -- dvc.lock`) or reproduce the stage (mlops:repro, `mlops repro`)");
          }
        }
      }
    }
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return existed;
  }

  /** The lock entry of a stage, or null. */
  public LockEntry get(String stageName) {
    Object raw = stages.get(stageName);
    return raw instanceof Map<?, ?> m ? LockEntry.fromMap(m) : null;
  }

  /** Replaces (or appends) a stage entry; returns true when the text changes. */
  public boolean put(String stageName, LockEntry entry) {
    Map<String, Object> m = entry.toMap();
    Object old = stages.get(stageName);
    if (m.equals(old)) {
      return false;
    }
    stages.put(stageName, m);
    return true;
  }

  public void remove(String stageName) {
    stages.remove(stageName);
  }

  public String toYaml() {
    return YamlDumper.dump(top);
  }

  /** Writes the file atomically. */
  public void save() {
    AtomicFiles.writeString(file, toYaml());
  }
}
