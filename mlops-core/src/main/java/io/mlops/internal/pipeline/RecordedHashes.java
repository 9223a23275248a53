package io.mlops.internal.pipeline;

import io.mlops.api.MlopsException;
import io.mlops.internal.yaml.LoadedYaml;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the hash fields of a recorded dep or out entry ({@code .dvc} outs, {@code dvc.lock} deps and outs) when
 * the file is read: a recorded md5 names a cache object, so anything but 32 hex digits (and {@code .dir}) is
 * refused with the file and line before it can become a path.
 */
final class RecordedHashes {
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}(\\.dir)?");
  /** DVC's hash names: {@code md5} (DVC 3) and the DVC 2 default it names {@code md5-dos2unix}. */
  private static final Set<String> HASH_NAMES = Set.of("md5", "md5-dos2unix");

  private RecordedHashes() {}

  static void check(Map<?, ?> entry, Path file, LoadedYaml y, String fix) {
    Object md5 = entry.get("md5");
    Object path = entry.get("path");
    String what = path == null ? "" : " of '" + path + "'";
    if (md5 != null && !"".equals(md5)) {
      String s = String.valueOf(md5).toLowerCase(java.util.Locale.ROOT);
      if (!MD5.matcher(s).matches()) {
        throw new MlopsException("md5 '" + abbreviate(String.valueOf(md5)) + "'" + what
            + " is not an md5 (32 hex digits, with '.dir' for a directory)", file, y.line(entry, "md5"), fix);
      }
    }
    Object hash = entry.get("hash");
    if (hash != null && !HASH_NAMES.contains(String.valueOf(hash))) {
      throw new MlopsException("hash '" + abbreviate(String.valueOf(hash)) + "'" + what
          + " is not one DVC 3 writes (md5)", file, y.line(entry, "hash"), fix);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
