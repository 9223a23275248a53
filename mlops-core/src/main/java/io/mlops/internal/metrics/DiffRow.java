package io.mlops.internal.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One changed (or, with {@code all}, unchanged) value between two revisions, as DVC's
 * {@code dvc.utils.diff.diff} computes it.
 *
 * @param path the file, repository-relative
 * @param key the flattened key ({@code a.b.c}); "" when the whole file is one value
 * @param oldValue the value at the old revision; null when absent (Python None)
 * @param newValue the value at the new revision; null when absent
 * @param change {@code new - old} when both are numbers (booleans count), else null
 */
public record DiffRow(String path, String key, Object oldValue, Object newValue, Object change) {
  /** DVC's JSON form: {@code {"old": ..., "new": ...[, "diff": ...]}}. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("old", oldValue);
    m.put("new", newValue);
    if (change != null) {
      m.put("diff", change);
    }
    return m;
  }
}
