package io.mlops.api;

import java.util.List;

/**
 * What {@link Mlops#verifyCache} found: every object of the local cache re-hashed, whatever its mode.
 *
 * @param checked objects read
 * @param bytes their total size
 * @param corrupt one line per object whose content does not hash to its name (each was removed from the cache)
 * @param staleTemporaries temporary files left by killed writes (older than ten minutes) that were removed
 */
public record CacheVerifyResult(int checked, long bytes, List<String> corrupt, int staleTemporaries) {
  public CacheVerifyResult {
    corrupt = List.copyOf(corrupt);
  }

  public boolean intact() {
    return corrupt.isEmpty();
  }
}
