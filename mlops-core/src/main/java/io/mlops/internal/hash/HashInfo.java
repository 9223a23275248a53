package io.mlops.internal.hash;

/**
 * A content hash as DVC records it.
 *
 * @param name {@code md5} (DVC 3) or {@code md5-dos2unix} (DVC 2 legacy, no {@code hash:} key in the file)
 * @param value lowercase hex; directories carry the {@code .dir} suffix
 */
public record HashInfo(String name, String value) {
  public static final String MD5 = "md5";
  public static final String LEGACY = "md5-dos2unix";
  public static final String DIR_SUFFIX = ".dir";

  public HashInfo {
    if (!MD5.equals(name) && !LEGACY.equals(name)) {
      throw new IllegalArgumentException("unsupported hash name: " + name);
    }
  }

  public static HashInfo md5(String value) {
    return new HashInfo(MD5, value);
  }

  public boolean isDir() {
    return value.endsWith(DIR_SUFFIX);
  }

  public boolean isLegacy() {
    return LEGACY.equals(name);
  }

  @Override
  public String toString() {
    return value;
  }
}
