package io.mlops.internal.repro;

import io.mlops.internal.cache.LocalCache;
import io.mlops.internal.json.PyJson;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.yaml.LoadedYaml;
import io.mlops.internal.yaml.YamlDumper;
import io.mlops.internal.yaml.YamlLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * DVC's run-cache: {@code <cache>/runs/<key[0:2]>/<key>/<value>}, where key = sha256 of the lock entry with
 * outs reduced to their paths and value = sha256 of the full entry (both with every {@code size} and
 * {@code nfiles} removed), and the file holds the entry's YAML.
 */
public final class RunCache {
  private final LocalCache cache;

  public RunCache(LocalCache cache) {
    this.cache = cache;
  }

  /** Whether DVC would use the run-cache for this stage at all. */
  public static boolean eligible(Stage s) {
    if (s.isDataSource() || s.def().alwaysChanged()) {
      return false;
    }
    if (s.outs().isEmpty() || (s.deps().isEmpty() && s.params().isEmpty())) {
      return false;
    }
    for (Stage.Out o : s.outs()) {
      if (o.def().persist()) {
        return false;
      }
    }
    return true;
  }

  /** The key of a lock entry (its outs are reduced to paths). */
  public static String key(LockEntry entry) {
    Map<String, Object> m = entry.toMap();
    List<String> paths = new ArrayList<>();
    for (LockedPath o : sortedOuts(entry)) {
      paths.add(o.path());
    }
    if (!paths.isEmpty()) {
      m.put("outs", paths);
    }
    return sha256(PyJson.dumps(filter(m)));
  }

  public static String value(LockEntry entry) {
    return sha256(PyJson.dumps(filter(entry.toMap())));
  }

  private static List<LockedPath> sortedOuts(LockEntry entry) {
    List<LockedPath> outs = new ArrayList<>(entry.outs());
    outs.sort(Comparator.comparing(LockedPath::path, io.mlops.internal.util.PathUtil.CODE_POINT_ORDER));
    return outs;
  }

  /** Removes every {@code size} and {@code nfiles} key at any depth (DVC's quirk includes params). */
  static Object filter(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            String ks = String.valueOf(k);
            if (!"size".equals(ks) && !"nfiles".equals(ks)) {
              out.put(ks, filter(v));
            }
          });
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(filter(x));
      }
      return out;
    }
    return o;
  }

  public Path entryDir(String key) {
    return cache.runsDir().resolve(key.substring(0, 2)).resolve(key);
  }

  /** Records a completed run. */
  public void save(LockEntry entry) {
    String key = key(entry);
    Path file = entryDir(key).resolve(value(entry));
    if (Files.exists(file)) {
      touch(file);
      return;
    }
    AtomicFiles.writeString(file, YamlDumper.dump(entry.toMap()));
  }

  /** The newest recorded run for the stage's current deps/params/cmd, if any. */
  public Optional<LockEntry> lookup(LockEntry depsEntry, List<String> outPaths) {
    List<LockedPath> outs = new ArrayList<>();
    for (String p : outPaths) {
      outs.add(new LockedPath(p, null));
    }
    LockEntry probe = new LockEntry(depsEntry.cmd(), depsEntry.deps(), depsEntry.params(), outs);
    Path dir = entryDir(key(probe));
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    Path newest = null;
    FileTime newestTime = null;
    for (Path f : files) {
      try {
        FileTime t = Files.getLastModifiedTime(f);
        if (newest == null || t.compareTo(newestTime) > 0) {
          newest = f;
          newestTime = t;
        }
      } catch (IOException e) {
        // skip unreadable entries
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    try {
      LoadedYaml y = YamlLoader.load(newest);
      if (y.root() instanceof Map<?, ?> m) {
        return Optional.of(LockEntry.fromMap(m));
      }
    } catch (RuntimeException e) {
      // a corrupt entry is ignored, like a miss
    }
    return Optional.empty();
  }

  private static void touch(Path f) {
    try {
      Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      // the entry stays usable
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
