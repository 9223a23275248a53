package io.mlops.internal.hash;

/** An md5 as two longs (high and low 64 bits) and back to DVC's 32 lower-case hex digits. */
public final class Md5Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Md5Hex() {}

  /** Whether {@code s} is 32 lower-case hex digits. */
  public static boolean is(String s) {
    if (s == null || s.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  public static long high(String md5) {
    check(md5);
    return Long.parseUnsignedLong(md5, 0, 16, 16);
  }

  public static long low(String md5) {
    check(md5);
    return Long.parseUnsignedLong(md5, 16, 32, 16);
  }

  private static void check(String md5) {
    if (!is(md5)) {
      throw new IllegalArgumentException("not an md5 (32 lower-case hex digits): " + md5);
    }
  }

  public static String format(long high, long low) {
    StringBuilder sb = new StringBuilder(32);
    append(sb, high, low);
    return sb.toString();
  }

  public static void append(StringBuilder sb, long high, long low) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      sb.append(DIGITS[(int) (high >>> shift) & 0xf]);
    }
    for (int shift = 60; shift >= 0; shift -= 4) {
      sb.append(DIGITS[(int) (low >>> shift) & 0xf]);
    }
  }
}
