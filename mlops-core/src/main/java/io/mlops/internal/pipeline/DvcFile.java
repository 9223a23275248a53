package io.mlops.internal.pipeline;

import io.mlops.api.MlopsException;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import io.mlops.internal.yaml.LoadedYaml;
import io.mlops.internal.yaml.YamlDumper;
import io.mlops.internal.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code .dvc} file written by {@code dvc add}: a data-source stage with {@code outs} only. Edits keep
 * the file's other keys and their order; a fresh file uses DVC's canonical order.
 */
public final class DvcFile {
  private static final Set<String> ALLOWED =
      Set.of("md5", "wdir", "deps", "outs", "frozen", "locked", "meta", "always_changed", "desc");
  /** The keys DVC 3's output schema allows (dvc/output.py SCHEMA with the annotation fields). */
  private static final Set<String> OUT_KEYS = Set.of("path", "md5", "etag", "checksum", "size", "nfiles", "isexec",
      "version_id", "persist", "cloud", "hash", "desc", "type", "labels", "meta", "cache", "remote", "push",
      "files", "fs_config");

  private final Path file;
  private final String relFile;
  private final Map<String, Object> data;
  private final List<Map<String, Object>> outs;

  private DvcFile(Path file, String relFile, Map<String, Object> data, List<Map<String, Object>> outs) {
    this.file = file;
    this.relFile = relFile;
    this.data = data;
    this.outs = outs;
  }

  /** A new file tracking one path (relative to the .dvc file's directory). */
  public static DvcFile create(Path file, String relFile, String outPath) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", outPath);
    List<Map<String, Object>> outs = new ArrayList<>();
    outs.add(out);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("outs", outs);
    return new DvcFile(file, relFile, data, outs);
  }

  @SuppressWarnings("unchecked")
  public static DvcFile load(Path file, String relFile) {
    LoadedYaml y = YamlLoader.load(file);
    if (!(y.root() instanceof Map<?, ?> root)) {
      throw new MlopsException("a .dvc file must be a mapping with 'outs'", file, 1, "re-create it with `dvc add` (mlops:add, `mlops add`)");
    }
    for (Object k : root.keySet()) {
      if (!ALLOWED.contains(String.valueOf(k))) {
        String hint = "cmd".equals(k)
            ? "single-stage .dvc files with a cmd were dropped in DVC 3; move the stage into dvc.yaml"
            : "allowed keys are " + new java.util.TreeSet<>(ALLOWED);
        throw new MlopsException("unknown key '" + k + "'", file, y.line(root, String.valueOf(k)), hint);
      }
    }
    Map<String, Object> data = (Map<String, Object>) root;
    List<Map<String, Object>> outs = new ArrayList<>();
    if (data.get("outs") instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof Map<?, ?> om) || !(om.get("path") instanceof String p)) {
          throw new MlopsException("each out needs a 'path'", file, y.line(root, "outs"), null);
        }
        checkSafe(p, file, y.line(om, "path"));
        for (Object k : om.keySet()) {
          if (!OUT_KEYS.contains(String.valueOf(k))) {
            throw new MlopsException("unknown key '" + RecordedHashes.abbreviate(String.valueOf(k)) + "' in the out '"
                + p + "'", file, y.line(om, String.valueOf(k)), "allowed keys are " + new java.util.TreeSet<>(OUT_KEYS)
                + "; restore the file from Git or re-create it with `dvc add`");
          }
        }
        RecordedHashes.check(om, file, y, "restore the file from Git (`git checkout -- " + file.getFileName()
            + "`) or track the data again (`dvc add " + p + "`)");
        outs.add((Map<String, Object>) om);
      }
      data.put("outs", outs);
    }
    return new DvcFile(file, relFile, data, outs);
  }

  private static void checkSafe(String p, Path file, int line) {
    if (p.contains("://")) {
      return;
    }
    if (p.startsWith("/") || PathUtil.normalize(p) == null) {
      throw new MlopsException(
          "path '" + p + "' leaves the workspace",
          file,
          line,
          "paths in a .dvc file are relative to its directory and must stay inside the repository");
    }
  }

  public Path file() {
    return file;
  }

  /** Path relative to the repository root ('/' separators). */
  public String relFile() {
    return relFile;
  }

  public boolean frozen() {
    return Boolean.TRUE.equals(data.get("frozen"));
  }

  public List<LockedPath> outs() {
    List<LockedPath> list = new ArrayList<>();
    for (Map<String, Object> o : outs) {
      list.add(LockedPath.fromMap(o));
    }
    return list;
  }

  /** Whether out {@code i} has {@code cache: false}. */
  public boolean cached(int i) {
    return !Boolean.FALSE.equals(outs.get(i).get("cache"));
  }

  public boolean pushable(int i) {
    return !Boolean.FALSE.equals(outs.get(i).get("push"));
  }

  public String remote(int i) {
    Object r = outs.get(i).get("remote");
    return r == null ? null : String.valueOf(r);
  }

  /**
   * Records a new hash for out {@code i}; existing keys are updated in place and missing ones appended,
   * like DVC's round-trip edit. Returns true when anything changed.
   */
  public boolean update(int i, HashedObject obj) {
    Map<String, Object> current = outs.get(i);
    LockedPath now = new LockedPath(String.valueOf(current.get("path")), obj);
    Map<String, Object> wanted = now.toDvcFileMap();
    boolean fresh = !current.containsKey("md5");
    Map<String, Object> next = new LinkedHashMap<>();
    if (fresh) {
      next.putAll(wanted);
      current.forEach(next::putIfAbsent);
    } else {
      for (Map.Entry<String, Object> e : current.entrySet()) {
        String k = e.getKey();
        if (Set.of("md5", "size", "nfiles", "isexec", "hash").contains(k)) {
          if (wanted.containsKey(k)) {
            next.put(k, wanted.get(k));
          }
        } else {
          next.put(k, e.getValue());
        }
      }
      wanted.forEach(next::putIfAbsent);
    }
    if (next.equals(current) && new ArrayList<>(next.keySet()).equals(new ArrayList<>(current.keySet()))) {
      return false;
    }
    current.clear();
    current.putAll(next);
    return true;
  }

  public String toYaml() {
    return YamlDumper.dump(data);
  }

  public void save() {
    AtomicFiles.writeString(file, toYaml());
  }

  public boolean exists() {
    return Files.exists(file);
  }
}
