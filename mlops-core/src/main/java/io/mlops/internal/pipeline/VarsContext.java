package io.mlops.internal.pipeline;

import io.mlops.internal.yaml.PyStr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The variables available to {@code ${...}} in a dvc.yaml: a port of DVC's {@code dvc/parsing/context.py}
 * ({@code Context}, {@code CtxDict}, {@code CtxList}, {@code Value}, {@code Meta}), including where each value
 * came from, so that redefinitions are reported as DVC reports them.
 */
final class VarsContext {
  /** DVC's ContextError family (the message is DVC's). */
  static class ContextError extends RuntimeException {
    ContextError(String message) {
      super(message, null, false, false);
    }
  }

  /** MergeError: formatted after a newline by DVC. */
  static final class MergeError extends ContextError {
    MergeError(String message) {
      super(message);
    }
  }

  static final class ReservedKeyError extends ContextError {
    final List<String> keys;

    ReservedKeyError(List<String> keys, String path) {
      super(
          "attempted to modify reserved key"
              + (keys.size() > 1 ? "s" : "")
              + " "
              + humanJoin(keys)
              + (path != null ? " in '" + path + "'" : ""));
      this.keys = keys;
    }
  }

  static final class ParamsLoadError extends ContextError {
    ParamsLoadError(String message) {
      super(message);
    }
  }

  static final class KeyNotInContext extends ContextError {
    KeyNotInContext(String key) {
      super("Could not find '" + key + "'");
    }
  }

  /** VarsAlreadyLoaded: formatted after a newline by DVC. */
  static final class VarsAlreadyLoaded extends ContextError {
    VarsAlreadyLoaded(String message) {
      super(message);
    }
  }

  static String humanJoin(List<String> words) {
    if (words.isEmpty()) {
      return "";
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
  }

  /** Where a value came from: a file or {@code vars[i]}, and its path inside it. */
  record Meta(String source, List<String> dpaths) {
    static final Meta NONE = new Meta(null, List.of());

    Meta child(String key) {
      List<String> p = new ArrayList<>(dpaths.size() + 1);
      p.addAll(dpaths);
      p.add(key);
      return new Meta(source, p);
    }

    String path() {
      return String.join(".", dpaths);
    }
  }

  abstract static class Node {
    final Meta meta;

    Node(Meta meta) {
      this.meta = meta;
    }

    abstract Object value();
  }

  static final class Val extends Node {
    final Object v;

    Val(Object v, Meta meta) {
      super(meta);
      this.v = v;
    }

    @Override
    Object value() {
      return v;
    }
  }

  static final class Dict extends Node {
    final LinkedHashMap<String, Node> data = new LinkedHashMap<>();

    Dict(Meta meta) {
      super(meta);
    }

    @Override
    Object value() {
      LinkedHashMap<String, Object> m = new LinkedHashMap<>();
      data.forEach((k, n) -> m.put(k, n.value()));
      return m;
    }

    Dict deepCopy() {
      Dict d = new Dict(meta);
      data.forEach((k, n) -> d.data.put(k, n instanceof Dict dn ? dn.deepCopy() : n));
      return d;
    }
  }

  static final class Lst extends Node {
    final List<Node> data = new ArrayList<>();

    Lst(Meta meta) {
      super(meta);
    }

    @Override
    Object value() {
      List<Object> l = new ArrayList<>(data.size());
      data.forEach(n -> l.add(n.value()));
      return l;
    }
  }

  static Node convert(Object value, Meta meta) {
    if (value instanceof Node n) {
      return n;
    }
    if (value instanceof Map<?, ?> m) {
      Dict d = new Dict(meta);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getKey() instanceof String k) {
          d.data.put(k, convert(e.getValue(), meta.child(k)));
        }
      }
      return d;
    }
    if (value instanceof Collection<?> c) {
      Lst l = new Lst(meta);
      int i = 0;
      for (Object o : c) {
        l.data.add(convert(o, meta.child(String.valueOf(i++))));
      }
      return l;
    }
    return new Val(value, meta);
  }

  private Dict root;
  /** Loaded files: path → the keys loaded from it, or null when loaded whole. */
  private LinkedHashMap<String, List<String>> imports = new LinkedHashMap<>();

  private final LinkedHashSet<String> reserved = new LinkedHashSet<>();
  private final Path repoRoot;

  VarsContext(Path repoRoot) {
    this.repoRoot = repoRoot;
    this.root = new Dict(Meta.NONE);
  }

  VarsContext copy() {
    VarsContext c = new VarsContext(repoRoot);
    c.root = root.deepCopy();
    LinkedHashMap<String, List<String>> imp = new LinkedHashMap<>();
    imports.forEach((k, v) -> imp.put(k, v == null ? null : new ArrayList<>(v)));
    c.imports = imp;
    c.reserved.addAll(reserved);
    return c;
  }

  boolean contains(String key) {
    return root.data.containsKey(key);
  }

  /**
   * DVC's {@code Context.select}: {@code a.b}, {@code a[0]} (normalised to {@code a.0}); segments are stripped;
   * list indices are Python ints (negative ones count from the end).
   *
   * @throws KeyNotInContext naming {@code key} as given
   */
  Node select(String key) {
    String normalized = key.replace("[", ".").replace("]", "");
    Node current = root;
    String rest = normalized;
    while (true) {
      int dot = rest.indexOf('.');
      String index = (dot < 0 ? rest : rest.substring(0, dot)).strip();
      Node next;
      if (current instanceof Dict d) {
        next = d.data.get(index);
      } else if (current instanceof Lst l) {
        Integer i = pyInt(index);
        next = null;
        if (i != null) {
          int j = i < 0 ? l.data.size() + i : i;
          if (j >= 0 && j < l.data.size()) {
            next = l.data.get(j);
          }
        }
      } else {
        next = null;
      }
      if (next == null) {
        throw new KeyNotInContext(key);
      }
      if (dot < 0) {
        return next;
      }
      rest = rest.substring(dot + 1);
      current = next;
      if (!(current instanceof Dict) && !(current instanceof Lst)) {
        throw new KeyNotInContext(key);
      }
    }
  }

  /** Python's int() on a list index segment. */
  private static Integer pyInt(String s) {
    String t = s.strip();
    if (!t.matches("[-+]?[0-9]+(?:_[0-9]+)*")) {
      return null;
    }
    t = t.replace("_", "");
    try {
      return Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * DVC's {@code load_from_vars}: the default file (if it exists), then each vars entry: a file path (optionally
   * {@code path:k1,k2}) relative to {@code wdir}, or an inline mapping.
   *
   * @param wdir the directory for relative paths, relative to the repo root ("" for the root)
   */
  void loadFromVars(List<?> vars, String wdir, String stageName, String defaultFile) {
    if (defaultFile != null) {
      String toImport = PosixPaths.join(wdir, defaultFile);
      if (Files.exists(repoRoot.resolve(toImport))) {
        mergeFrom(defaultFile, wdir);
      }
    }
    for (int index = 0; index < vars.size(); index++) {
      loadVarsItem(vars.get(index), index, wdir, stageName);
    }
  }

  /** One {@code vars} entry: a file path ({@code path} or {@code path:k1,k2}) or an inline mapping. */
  void loadVarsItem(Object item, int index, String wdir, String stageName) {
    if (item instanceof String s) {
      mergeFrom(s, wdir);
    } else {
      String prefix = stageName == null || stageName.isEmpty() ? "" : stageName + ".";
      Meta meta = new Meta(prefix + "vars[" + index + "]", List.of());
      mergeUpdate((Dict) convert(item, meta), null);
    }
  }

  void mergeFrom(String item, String wdir) {
    int colon = item.indexOf(':');
    String path = colon < 0 ? item : item.substring(0, colon);
    String keysStr = colon < 0 ? "" : item.substring(colon + 1);
    path = PosixPaths.normpath(PosixPaths.join(wdir, path));
    List<String> selectKeys = null;
    if (!keysStr.isEmpty()) {
      selectKeys = new ArrayList<>();
      for (String k : keysStr.split(",", -1)) {
        if (!k.isEmpty()) {
          selectKeys.add(k);
        }
      }
    }
    if (imports.containsKey(path)) {
      if ((selectKeys == null || selectKeys.isEmpty()) && imports.get(path) == null) {
        return; // the same whole file may be given several times
      }
      checkLoaded(path, item, selectKeys);
    }
    Dict loaded = loadFrom(path, selectKeys);
    try {
      mergeUpdate(loaded, null);
    } catch (ReservedKeyError e) {
      throw new ReservedKeyError(e.keys, item);
    }
    if (!imports.containsKey(path)) {
      imports.put(path, selectKeys == null ? null : new ArrayList<>(selectKeys));
    } else if (selectKeys != null && !selectKeys.isEmpty()) {
      imports.get(path).addAll(selectKeys);
    }
  }

  private void checkLoaded(String path, String item, List<String> keys) {
    List<String> imported = imports.get(path);
    boolean noKeys = keys == null || keys.isEmpty();
    if (noKeys && imported != null) {
      throw new VarsAlreadyLoaded("cannot load '" + item + "' as it's partially loaded already");
    }
    if (!noKeys && imported == null) {
      throw new VarsAlreadyLoaded("cannot partially load '" + item + "' as it's already loaded.");
    }
    if (imported != null && keys != null && keys.stream().anyMatch(imported::contains)) {
      throw new VarsAlreadyLoaded("cannot load '" + item + "' as it's partially loaded already");
    }
  }

  private Dict loadFrom(String path, List<String> selectKeys) {
    Path file = repoRoot.resolve(path);
    if (!Files.exists(file)) {
      throw new ParamsLoadError("'" + path + "' does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new ParamsLoadError("'" + path + "' is a directory");
    }
    Object data = ParamsFile.load(file);
    if (!(data instanceof Map<?, ?> map)) {
      throw new ParamsLoadError(
          "expected a dictionary, got '" + PyStr.typeName(data) + "' in file '" + path + "'");
    }
    Object selected = map;
    if (selectKeys != null && !selectKeys.isEmpty()) {
      LinkedHashMap<String, Object> sel = new LinkedHashMap<>();
      for (String k : selectKeys) {
        if (!map.containsKey(k)) {
          throw new ParamsLoadError("could not find '" + k + "' in '" + path + "'");
        }
        sel.put(k, map.get(k));
      }
      selected = sel;
    }
    return (Dict) convert(selected, new Meta(path, List.of()));
  }

  void mergeUpdate(Dict other, String reservedPath) {
    List<String> matches = new ArrayList<>();
    for (String k : reserved) {
      if (other.data.containsKey(k)) {
        matches.add(k);
      }
    }
    if (!matches.isEmpty()) {
      throw new ReservedKeyError(matches, reservedPath);
    }
    merge(root, other);
  }

  private static void merge(Dict into, Dict update) {
    for (Map.Entry<String, Node> e : update.data.entrySet()) {
      String key = e.getKey();
      Node val = e.getValue();
      Node existing = into.data.get(key);
      if (existing instanceof Dict ed && val instanceof Dict vd) {
        merge(ed, vd);
      } else {
        if (into.data.containsKey(key)) {
          throw new MergeError(
              "cannot redefine '"
                  + val.meta.path()
                  + "' from '"
                  + PyStr.str(val.meta.source())
                  + "' as it already exists in '"
                  + PyStr.str(existing.meta.source())
                  + "'");
        }
        into.data.put(key, val);
      }
    }
  }

  /**
   * DVC's {@code set_temporarily(..., reserve=True)}: sets top-level keys (item/key), reserves them, and returns
   * what {@link #restore} needs to undo it.
   */
  Runnable setTemporarily(Map<String, Object> toSet) {
    List<String> newlyReserved = new ArrayList<>();
    for (String k : toSet.keySet()) {
      if (reserved.add(k)) {
        newlyReserved.add(k);
      }
    }
    Map<String, Node> prev = new LinkedHashMap<>();
    List<String> nonExisting = new ArrayList<>();
    for (String k : toSet.keySet()) {
      if (root.data.containsKey(k)) {
        prev.put(k, root.data.get(k));
      } else {
        nonExisting.add(k);
      }
    }
    toSet.forEach((k, v) -> root.data.put(k, convert(v, Meta.NONE.child(k))));
    return () -> {
      newlyReserved.forEach(reserved::remove);
      root.data.putAll(prev);
      nonExisting.forEach(root.data::remove);
    };
  }
}
