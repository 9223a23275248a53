package io.mlops.internal.hash;

import io.mlops.internal.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers file hashes keyed by (inode, mtime, size) so that unchanged files are not hashed again, like
 * DVC's state database. Stored under {@code .dvc/tmp/} (never shared, never committed) as an append-only log of
 * tab-separated lines, the last line for a file winning: a run appends only what it hashed, and the log is
 * rewritten only when most of it is stale. It is read in one pass on a background thread while the repository
 * opens. A corrupt, truncated or missing file only costs re-hashing.
 */
public final class StateStore {
  private static final String VERSION = "mlops-state 1";
  private static final int MD5_HEX = 32;

  /**
   * One remembered hash, compact for repositories of a million files: the inode key and the md5 as numbers, not
   * strings (about 200 bytes an entry with its map key, against 360 as strings). What does not parse as expected
   * (another platform's file key, another hash's digest) is kept as text.
   */
  private static final class Stamp {
    final long dev;
    final long ino;
    /** The file key as text when it is not Linux's {@code (dev=<hex>,ino=<decimal>)}, else null. */
    final String otherKey;
    final long mtimeNanos;
    final long size;
    final long hashHigh;
    final long hashLow;
    /** The hash as text when it is not 32 lower-case hex digits, else null. */
    final String otherHash;
    /** Put since the last save: the next save appends it. */
    volatile boolean dirty;

    Stamp(String fileKey, long mtimeNanos, long size, String hash) {
      long[] k = parseFileKey(fileKey);
      this.dev = k == null ? 0 : k[0];
      this.ino = k == null ? 0 : k[1];
      this.otherKey = k == null ? fileKey : null;
      this.mtimeNanos = mtimeNanos;
      this.size = size;
      boolean hex = isLowerHex(hash, 0, hash.length()) && hash.length() == MD5_HEX;
      this.hashHigh = hex ? Long.parseUnsignedLong(hash, 0, 16, 16) : 0;
      this.hashLow = hex ? Long.parseUnsignedLong(hash, 16, 32, 16) : 0;
      this.otherHash = hex ? null : hash;
    }

    boolean sameFile(String fileKey) {
      if (otherKey != null) {
        return otherKey.equals(fileKey);
      }
      long[] k = parseFileKey(fileKey);
      return k != null && k[0] == dev && k[1] == ino;
    }

    String fileKey() {
      return otherKey != null ? otherKey : "(dev=" + Long.toHexString(dev) + ",ino=" + Long.toUnsignedString(ino) + ")";
    }

    String hash() {
      if (otherHash != null) {
        return otherHash;
      }
      String hi = Long.toHexString(hashHigh);
      String lo = Long.toHexString(hashLow);
      return "0".repeat(16 - hi.length()) + hi + "0".repeat(16 - lo.length()) + lo;
    }

    boolean sameAs(Stamp o) {
      return o != null && dev == o.dev && ino == o.ino && java.util.Objects.equals(otherKey, o.otherKey)
          && mtimeNanos == o.mtimeNanos && size == o.size && hashHigh == o.hashHigh && hashLow == o.hashLow
          && java.util.Objects.equals(otherHash, o.otherHash);
    }
  }

  /** Linux's {@code (dev=<hex>,ino=<decimal>)} as {dev, ino}, else null. */
  private static long[] parseFileKey(String k) {
    int comma = k.indexOf(",ino=");
    if (!k.startsWith("(dev=") || comma < 0 || !k.endsWith(")")) {
      return null;
    }
    try {
      long dev = Long.parseUnsignedLong(k, 5, comma, 16);
      long ino = Long.parseUnsignedLong(k, comma + 5, k.length() - 1, 10);
      // only a key that prints back the same is kept as numbers
      return ("(dev=" + Long.toHexString(dev) + ",ino=" + Long.toUnsignedString(ino) + ")").equals(k)
          ? new long[] {dev, ino} : null;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The map key: the absolute path for md5 (nearly every entry), the path, NUL and the hash name otherwise. */
  private static String key(String path, String hashName) {
    return HashInfo.MD5.equals(hashName) ? path : path + '\u0000' + hashName;
  }

  private static String pathOf(String key) {
    int nul = key.indexOf('\u0000');
    return nul < 0 ? key : key.substring(0, nul);
  }

  private static String hashNameOf(String key) {
    int nul = key.indexOf('\u0000');
    return nul < 0 ? HashInfo.MD5 : key.substring(nul + 1);
  }

  private final Path file;
  private final Map<String, Stamp> entries = new ConcurrentHashMap<>();
  /** Lines in the log when it was last read or written, to know when rewriting it pays. */
  private volatile int linesOnDisk;
  private volatile Thread loader;

  private StateStore(Path file) {
    this.file = file;
  }

  /** A store that keeps nothing on disk. */
  public static StateStore inMemory() {
    return new StateStore(null);
  }

  /** Opens the store at {@code file}, reading it on a background thread; the first use waits for it. */
  public static StateStore open(Path file) {
    StateStore s = new StateStore(file);
    Thread t = new Thread(() -> s.linesOnDisk = s.readInto(s.entries, true), "mlops-state-load");
    t.setDaemon(true);
    s.loader = t;
    t.start();
    return s;
  }

  private void awaitLoad() {
    Thread t = loader;
    if (t == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    loader = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Adds the log's entries to {@code into} (later lines win; with {@code overwrite} false, entries already in
   * {@code into} are kept). Only complete lines count: a line cut short by a crash is skipped.
   *
   * @return the number of lines read, or -1 when the file is missing or not a state log
   */
  private int readInto(Map<String, Stamp> into, boolean overwrite) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return -1; // first use
    } catch (IOException | RuntimeException e) {
      return -1; // only costs re-hashing
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    if (nl < 0 || !VERSION.equals(text.substring(0, nl))) {
      return -1;
    }
    Map<String, Stamp> read = overwrite ? into : new java.util.HashMap<>();
    int lines = 0;
    int[] tabs = new int[5];
    for (int start = nl + 1, end; start < text.length(); start = end + 1) {
      end = text.indexOf('\n', start);
      if (end < 0) {
        break; // an unfinished last line
      }
      lines++;
      int n = 0;
      for (int i = text.indexOf('\t', start); i >= 0 && i < end; i = text.indexOf('\t', i + 1)) {
        if (n == tabs.length) {
          n++;
          break;
        }
        tabs[n++] = i;
      }
      if (n != tabs.length || end - tabs[4] - 1 != MD5_HEX) {
        continue; // not six fields, or not a whole md5
      }
      try {
        String k = key(text.substring(start, tabs[0]), text.substring(tabs[0] + 1, tabs[1]));
        Stamp s = new Stamp(text.substring(tabs[1] + 1, tabs[2]),
            Long.parseLong(text, tabs[2] + 1, tabs[3], 10),
            Long.parseLong(text, tabs[3] + 1, tabs[4], 10),
            text.substring(tabs[4] + 1, end));
        read.put(k, s);
      } catch (NumberFormatException e) {
        // a damaged line: skipped
      }
    }
    if (!overwrite) {
      read.forEach(into::putIfAbsent);
    }
    return lines;
  }

  /** The remembered hash if the file's inode, mtime and size are unchanged, else null. */
  public String get(Path absFile, BasicFileAttributes attrs, String hashName) {
    awaitLoad();
    Stamp s = entries.get(key(absFile.toString(), hashName));
    if (s == null) {
      return null;
    }
    if (s.size == attrs.size() && s.mtimeNanos == mtime(attrs) && s.sameFile(String.valueOf(attrs.fileKey()))) {
      return s.hash();
    }
    return null;
  }

  public void put(Path absFile, BasicFileAttributes attrs, String hashName, String hash) {
    String path = absFile.toString();
    if (path.indexOf('\t') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\u0000') >= 0
        || hash.length() != MD5_HEX) {
      return;
    }
    awaitLoad();
    String k = key(path, hashName);
    Stamp s = new Stamp(String.valueOf(attrs.fileKey()), mtime(attrs), attrs.size(), hash);
    Stamp old = entries.get(k);
    if (!s.sameAs(old)) {
      s.dirty = true;
      entries.put(k, s);
    }
  }

  /**
   * Saves what was hashed since the last save, under a lock of {@code <file>.lock} so that concurrent saves lose
   * nothing: appended to the log, or, when the log is mostly stale lines, the log rewritten from this process's
   * entries merged with what other processes saved since it was read (for a file both hashed, this process's
   * stamp wins).
   */
  public synchronized void save() {
    awaitLoad();
    if (file == null) {
      return;
    }
    List<Map.Entry<String, Stamp>> dirty = new ArrayList<>();
    entries.forEach((k, st) -> {
      if (st.dirty) {
        dirty.add(Map.entry(k, st));
      }
    });
    if (dirty.isEmpty()) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        int lines = linesOnDisk;
        if (lines < 0 || lines + dirty.size() > 2 * entries.size() + 1024 || !append(dirty)) {
          readInto(entries, false);
          rewrite();
          linesOnDisk = entries.size();
        } else {
          linesOnDisk = lines + dirty.size();
        }
        // a stamp put while saving is a new object, still dirty
        dirty.forEach(e -> e.getValue().dirty = false);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the hash state " + file, e);
    }
  }

  /** Appends the lines of {@code keys}; false when the log is not there or not ours (then it is rewritten). */
  private boolean append(List<Map.Entry<String, Stamp>> keys) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = out.size();
      if (size < VERSION.length() + 1) {
        return false;
      }
      StringBuilder sb = new StringBuilder(keys.size() * 120 + 1);
      ByteBuffer last = ByteBuffer.allocate(1);
      out.read(last, size - 1);
      if (last.get(0) != '\n') {
        sb.append('\n'); // a line cut short by a crash stays alone on its line (and is skipped when read)
      }
      for (Map.Entry<String, Stamp> e : keys) {
        line(sb, e.getKey(), e.getValue());
      }
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      long pos = size;
      while (buf.hasRemaining()) {
        pos += out.write(buf, pos);
      }
    }
    return true;
  }

  private void rewrite() {
    StringBuilder sb = new StringBuilder(entries.size() * 120);
    sb.append(VERSION).append('\n');
    entries.forEach((k, s) -> line(sb, k, s));
    AtomicFiles.writeString(file, sb.toString());
  }

  private static void line(StringBuilder sb, String k, Stamp s) {
    sb.append(pathOf(k)).append('\t').append(hashNameOf(k)).append('\t').append(s.fileKey()).append('\t')
        .append(s.mtimeNanos).append('\t').append(s.size).append('\t').append(s.hash()).append('\n');
  }

  private static long mtime(BasicFileAttributes attrs) {
    return attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
