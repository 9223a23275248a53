package io.mlops.internal.yaml;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An identity-based side table of 1-based source lines for containers (maps and lists), for the keys of maps and
 * for the items of lists. The values themselves stay plain Java collections.
 *
 * <p>Lookups use object identity, so the table follows a container even after it is passed around, but not a
 * copy of it. A container that appears twice (a YAML alias) keeps the line of its first appearance.
 */
public final class SourceLines {
  private static final class Entry {
    int line;
    Map<String, Integer> keyLines;
    int[] itemLines;
  }

  private final IdentityHashMap<Object, Entry> table = new IdentityHashMap<>();

  private Entry entry(Object container) {
    return table.computeIfAbsent(container, c -> new Entry());
  }

  /** Records the line of a map or list (kept if one is already known). */
  public void container(Object container, int line) {
    Entry e = entry(container);
    if (e.line == 0) {
      e.line = line;
    }
  }

  /** Records the line of a key of {@code map} (replacing a line recorded before). */
  public void key(Map<?, ?> map, String key, int line) {
    Entry e = entry(map);
    if (e.keyLines == null) {
      e.keyLines = new HashMap<>();
    }
    e.keyLines.put(key, line);
  }

  /** Records the line of item {@code index} of {@code list}. */
  public void item(List<?> list, int index, int line) {
    Entry e = entry(list);
    if (e.itemLines == null) {
      e.itemLines = new int[Math.max(list.size(), index + 1)];
    } else if (e.itemLines.length <= index) {
      e.itemLines = java.util.Arrays.copyOf(e.itemLines, Math.max(index + 1, e.itemLines.length * 2));
    }
    if (e.itemLines[index] == 0) {
      e.itemLines[index] = line;
    }
  }

  /** 1-based line of a map or list, or 0 when unknown. */
  public int line(Object container) {
    Entry e = container == null ? null : table.get(container);
    return e == null ? 0 : e.line;
  }

  /** 1-based line of {@code key} in {@code map}; falls back to the map's own line, or 0. */
  public int line(Map<?, ?> map, String key) {
    Entry e = map == null ? null : table.get(map);
    if (e == null) {
      return 0;
    }
    if (e.keyLines != null) {
      Integer l = e.keyLines.get(key);
      if (l != null) {
        return l;
      }
    }
    return e.line;
  }

  /** 1-based line of item {@code index} of {@code list}; falls back to the list's own line, or 0. */
  public int line(List<?> list, int index) {
    Entry e = list == null ? null : table.get(list);
    if (e == null) {
      return 0;
    }
    if (e.itemLines != null && index >= 0 && index < e.itemLines.length && e.itemLines[index] > 0) {
      return e.itemLines[index];
    }
    return e.line;
  }
}
