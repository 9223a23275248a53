package io.mlops.internal.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Writes that never leave a half-written file behind: data goes to a temporary file in the target's
 * directory (named like DVC's {@code .<token>.tmp}) and is then renamed over the target.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** A fresh temporary path next to {@code target}. */
  private static final java.util.regex.Pattern TEMP_NAME = java.util.regex.Pattern.compile("\\.[A-Za-z0-9_-]{22}\\.tmp");

  /** Whether a file name is one of {@link #tempSibling}'s: what an interrupted write leaves behind. */
  public static boolean isTempName(String fileName) {
    return TEMP_NAME.matcher(fileName).matches();
  }

  /**
   * Removes the temporary files ({@link #isTempName}) directly in {@code dir}: what a killed write left beside its
   * target. Only safe under the repository lock, when no other process of ours is writing there; returns how many.
   */
  public static int removeTemps(Path dir) {
    int removed = 0;
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (var names = Files.newDirectoryStream(dir, p -> isTempName(p.getFileName().toString()))) {
      for (Path p : names) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
          if (Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
    return removed;
  }

  public static Path tempSibling(Path target) {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    String name = "." + Base64.getUrlEncoder().withoutPadding().encodeToString(token) + ".tmp";
    Path parent = target.toAbsolutePath().getParent();
    return parent.resolve(name);
  }

  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] data) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = tempSibling(target);
      try {
        Files.write(tmp, data);
        move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** What writes a file's bytes to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /** Writes {@code target} through a temporary sibling with what {@code writer} writes (buffered, never whole). */
  public static void write(Path target, Writer writer) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = tempSibling(target);
      try {
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
          writer.writeTo(out);
        }
        move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  public static void copy(InputStream in, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = tempSibling(target);
      try {
        Files.copy(in, tmp);
        move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Copies a file's bytes to {@code target} through a temporary sibling. */
  public static void copyFile(Path source, Path target) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = tempSibling(target);
      try {
        Files.copy(source, tmp, StandardCopyOption.COPY_ATTRIBUTES);
        move(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
    }
  }

  /** Renames {@code tmp} over {@code target}, atomically where the file system allows it. */
  public static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
