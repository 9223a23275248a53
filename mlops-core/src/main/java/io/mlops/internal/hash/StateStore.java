package io.mlops.internal.hash;

import io.mlops.internal.util.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers file hashes keyed by inode, with the file's mtime and size, so that unchanged files are not hashed again:
 * DVC's state database keys its hashes the same way (a renamed file keeps its hash). Stored under {@code .dvc/tmp/}
 * (never shared, never committed) as an append-only log of tab-separated lines, the last line for a file winning: a
 * run appends only what it hashed, and the log is rewritten only when most of it is stale. It is read in one pass on
 * a background thread while the repository opens. A corrupt, truncated or missing file only costs re-hashing.
 *
 * <p>Memory matters at a million files: Linux entries live in primitive arrays (dev, inode, mtime, size and the md5 as
 * two longs: 48 bytes an entry, no object per entry, no path). Anything else (another platform's file key, none at all,
 * another hash name) is kept in a small map by text.
 */
public final class StateStore {
  /** Version 2 lines: hash name, file key, mtime in ns, size, hash. */
  private static final String VERSION = "mlops-state 2";
  /** Version 1 lines (path first) are read, so that an upgrade does not hash everything again. */
  private static final String VERSION_1 = "mlops-state 1";
  private static final int MD5_HEX = 32;
  private static final int SEGMENTS = 32;
  /**
   * Entries kept when the log is rewritten before only those used by the running process are kept (DVC's state had
   * the same default row limit): a file's entry stays while its inode is not reused.
   */
  static final int ROW_LIMIT = 10_000_000;
  /** The key of a file without a file key (the JDK gives none on some platforms): its absolute path. */
  private static final String PATH_KEY = "path:";

  /** Linux's {@code (dev=<hex>,ino=<decimal>)} as {dev, ino}, else null. */
  static long[] parseFileKey(String k) {
    int comma = k.indexOf(",ino=");
    if (!k.startsWith("(dev=") || comma < 0 || !k.endsWith(")")) {
      return null;
    }
    try {
      long dev = Long.parseUnsignedLong(k, 5, comma, 16);
      long ino = Long.parseUnsignedLong(k, comma + 5, k.length() - 1, 10);
      // only a key that prints back the same is kept as numbers
      return linuxKey(dev, ino).equals(k) ? new long[] {dev, ino} : null;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static String linuxKey(long dev, long ino) {
    return "(dev=" + Long.toHexString(dev) + ",ino=" + Long.toUnsignedString(ino) + ")";
  }

  /**
   * One segment of the Linux md5 entries: open addressing over parallel arrays, six longs a slot (dev, ino, mtime,
   * size, md5 high, md5 low) and a flag byte (used, dirty). Each segment has its own lock, so hashing threads
   * rarely wait on each other.
   */
  private static final class Segment {
    private static final int FIELDS = 6;
    private static final byte USED = 1;
    private static final byte DIRTY = 2;
    /** Read or written by this process: what a rewrite keeps when the log is over {@link #ROW_LIMIT}. */
    private static final byte TOUCHED = 4;
    long[] slots = new long[FIELDS * 16];
    byte[] flags = new byte[16];
    int used;

    private static int mix(long dev, long ino) {
      long h = ino * 0x9E3779B97F4A7C15L ^ dev * 0xC2B2AE3D27D4EB4FL;
      return (int) (h ^ (h >>> 29));
    }

    /** The slot of (dev, ino), or the empty slot where it would go (capacities are not powers of two). */
    private int slot(long dev, long ino) {
      int cap = flags.length;
      int i = (mix(dev, ino) >>> 5) % cap;
      while (flags[i] != 0) {
        if (slots[FIELDS * i + 1] == ino && slots[FIELDS * i] == dev) {
          return i;
        }
        i = i + 1 == cap ? 0 : i + 1;
      }
      return i;
    }

    synchronized long[] get(long dev, long ino) {
      int i = slot(dev, ino);
      if (flags[i] == 0) {
        return null;
      }
      flags[i] |= TOUCHED;
      int b = FIELDS * i;
      return new long[] {slots[b + 2], slots[b + 3], slots[b + 4], slots[b + 5]};
    }

    /** Sets an entry; returns false when it was there already with the same values (nothing to save). */
    synchronized boolean put(long dev, long ino, long mtime, long size, long hi, long lo, boolean dirty,
        boolean overwrite) {
      int i = slot(dev, ino);
      int b = FIELDS * i;
      if (flags[i] != 0) {
        if (!overwrite || (slots[b + 2] == mtime && slots[b + 3] == size && slots[b + 4] == hi
            && slots[b + 5] == lo)) {
          return false;
        }
      } else {
        if ((used + 1) * 4L > flags.length * 3L) {
          resize(flags.length + flags.length / 2); // by half: a million entries waste less than by doubling
          return put(dev, ino, mtime, size, hi, lo, dirty, overwrite);
        }
        used++;
      }
      slots[b] = dev;
      slots[b + 1] = ino;
      slots[b + 2] = mtime;
      slots[b + 3] = size;
      slots[b + 4] = hi;
      slots[b + 5] = lo;
      flags[i] = (byte) (USED | (dirty ? DIRTY | TOUCHED : 0));
      return true;
    }

    /** After a bulk load: at most 70 % of the slots unused, whatever the growth left. */
    synchronized void trim() {
      int fit = Math.max(16, (int) (used / 0.7) + 1);
      if (fit < flags.length * 0.8) {
        resize(fit);
      }
    }

    private void resize(int capacity) {
      long[] oldSlots = slots;
      byte[] oldFlags = flags;
      slots = new long[FIELDS * capacity];
      flags = new byte[capacity];
      for (int i = 0; i < oldFlags.length; i++) {
        if (oldFlags[i] != 0) {
          int b = FIELDS * i;
          int j = slot(oldSlots[b], oldSlots[b + 1]);
          System.arraycopy(oldSlots, b, slots, FIELDS * j, FIELDS);
          flags[j] = oldFlags[i];
        }
      }
    }

    /**
     * Writes the entries (only the dirty ones when {@code onlyDirty}, only those this process used when
     * {@code onlyTouched}), clearing their dirty flags.
     */
    synchronized void write(Lines out, boolean onlyDirty, boolean onlyTouched, List<long[]> written)
        throws IOException {
      for (int i = 0; i < flags.length; i++) {
        if (flags[i] == 0 || (onlyDirty && (flags[i] & DIRTY) == 0) || (onlyTouched && (flags[i] & TOUCHED) == 0)) {
          continue;
        }
        int b = FIELDS * i;
        out.line(HashInfo.MD5, linuxKey(slots[b], slots[b + 1]), slots[b + 2], slots[b + 3],
            Md5Hex.format(slots[b + 4], slots[b + 5]));
        if ((flags[i] & DIRTY) != 0) {
          flags[i] &= ~DIRTY;
          if (written != null) {
            written.add(new long[] {slots[b], slots[b + 1]});
          }
        }
      }
    }

    synchronized void markDirty(long dev, long ino) {
      int i = slot(dev, ino);
      if (flags[i] != 0) {
        flags[i] |= DIRTY;
      }
    }

    synchronized void mergeAbsent(Segment from) {
      for (int i = 0; i < from.flags.length; i++) {
        if (from.flags[i] != 0) {
          int b = FIELDS * i;
          long[] s = from.slots;
          put(s[b], s[b + 1], s[b + 2], s[b + 3], s[b + 4], s[b + 5], false, false);
        }
      }
    }
  }

  /** An entry kept as text: another platform's file key or none, another hash name, a hash that is not md5 hex. */
  private record Other(long mtimeNanos, long size, String hash, boolean dirty) {}

  /** The entries: Linux md5 ones in segments, the rest by text ({@code hashName NUL key}). */
  private static final class Entries {
    final Segment[] segments = new Segment[SEGMENTS];
    final Map<String, Other> others = new HashMap<>();

    Entries() {
      for (int i = 0; i < SEGMENTS; i++) {
        segments[i] = new Segment();
      }
    }

    Segment segment(long dev, long ino) {
      return segments[Segment.mix(dev, ino) & (SEGMENTS - 1)];
    }

    int size() {
      int n;
      synchronized (others) {
        n = others.size();
      }
      for (Segment s : segments) {
        synchronized (s) {
          n += s.used;
        }
      }
      return n;
    }

    /** Adds one line's entry (later ones win when {@code overwrite}). */
    void add(String hashName, String key, long mtime, long size, String hash, boolean dirty, boolean overwrite) {
      long[] k = HashInfo.MD5.equals(hashName) && Md5Hex.is(hash) ? parseFileKey(key) : null;
      if (k != null) {
        segment(k[0], k[1]).put(k[0], k[1], mtime, size, Md5Hex.high(hash), Md5Hex.low(hash), dirty, overwrite);
        return;
      }
      String textKey = hashName + '\u0000' + key;
      synchronized (others) {
        Other old = others.get(textKey);
        if (old == null || (overwrite && !(old.mtimeNanos == mtime && old.size == size && old.hash.equals(hash)))) {
          others.put(textKey, new Other(mtime, size, hash, dirty));
        }
      }
    }

    void trim() {
      for (Segment s : segments) {
        s.trim();
      }
    }

    void mergeAbsent(Entries from) {
      for (int i = 0; i < SEGMENTS; i++) {
        segments[i].mergeAbsent(from.segments[i]);
      }
      synchronized (others) {
        from.others.forEach(others::putIfAbsent);
      }
    }

    boolean anyDirty() {
      synchronized (others) {
        for (Other o : others.values()) {
          if (o.dirty) {
            return true;
          }
        }
      }
      for (Segment s : segments) {
        synchronized (s) {
          for (byte f : s.flags) {
            if ((f & Segment.DIRTY) != 0) {
              return true;
            }
          }
        }
      }
      return false;
    }

    int dirtyCount() {
      int n = 0;
      synchronized (others) {
        for (Other o : others.values()) {
          n += o.dirty ? 1 : 0;
        }
      }
      for (Segment s : segments) {
        synchronized (s) {
          for (byte f : s.flags) {
            n += (f & Segment.DIRTY) != 0 ? 1 : 0;
          }
        }
      }
      return n;
    }

    /**
     * Writes the entries (only the dirty ones when {@code onlyDirty}) and clears their dirty flags; returns what was
     * cleared, so that a failed write can mark it again.
     */
    List<Object> write(Lines out, boolean onlyDirty, boolean onlyTouched) throws IOException {
      List<long[]> linux = new ArrayList<>();
      List<String> text = new ArrayList<>();
      synchronized (others) {
        for (Map.Entry<String, Other> e : others.entrySet()) {
          Other o = e.getValue();
          if (onlyDirty && !o.dirty) {
            continue;
          }
          int nul = e.getKey().indexOf('\u0000');
          out.line(e.getKey().substring(0, nul), e.getKey().substring(nul + 1), o.mtimeNanos, o.size, o.hash);
          if (o.dirty) {
            e.setValue(new Other(o.mtimeNanos, o.size, o.hash, false));
            text.add(e.getKey());
          }
        }
      }
      for (Segment s : segments) {
        s.write(out, onlyDirty, onlyTouched, linux);
      }
      List<Object> cleared = new ArrayList<>(linux);
      cleared.addAll(text);
      return cleared;
    }

    void markDirty(List<Object> cleared) {
      for (Object c : cleared) {
        if (c instanceof long[] k) {
          segment(k[0], k[1]).markDirty(k[0], k[1]);
        } else {
          synchronized (others) {
            others.computeIfPresent((String) c, (k, o) -> new Other(o.mtimeNanos, o.size, o.hash, true));
          }
        }
      }
    }
  }

  /** Writes log lines to a buffered stream. */
  private static final class Lines {
    private final OutputStream out;
    private final StringBuilder sb = new StringBuilder(1 << 16);

    Lines(OutputStream out) {
      this.out = out;
    }

    void raw(String s) throws IOException {
      sb.append(s);
      flushIfFull();
    }

    void line(String hashName, String key, long mtime, long size, String hash) throws IOException {
      sb.append(hashName).append('\t').append(key).append('\t').append(mtime).append('\t').append(size).append('\t')
          .append(hash).append('\n');
      flushIfFull();
    }

    private void flushIfFull() throws IOException {
      if (sb.length() >= 1 << 15) {
        flush();
      }
    }

    void flush() throws IOException {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      sb.setLength(0);
      out.flush();
    }
  }

  private final Path file;
  private final Entries entries = new Entries();
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
    Thread t = new Thread(() -> {
      s.linesOnDisk = s.readInto(s.entries, true);
      s.entries.trim();
    }, "mlops-state-load");
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
   * Adds the log's entries to {@code into} (later lines win when {@code overwrite}). Read in chunks, never whole.
   * Only complete lines count: a line cut short by a crash is skipped.
   *
   * @return the number of lines read, or -1 when the file is missing or not a state log
   */
  private int readInto(Entries into, boolean overwrite) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      int len = 0;
      int version = 0;
      int lines = 0;
      while (true) {
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break; // what is left has no newline: an unfinished last line
        }
        len += n;
        int start = 0;
        for (int nl = indexOf(buf, (byte) '\n', start, len); nl >= 0; nl = indexOf(buf, (byte) '\n', start, len)) {
          String line = new String(buf, start, nl - start, StandardCharsets.UTF_8);
          start = nl + 1;
          if (version == 0) {
            version = VERSION.equals(line) ? 2 : VERSION_1.equals(line) ? 1 : -1;
            if (version < 0) {
              return -1;
            }
            continue;
          }
          lines++;
          parseLine(line, version, into, overwrite);
        }
        System.arraycopy(buf, start, buf, 0, len - start);
        len -= start;
        if (len == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a very long line
        }
      }
      return version > 0 ? lines : -1;
    } catch (NoSuchFileException e) {
      return -1; // first use
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return -1; // only costs re-hashing (what was read so far is kept: each entry was checked when read)
    }
  }

  private static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** One line: version 2 {@code hash name, key, mtime, size, hash}; version 1 the path first, then the same. */
  private static void parseLine(String line, int version, Entries into, boolean overwrite) {
    int fields = version == 2 ? 5 : 6;
    int[] tabs = new int[fields - 1];
    int n = 0;
    for (int i = line.indexOf('\t'); i >= 0; i = line.indexOf('\t', i + 1)) {
      if (n == tabs.length) {
        return; // too many fields
      }
      tabs[n++] = i;
    }
    if (n != tabs.length || line.length() - tabs[n - 1] - 1 != MD5_HEX) {
      return; // not all fields, or not a whole md5
    }
    int f = version == 2 ? 0 : 1; // version 1 starts with the path
    try {
      String hashName = line.substring(f == 0 ? 0 : tabs[0] + 1, tabs[f]);
      String key = line.substring(tabs[f] + 1, tabs[f + 1]);
      if (version == 1 && "null".equals(key)) {
        key = PATH_KEY + line.substring(0, tabs[0]);
      }
      long mtime = Long.parseLong(line, tabs[f + 1] + 1, tabs[f + 2], 10);
      long size = Long.parseLong(line, tabs[f + 2] + 1, tabs[f + 3], 10);
      into.add(hashName, key, mtime, size, line.substring(tabs[f + 3] + 1), false, overwrite);
    } catch (NumberFormatException e) {
      // a damaged line: skipped
    }
  }

  /** The key of a file: its file key as text, or its path when the platform gives none. */
  private static String key(Path absFile, Object fileKey) {
    return fileKey != null ? fileKey.toString() : PATH_KEY + absFile;
  }

  /** The remembered hash if the file's inode, mtime and size are unchanged, else null. */
  public String get(Path absFile, BasicFileAttributes attrs, String hashName) {
    return get(absFile, attrs.fileKey(), mtime(attrs), attrs.size(), hashName);
  }

  /** The remembered hash of the file with this file key (path when it has none), mtime and size, else null. */
  public String get(Path absFile, Object fileKey, long mtimeNanos, long size, String hashName) {
    awaitLoad();
    String key = key(absFile, fileKey);
    long[] k = HashInfo.MD5.equals(hashName) ? parseFileKey(key) : null;
    if (k != null) {
      long[] v = entries.segment(k[0], k[1]).get(k[0], k[1]);
      return v != null && v[0] == mtimeNanos && v[1] == size ? Md5Hex.format(v[2], v[3]) : null;
    }
    Other o;
    synchronized (entries.others) {
      o = entries.others.get(hashName + '\u0000' + key);
    }
    return o != null && o.mtimeNanos == mtimeNanos && o.size == size ? o.hash : null;
  }

  /** The file's hash: the remembered one if its inode, mtime and size are unchanged, else read and remembered. */
  public String hash(Path absFile, BasicFileAttributes attrs, String hashName) {
    return hash(absFile, attrs.fileKey(), mtime(attrs), attrs.size(), hashName);
  }

  /** {@link #hash(Path, BasicFileAttributes, String)} with the attributes a directory walk already read. */
  public String hash(Path absFile, Object fileKey, long mtimeNanos, long size, String hashName) {
    String known = get(absFile, fileKey, mtimeNanos, size, hashName);
    if (known != null) {
      return known;
    }
    String h = FileHasher.hash(absFile, hashName);
    put(absFile, fileKey, mtimeNanos, size, hashName, h);
    return h;
  }

  public void put(Path absFile, BasicFileAttributes attrs, String hashName, String hash) {
    put(absFile, attrs.fileKey(), mtime(attrs), attrs.size(), hashName, hash);
  }

  public void put(Path absFile, Object fileKey, long mtimeNanos, long size, String hashName, String hash) {
    String key = key(absFile, fileKey);
    if (key.indexOf('\t') >= 0 || key.indexOf('\n') >= 0 || key.indexOf('\u0000') >= 0 || hash.length() != MD5_HEX
        || hash.indexOf('\t') >= 0 || hash.indexOf('\n') >= 0) {
      return;
    }
    awaitLoad();
    entries.add(hashName, key, mtimeNanos, size, hash, true, true);
  }

  /**
   * Saves what was hashed since the last save, under a lock of {@code <file>.lock} so that concurrent saves lose
   * nothing: appended to the log, or, when the log is mostly stale lines, the log rewritten from this process's
   * entries merged with what other processes saved since it was read (for a file both hashed, this process's
   * entry wins).
   */
  public synchronized void save() {
    awaitLoad();
    if (file == null || !entries.anyDirty()) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        int lines = linesOnDisk;
        int dirty = entries.dirtyCount();
        int total = entries.size();
        if (lines < 0 || lines + dirty > 2 * total + 1024 || !append()) {
          Entries onDisk = new Entries();
          readInto(onDisk, true);
          entries.mergeAbsent(onDisk);
          rewrite();
          linesOnDisk = entries.size();
        } else {
          linesOnDisk = lines + dirty;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the hash state " + file, e);
    }
  }

  /** Appends the dirty entries' lines; false when the log is not there or not ours (then it is rewritten). */
  private boolean append() throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size < VERSION.length() + 1 || !VERSION.equals(header(ch))) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, size - 1);
      ch.position(size);
      Lines out = new Lines(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
      if (last.get(0) != '\n') {
        out.raw("\n"); // a line cut short by a crash stays alone on its line (and is skipped when read)
      }
      List<Object> cleared = entries.write(out, true, false);
      try {
        out.flush();
      } catch (IOException e) {
        entries.markDirty(cleared);
        throw e;
      }
    }
    return true;
  }

  private static String header(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(VERSION.length() + 1);
    ch.read(b, 0);
    String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : null;
  }

  /** Writes every entry to a fresh log, through a temporary file (streamed, never built whole in memory). */
  private void rewrite() {
    List<List<Object>> cleared = new ArrayList<>();
    try {
      AtomicFiles.write(file, out -> {
        Lines lines = new Lines(out);
        lines.raw(VERSION + "\n");
        // entries of files long gone (their inodes unused since) are dropped only past the row limit
        cleared.add(entries.write(lines, false, entries.size() > ROW_LIMIT));
        lines.flush();
      });
    } catch (RuntimeException e) {
      cleared.forEach(entries::markDirty);
      throw e;
    }
  }

  private static long mtime(BasicFileAttributes attrs) {
    return attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
