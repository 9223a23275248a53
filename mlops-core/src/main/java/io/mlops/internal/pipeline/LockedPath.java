package io.mlops.internal.pipeline;

import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.hash.Meta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dep or out entry of dvc.lock or a .dvc file: its path as written and the recorded hash (null if the
 * entry has none). Entries without a {@code hash:} key are DVC 2 legacy ({@code md5-dos2unix}).
 */
public record LockedPath(String path, HashedObject object) {

  public HashInfo hash() {
    return object == null ? null : object.hash();
  }

  /** Parses one entry map of dvc.lock ({@code path, hash, md5, size, nfiles, isexec}). */
  static LockedPath fromMap(Map<?, ?> m) {
    String path = String.valueOf(m.get("path"));
    Object md5 = m.get("md5");
    if (md5 == null || "".equals(md5)) {
      // DVC reads an empty md5 as none
      return new LockedPath(path, null);
    }
    String hashName = m.containsKey("hash") ? String.valueOf(m.get("hash")) : HashInfo.LEGACY;
    if (!HashInfo.MD5.equals(hashName)) {
      hashName = HashInfo.LEGACY;
    }
    long size = m.get("size") instanceof Number n ? n.longValue() : -1;
    Integer nfiles = m.get("nfiles") instanceof Number n ? n.intValue() : null;
    boolean isexec = Boolean.TRUE.equals(m.get("isexec"));
    return new LockedPath(
        path, new HashedObject(new HashInfo(hashName, String.valueOf(md5)), new Meta(size, nfiles, isexec)));
  }

  /** The dvc.lock form: {@code path, hash: md5, md5, size, nfiles, isexec} (hash omitted for legacy). */
  public Map<String, Object> toLockMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    if (object != null) {
      if (!object.hash().isLegacy()) {
        m.put("hash", HashInfo.MD5);
      }
      m.put("md5", object.hash().value());
      putMeta(m, object.meta());
    }
    return m;
  }

  /** The .dvc form: {@code md5, size, nfiles, isexec, hash: md5, path}. */
  public Map<String, Object> toDvcFileMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (object != null) {
      m.put("md5", object.hash().value());
      putMeta(m, object.meta());
      if (!object.hash().isLegacy()) {
        m.put("hash", HashInfo.MD5);
      }
    }
    m.put("path", path);
    return m;
  }

  private static void putMeta(Map<String, Object> m, Meta meta) {
    if (meta == null) {
      return;
    }
    if (meta.size() >= 0) {
      m.put("size", meta.size());
    }
    if (meta.nfiles() != null) {
      m.put("nfiles", meta.nfiles());
    }
    if (meta.isexec()) {
      m.put("isexec", true);
    }
  }
}
