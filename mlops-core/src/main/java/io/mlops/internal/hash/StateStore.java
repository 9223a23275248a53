package io.mlops.internal.hash;

import io.mlops.internal.util.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file hashes keyed by (inode, mtime, size) so that unchanged files are not hashed again, like
 * DVC's state database. Stored as a tab-separated file under {@code .dvc/tmp/} (never shared, never
 * committed); a corrupt or missing file only costs re-hashing.
 */
public final class StateStore {
  private static final String VERSION = "mlops-state 1";

  private record Key(String path, String hashName) {}

  private record Stamp(String fileKey, long mtimeNanos, long size, String hash) {}

  private final Path file;
  private final Map<Key, Stamp> entries = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  private StateStore(Path file) {
    this.file = file;
  }

  /** A store that keeps nothing on disk. */
  public static StateStore inMemory() {
    return new StateStore(null);
  }

  public static StateStore open(Path file) {
    StateStore s = new StateStore(file);
    s.load();
    return s;
  }

  private void load() {
    if (file != null) {
      readInto(entries);
    }
  }

  /** Adds the file's entries to {@code into}; a missing, foreign or corrupt file adds nothing. */
  private void readInto(Map<Key, Stamp> into) {
    Map<Key, Stamp> read = new java.util.HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (!VERSION.equals(r.readLine())) {
        return;
      }
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t");
        if (f.length != 6) {
          continue;
        }
        read.put(new Key(f[0], f[1]), new Stamp(f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), f[5]));
      }
    } catch (NoSuchFileException e) {
      return; // first use
    } catch (IOException | RuntimeException e) {
      return; // only costs re-hashing
    }
    read.forEach(into::putIfAbsent);
  }

  /** The remembered hash if the file's inode, mtime and size are unchanged, else null. */
  public String get(Path absFile, BasicFileAttributes attrs, String hashName) {
    Stamp s = entries.get(new Key(absFile.toString(), hashName));
    if (s == null) {
      return null;
    }
    if (s.size() == attrs.size()
        && s.mtimeNanos() == mtime(attrs)
        && s.fileKey().equals(String.valueOf(attrs.fileKey()))) {
      return s.hash();
    }
    return null;
  }

  public void put(Path absFile, BasicFileAttributes attrs, String hashName, String hash) {
    String path = absFile.toString();
    if (path.indexOf('\t') >= 0 || path.indexOf('\n') >= 0) {
      return;
    }
    entries.put(
        new Key(path, hashName),
        new Stamp(String.valueOf(attrs.fileKey()), mtime(attrs), attrs.size(), hash));
    dirty = true;
  }

  /**
   * Writes the store if anything changed, merged with what other processes saved since it was read (their
   * entries are kept; for a file both hashed, this process's stamp wins). The merge and write happen under a lock
   * of {@code <file>.lock}, so concurrent saves lose nothing.
   */
  public synchronized void save() {
    if (file == null || !dirty) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        readInto(entries);
        write();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the hash state " + file, e);
    }
    dirty = false;
  }

  private void write() {
    StringBuilder sb = new StringBuilder(entries.size() * 120);
    sb.append(VERSION).append('\n');
    entries.forEach(
        (k, s) ->
            sb.append(k.path())
                .append('\t')
                .append(k.hashName())
                .append('\t')
                .append(s.fileKey())
                .append('\t')
                .append(s.mtimeNanos())
                .append('\t')
                .append(s.size())
                .append('\t')
                .append(s.hash())
                .append('\n'));
    AtomicFiles.writeString(file, sb.toString());
  }

  private static long mtime(BasicFileAttributes attrs) {
    return attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
