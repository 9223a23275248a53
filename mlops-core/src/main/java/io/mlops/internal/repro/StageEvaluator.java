package io.mlops.internal.repro;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.pipeline.OutDef;
import io.mlops.internal.pipeline.ParamsDep;
import io.mlops.internal.pipeline.ParamsFile;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Computes a stage's status against its lock entry, and the lock entry its current state would give. */
public final class StageEvaluator {
  private final Repo repo;

  public StageEvaluator(Repo repo) {
    this.repo = repo;
  }

  /** DVC's change rules, in DVC's order: command, deps (params included), outs, always_changed. */
  public StageStatus status(Stage stage, LockEntry lock) {
    StageStatus st = new StageStatus(stage);
    if (stage.isDataSource()) {
      List<LockedPath> outs = stage.dvcFile().outs();
      for (int i = 0; i < outs.size(); i++) {
        checkOut(st, stage.outs().get(i), outs.get(i));
      }
      return st;
    }
    st.noLockEntry = lock == null;
    if (lock != null && !cmdEquals(lock.cmd(), stage.def().cmd())) {
      st.commandChanged = true;
    }
    if (!stage.frozen()) {
      // always_changed, or a callback stage (a command without deps, params or outs): DVC runs it every time
      if (stage.def().alwaysChanged()
          || (stage.deps().isEmpty() && stage.def().params().isEmpty() && stage.outs().isEmpty())) {
        st.alwaysChanged = true;
      }
      Map<String, LockedPath> lockDeps = byPath(lock == null ? List.of() : lock.deps());
      for (int i = 0; i < stage.deps().size(); i++) {
        String written = stage.def().deps().get(i);
        String repoPath = stage.deps().get(i);
        LockedPath locked = lockDeps.get(written);
        String state = compare(repoPath, locked);
        if (state != null) {
          st.deps.add(new StageStatus.Change(state, repoPath));
        }
      }
      checkParams(st, stage, lock);
    }
    Map<String, LockedPath> lockOuts = byPath(lock == null ? List.of() : lock.outs());
    for (Stage.Out o : stage.outs()) {
      checkOut(st, o, lockOuts.get(o.def().path()));
    }
    return st;
  }

  private void checkOut(StageStatus st, Stage.Out o, LockedPath locked) {
    boolean cached = locked != null && locked.hash() != null && o.def().cache();
    if (cached && !repo.cache().isValid(locked.hash())) {
      st.outs.add(new StageStatus.Change("not in cache", o.repoPath()));
      return;
    }
    String state = compare(o.repoPath(), locked);
    // an unchanged directory's files are checked against the tree just hashed, not a re-read manifest
    if (cached && locked.hash().isDir() && !repo.cache().containsAll(locked.hash(),
        state == null ? repo.hasher().recentTree(repo.resolve(o.repoPath()), locked.hash()) : null)) {
      st.outs.add(new StageStatus.Change("not in cache", o.repoPath()));
      return;
    }
    if (state != null) {
      st.outs.add(new StageStatus.Change(state, o.repoPath()));
    }
  }

  /** null when unchanged, else deleted / modified. */
  private String compare(String repoPath, LockedPath locked) {
    Path abs = repo.resolve(repoPath);
    if (!Files.exists(abs)) {
      return "deleted";
    }
    if (locked == null || locked.hash() == null) {
      return "modified";
    }
    HashedObject now = repo.hasher().hash(abs, locked.hash().name());
    return now.hash().value().equals(locked.hash().value()) ? null : "modified";
  }

  private void checkParams(StageStatus st, Stage stage, LockEntry lock) {
    for (ParamsDep p : stage.params()) {
      Map<String, Object> locked = lock == null ? null : lock.params().get(p.file());
      Map<String, Object> current = currentParams(stage, p, false);
      List<StageStatus.Change> changes = new ArrayList<>();
      if (locked == null) {
        changes.add(new StageStatus.Change("new", null));
      } else {
        Set<String> keys = new LinkedHashSet<>(current.keySet());
        if (p.whole()) {
          keys.addAll(locked.keySet());
        }
        for (String k : keys) {
          boolean inNow = current.containsKey(k);
          boolean inLock = locked.containsKey(k);
          if (inNow && !inLock) {
            changes.add(new StageStatus.Change("new", k));
          } else if (!inNow && inLock) {
            changes.add(new StageStatus.Change("deleted", k));
          } else if (inNow && !pyEquals(current.get(k), locked.get(k))) {
            changes.add(new StageStatus.Change("modified", k));
          }
        }
        if (!p.whole()) {
          for (String k : p.keys()) {
            if (!current.containsKey(k) && locked.containsKey(k)) {
              changes.add(new StageStatus.Change("deleted", k));
            }
          }
        }
      }
      if (!changes.isEmpty()) {
        st.params.put(p.file(), changes);
      }
    }
  }

  /**
   * {@code --allow-missing}: outputs that are deleted or not in the cache are ignored, and so are deleted
   * deps that an upstream stage's lock records with the same hash.
   */
  StageStatus ignoreMissing(StageStatus st, LockEntry lock, Index index) {
    StageStatus out = new StageStatus(st.stage);
    out.commandChanged = st.commandChanged;
    out.alwaysChanged = st.alwaysChanged;
    out.noLockEntry = st.noLockEntry;
    out.params.putAll(st.params);
    for (StageStatus.Change c : st.outs) {
      if (!"deleted".equals(c.state()) && !"not in cache".equals(c.state())) {
        out.outs.add(c);
      }
    }
    Map<String, LockedPath> lockDeps = new LinkedHashMap<>();
    Stage stage = st.stage;
    for (int i = 0; i < stage.deps().size(); i++) {
      LockedPath lp = byPath(lock.deps()).get(stage.def().deps().get(i));
      if (lp != null) {
        lockDeps.put(stage.deps().get(i), lp);
      }
    }
    for (StageStatus.Change c : st.deps) {
      LockedPath lp = lockDeps.get(c.name());
      if ("deleted".equals(c.state()) && lp != null && lp.hash() != null && upstreamAgrees(index, stage, c.name(), lp)) {
        continue;
      }
      out.deps.add(c);
    }
    return out;
  }

  private boolean upstreamAgrees(Index index, Stage stage, String path, LockedPath dep) {
    for (Stage u : index.upstream(stage)) {
      List<LockedPath> recorded = u.isDataSource() ? u.dvcFile().outs()
          : index.lockfile(u).get(u.def().name()) == null ? List.of() : index.lockfile(u).get(u.def().name()).outs();
      for (int i = 0; i < u.outs().size(); i++) {
        Stage.Out o = u.outs().get(i);
        if (!o.repoPath().equals(path)) {
          continue;
        }
        for (LockedPath lp : recorded) {
          if (lp.path().equals(o.def().path())) {
            return lp.hash() != null && lp.hash().value().equals(dep.hash().value());
          }
        }
      }
    }
    return true;
  }

  /**
   * The values a stage records for one params file: listed keys (dotted, as written), or every top-level
   * key for a whole-file dependency. With {@code required}, a missing file or key is an error.
   */
  public Map<String, Object> currentParams(Stage stage, ParamsDep p, boolean required) {
    String rel = PathUtil.join(stage.wdir(), p.file());
    Path file = repo.resolve(rel);
    Map<String, Object> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      if (required) {
        throw new MlopsException(
            "stage '" + stage.address() + "': params file '" + rel + "' does not exist",
            repo.resolve(stage.def().dvcfile()),
            stage.def().line(),
            "create it, or remove it from the stage's params");
      }
      return out;
    }
    Map<String, Object> values = ParamsFile.read(file);
    if (p.whole()) {
      out.putAll(values);
      return out;
    }
    for (String k : p.keys()) {
      Object v = ParamsFile.get(values, k);
      if (v != ParamsFile.MISSING) {
        out.put(k, v);
      } else if (required) {
        throw new MlopsException(
            "stage '" + stage.address() + "': parameter '" + k + "' is missing from '" + rel + "'",
            repo.resolve(stage.def().dvcfile()),
            stage.def().line(),
            "add it to " + rel + " or remove it from the stage's params");
      }
    }
    return out;
  }

  /** The lock entry for the stage's current deps and params (outs not hashed). */
  public LockEntry currentDepsEntry(Stage stage, LockEntry previous) {
    List<LockedPath> deps = new ArrayList<>();
    Map<String, LockedPath> prev = byPath(previous == null ? List.of() : previous.deps());
    for (int i = 0; i < stage.deps().size(); i++) {
      String written = stage.def().deps().get(i);
      String repoPath = stage.deps().get(i);
      Path abs = repo.resolve(repoPath);
      if (!Files.exists(abs)) {
        throw new MlopsException(
            "stage '" + stage.address() + "': dependency '" + repoPath + "' does not exist",
            repo.resolve(stage.def().dvcfile()),
            stage.def().line(),
            "create it, run the stage that produces it, or pull it with " + repo.hints().command("pull"));
      }
      deps.add(new LockedPath(written, keepLegacy(abs, prev.get(written))));
    }
    Map<String, Map<String, Object>> params = new LinkedHashMap<>();
    for (ParamsDep p : stage.params()) {
      params.put(p.file(), currentParams(stage, p, true));
    }
    return new LockEntry(stage.def().cmd(), deps, params, List.of());
  }

  /** Hashes the stage outputs; a missing output is an error naming it. */
  public List<LockedPath> currentOuts(Stage stage, LockEntry previous) {
    Map<String, LockedPath> prev = byPath(previous == null ? List.of() : previous.outs());
    List<LockedPath> outs = new ArrayList<>();
    for (Stage.Out o : stage.outs()) {
      Path abs = repo.resolve(o.repoPath());
      if (!Files.exists(abs)) {
        throw new MlopsException(
            "output '" + o.repoPath() + "' does not exist",
            stage.isDataSource() ? repo.resolve(stage.dvcFile().relFile()) : repo.resolve(stage.def().dvcfile()),
            stage.isDataSource() ? 0 : stage.def().line(),
            "the stage's command must create every declared output");
      }
      outs.add(new LockedPath(o.def().path(), keepLegacy(abs, prev.get(o.def().path()))));
    }
    return outs;
  }

  /** Keeps a legacy (DVC 2) hash when the content is unchanged under it; otherwise hashes with md5. */
  HashedObject keepLegacy(Path abs, LockedPath previous) {
    if (previous != null && previous.hash() != null && previous.hash().isLegacy()) {
      HashedObject legacy = repo.hasher().hash(abs, HashInfo.LEGACY);
      if (legacy.hash().value().equals(previous.hash().value())) {
        return legacy;
      }
    }
    return repo.hasher().hash(abs, HashInfo.MD5);
  }

  static Map<String, LockedPath> byPath(List<LockedPath> list) {
    Map<String, LockedPath> m = new LinkedHashMap<>();
    for (LockedPath p : list) {
      m.put(p.path(), p);
    }
    return m;
  }

  static boolean cmdEquals(Object a, Object b) {
    return Objects.equals(a, b);
  }

  /** Python's {@code ==} for YAML values: {@code 1 == 1.0}, lists and maps compared element-wise. */
  public static boolean pyEquals(Object a, Object b) {
    if (a instanceof Number na && b instanceof Number nb && !(a instanceof Boolean)) {
      if (isIntegral(na) && isIntegral(nb)) {
        return new java.math.BigInteger(na.toString()).equals(new java.math.BigInteger(nb.toString()));
      }
      return na.doubleValue() == nb.doubleValue();
    }
    if (a instanceof Boolean ba && b instanceof Number nb) {
      return (ba ? 1 : 0) == nb.doubleValue();
    }
    if (b instanceof Boolean && a instanceof Number) {
      return pyEquals(b, a);
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!pyEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return false;
      }
      for (Object k : ma.keySet()) {
        if (!pyEquals(ma.get(k), mb.get(k))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof java.math.BigInteger || n instanceof Short;
  }

  /** Outs that the run-cache may not save for (cache: false on a plain out). */
  static boolean hasUncachedPlainOut(Stage s) {
    for (Stage.Out o : s.outs()) {
      if (!o.def().cache() && o.def().kind() == OutDef.Kind.OUT) {
        return true;
      }
    }
    return false;
  }
}
