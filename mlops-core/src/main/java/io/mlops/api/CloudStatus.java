package io.mlops.api;

import java.util.Map;

/**
 * What {@link Mlops#cloudStatus} found ({@code dvc status -c}).
 *
 * @param remote the remote compared with the cache
 * @param changes path to state, sorted by path: {@code new} (only in the cache: push it), {@code deleted} (only on
 *     the remote: pull it), {@code missing} (in neither); objects in both are not listed
 */
public record CloudStatus(String remote, Map<String, String> changes) {
  public CloudStatus {
    changes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(changes));
  }

  public boolean inSync() {
    return changes.isEmpty();
  }
}
