package io.mlops.internal.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.Set;

/** Small path helpers shared by the engine. */
public final class PathUtil {
  /** Orders strings like Python's {@code str} comparison: by Unicode code point, not UTF-16 unit. */
  public static final Comparator<String> CODE_POINT_ORDER = PathUtil::compareCodePoints;

  private PathUtil() {}

  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** '/'-separated form of a relative path. */
  public static String posix(Path relative) {
    String s = relative.toString();
    if (java.io.File.separatorChar != '/') {
      s = s.replace(java.io.File.separatorChar, '/');
    }
    return s.isEmpty() ? "." : s;
  }

  /**
   * Normalises a '/'-separated path: removes "." parts and resolves "..". Returns null when ".." would
   * climb above the start.
   */
  public static String normalize(String path) {
    String[] parts = path.split("/");
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    for (String p : parts) {
      if (p.isEmpty() || ".".equals(p)) {
        continue;
      }
      if ("..".equals(p)) {
        if (out.isEmpty()) {
          return null;
        }
        out.removeLast();
      } else {
        out.addLast(p);
      }
    }
    return out.isEmpty() ? "." : String.join("/", out);
  }

  /** Joins a base ('.' for none) and a relative path, normalised; null if it leaves the root. */
  public static String join(String base, String rel) {
    if (base == null || base.isEmpty() || ".".equals(base)) {
      return normalize(rel);
    }
    return normalize(base + "/" + rel);
  }

  /** True when {@code inner} equals {@code outer} or lies inside it (both normalised relative paths). */
  public static boolean isWithin(String inner, String outer) {
    if (".".equals(outer)) {
      return true;
    }
    return inner.equals(outer) || inner.startsWith(outer + "/");
  }

  public static boolean isExecutable(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE)
          || perms.contains(PosixFilePermission.GROUP_EXECUTE)
          || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }

  /** Deletes a file or a directory tree (making read-only entries writable first). Missing is fine. */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(path);
        return;
      }
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
