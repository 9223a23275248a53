package io.mlops.internal.hash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * md5 of files as DVC 3 computes them: plain md5 of the bytes for {@code hash: md5}, and the legacy
 * {@code md5-dos2unix} scheme (CRLF normalised within each 1 MiB chunk of text files) for DVC 2 entries.
 */
public final class FileHasher {
  /** DVC reads files in 1 MiB chunks; the legacy scheme normalises line ends within each chunk. */
  static final int CHUNK = 1024 * 1024;

  private static final int TEXT_SAMPLE = 512;

  /**
   * One read buffer per thread, reused: a fresh 1 MiB array per file made {@code add} of 30,000 small files
   * allocate 30 GB (and grow the heap to 3.4 GB).
   */
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);
  private static final ThreadLocal<byte[]> NORMALISED = ThreadLocal.withInitial(() -> new byte[CHUNK]);

  private FileHasher() {}

  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by the Java platform", e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String md5Hex(byte[] data) {
    return hex(md5().digest(data));
  }

  /** The hash of a file under the given hash name. */
  public static String hash(Path file, String hashName) {
    return HashInfo.LEGACY.equals(hashName) ? dos2unixMd5(file) : md5(file);
  }

  /** Plain md5 of a file's bytes. */
  public static String md5(Path file) {
    try {
      return digest(md5(), file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A file's bytes through {@code md} (any algorithm), in hex. */
  public static String digest(MessageDigest md, Path file) throws IOException {
    byte[] buf = BUFFER.get();
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return hex(md.digest());
  }

  /** DVC 2's md5: each 1 MiB chunk that looks like text has its CRLF turned into LF before hashing. */
  public static String dos2unixMd5(Path file) {
    MessageDigest md = md5();
    byte[] buf = BUFFER.get();
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
        if (isText(buf, Math.min(n, TEXT_SAMPLE))) {
          updateDos2Unix(md, buf, n);
        } else {
          md.update(buf, 0, n);
        }
        if (n < CHUNK) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return hex(md.digest());
  }

  private static void updateDos2Unix(MessageDigest md, byte[] buf, int n) {
    byte[] out = NORMALISED.get();
    int o = 0;
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n') {
        continue;
      }
      out[o++] = buf[i];
    }
    md.update(out, 0, o);
  }

  /**
   * DVC's text heuristic on a sample: empty is text, a NUL byte means binary, otherwise text when at most 30%
   * of the bytes are outside printable ASCII and the usual whitespace.
   */
  static boolean isText(byte[] block, int len) {
    if (len == 0) {
      return true;
    }
    int nontext = 0;
    for (int i = 0; i < len; i++) {
      int b = block[i] & 0xff;
      if (b == 0) {
        return false;
      }
      boolean text = (b >= 0x20 && b <= 0x7e) || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == '\b';
      if (!text) {
        nontext++;
      }
    }
    return (double) nontext / len <= 0.30;
  }
}
