package io.mlops.internal.cache;

import io.mlops.api.MlopsException;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import io.mlops.internal.Workers;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content-addressed cache in DVC 3's layout: {@code files/md5/xx/rest} for DVC 3 objects and
 * {@code xx/rest} at the root for legacy (DVC 2) objects. Objects are written through a temporary file and
 * renamed into place, then made read-only (0444), which marks them trusted.
 */
public final class LocalCache {
  static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

  private final Path dir;
  private static final FileAttribute<Set<PosixFilePermission>> READ_ONLY_ATTR =
      PosixFilePermissions.asFileAttribute(READ_ONLY);
  private static final Set<StandardOpenOption> CREATE_NEW =
      EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private final List<LinkType> linkTypes;
  private final Workers workers;
  private volatile LinkType workingLink;
  /** Object directories ({@code files/md5/xx}) known to exist: one mkdir per directory, not per object. */
  private final Set<Path> knownDirs = ConcurrentHashMap.newKeySet();
  /**
   * Large objects this process has just hashed and stored read-only ({@link #adopt}: a download, verified): a
   * checkout right after, as in a pull, copies them without hashing the same bytes again.
   */
  private final Set<Path> verifiedHere = ConcurrentHashMap.newKeySet();
  private static final long VERIFIED_HERE_MIN_SIZE = 1 << 20;
  /**
   * Whether a file created with mode 0444 really gets 0444 (a umask such as 077 takes bits away); until a
   * write shows it, and whenever it does not, objects are chmod-ed after they are written.
   */
  private volatile Boolean createsReadOnly;
  /** Where the hashes of checked-out files are remembered (the repository's), so the next command does not re-read them. */
  private volatile io.mlops.internal.hash.StateStore state;

  public LocalCache(Path dir, List<LinkType> linkTypes) {
    this(dir, linkTypes, null);
  }

  /** A cache that adds directories on the repository's hashing pool. */
  public LocalCache(Path dir, List<LinkType> linkTypes, Workers workers) {
    this.dir = dir.toAbsolutePath().normalize();
    this.linkTypes = linkTypes;
    this.workers = workers;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Records the hash of every file this cache checks out in {@code state}, as DVC's checkout saves its state: the
   * status, push or pull right after a checkout trusts the file's inode, mtime and size instead of re-reading it.
   */
  public void rememberCheckoutsIn(io.mlops.internal.hash.StateStore state) {
    this.state = state;
  }

  /** Remembers that the file now at {@code dest} has the md5 of {@code object} (a DVC 3 object). */
  private void remember(Path object, Path dest) {
    io.mlops.internal.hash.StateStore s = state;
    if (s == null || isLegacyObject(object)) {
      return;
    }
    String md5 = expectedMd5(object);
    if (md5 == null) {
      return;
    }
    try {
      s.put(dest.toAbsolutePath(), Files.readAttributes(dest, BasicFileAttributes.class), HashInfo.MD5, md5);
    } catch (IOException e) {
      // not remembered: the next command hashes the file
    }
  }

  public Path runsDir() {
    return dir.resolve("runs");
  }

  /**
   * The one object layout, shared by the cache and every remote: {@code files/md5/xx/rest} for DVC 3 objects,
   * {@code xx/rest} at the root for DVC 2 (legacy, {@code md5-dos2unix}) ones.
   */
  public static String key(HashInfo h) {
    String v = h.value();
    String rel = v.substring(0, 2) + "/" + v.substring(2);
    return h.isLegacy() ? rel : "files/md5/" + rel;
  }

  /** Where an object lives in this cache. */
  public Path path(HashInfo h) {
    return dir.resolve(key(h));
  }

  /**
   * Moves a downloaded file into the cache as object {@code h} if its content hashes to {@code h} (read-only, as
   * every object); a file that does not is left where it is.
   *
   * @return null when stored, else the hash the content really has
   */
  public String adopt(Path downloaded, HashInfo h) throws IOException {
    return adopt(downloaded, h, null);
  }

  /**
   * As {@link #adopt(Path, HashInfo)}, with the plain md5 of the downloaded bytes when it was computed as they were
   * written ({@code null}: the file is hashed here). Not for DVC 2 objects, whose hash normalises text.
   */
  public String adopt(Path downloaded, HashInfo h, String md5OfBytes) throws IOException {
    String known = h.isLegacy() && !h.isDir() ? null : md5OfBytes;
    String actual = h.isDir() ? (known != null ? known : FileHasher.md5(downloaded)) + HashInfo.DIR_SUFFIX
        : known != null ? known : FileHasher.hash(downloaded, h.name());
    if (!actual.equals(h.value())) {
      return actual;
    }
    Path target = path(h);
    Files.createDirectories(target.getParent());
    long size = Files.size(downloaded);
    AtomicFiles.move(downloaded, target);
    protect(target);
    if (size >= VERIFIED_HERE_MIN_SIZE && !h.isDir()) {
      verifiedHere.add(target);
    }
    return null;
  }

  public boolean exists(HashInfo h) {
    return Files.isRegularFile(path(h));
  }

  /**
   * True if the object is present and intact. A read-only (0444) object is trusted, as DVC does; any other
   * is re-hashed and deleted when it does not match.
   */
  public boolean isValid(HashInfo h) {
    Path p = path(h);
    try {
      PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
      if (!a.isRegularFile()) {
        return false;
      }
      if (READ_ONLY.equals(a.permissions())) {
        return true;
      }
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | UnsupportedOperationException e) {
      if (!Files.isRegularFile(p)) {
        return false;
      }
      // otherwise fall through to a re-hash
    }
    String actual = h.isDir() ? FileHasher.md5(p) + HashInfo.DIR_SUFFIX : FileHasher.hash(p, h.name());
    if (actual.equals(h.value())) {
      protect(p);
      return true;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // leave it; it will be replaced
    }
    return false;
  }

  /** True when the object and, for a directory, its manifest and every file in it are in the cache. */
  public boolean containsAll(HashInfo h) {
    return containsAll(h, null);
  }

  /**
   * {@link #containsAll(HashInfo)}, taking a directory's file list from {@code known} (a tree just built from the
   * workspace) when its digest is {@code h}, instead of reading the manifest again.
   */
  public boolean containsAll(HashInfo h, Tree known) {
    if (!isValid(h)) {
      return false;
    }
    if (!h.isDir()) {
      return true;
    }
    Tree tree = known != null && known.digest().equals(h) ? known : loadTree(h);
    java.util.concurrent.atomic.AtomicBoolean all = new java.util.concurrent.atomic.AtomicBoolean(true);
    inBatches(tree.entries(), part -> {
      for (Tree.Entry e : part) {
        if (!all.get()) {
          return;
        }
        if (!isValid(new HashInfo(h.name(), e.md5()))) {
          all.set(false);
          return;
        }
      }
    });
    return all.get();
  }

  /** Runs {@code task} on batches of {@code entries} on the hashing pool, or on all of them here when few. */
  private void inBatches(List<Tree.Entry> entries, java.util.function.Consumer<List<Tree.Entry>> task) {
    int jobs = workers == null ? 1 : workers.jobs(Workers.Kind.HASH);
    if (jobs <= 1 || entries.size() < 128) {
      task.accept(entries);
    } else {
      workers.forEach(Workers.Kind.HASH, Workers.batches(entries, jobs), jobs, task);
    }
  }

  /** Copies a workspace file into the cache (no-op if present). */
  public void addFile(Path source, HashInfo h) {
    if (isValid(h)) {
      return;
    }
    Path target = path(h);
    try {
      copyIn(source, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
    }
  }

  /**
   * Writes {@code source}'s bytes to a temporary file created read-only (no chmod, no attribute copy) next to
   * {@code target} and renames it into place: a crash leaves at most a {@code .tmp} file, never a partial object.
   */
  private void copyIn(Path source, Path target) throws IOException {
    Path parent = target.getParent();
    if (!knownDirs.contains(parent)) {
      Files.createDirectories(parent);
      knownDirs.add(parent);
    }
    Path tmp = AtomicFiles.tempSibling(target);
    try {
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = createReadOnly(tmp)) {
        copy(in, out);
      }
      if (!Boolean.TRUE.equals(createsReadOnly)) {
        boolean readOnly;
        try {
          readOnly = READ_ONLY.equals(Files.getPosixFilePermissions(tmp));
        } catch (UnsupportedOperationException e) {
          readOnly = false;
        }
        if (!readOnly) {
          protect(tmp);
        }
        createsReadOnly = readOnly;
      }
      AtomicFiles.move(tmp, target);
      tmp = null;
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** A direct buffer per thread for copying small files: read and write beat sendfile's set-up for them. */
  private static final int SMALL_FILE = 256 * 1024;
  private static final ThreadLocal<java.nio.ByteBuffer> COPY_BUFFER =
      ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocateDirect(SMALL_FILE));

  private static void copy(FileChannel in, FileChannel out) throws IOException {
    java.nio.ByteBuffer buf = COPY_BUFFER.get();
    buf.clear();
    int n = in.read(buf);
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    if (n < SMALL_FILE) {
      return; // the whole file (a regular file's read stops short only at its end)
    }
    transferRest(in, SMALL_FILE, out);
  }

  /** Copies {@code in} from {@code pos} to its end onto {@code out} inside the kernel (sendfile). */
  private static void transferRest(FileChannel in, long pos, FileChannel out) throws IOException {
    long size = in.size();
    while (pos < size) {
      long t = in.transferTo(pos, size - pos, out);
      if (t <= 0) {
        break; // the file shrank while being copied
      }
      pos += t;
    }
  }

  private static FileChannel createReadOnly(Path tmp) throws IOException {
    try {
      return FileChannel.open(tmp, CREATE_NEW, READ_ONLY_ATTR);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(tmp, CREATE_NEW); // no POSIX modes here: made read-only where possible after
    }
  }

  /** Stores raw bytes as an object (used for {@code .dir} manifests). */
  public void addBytes(byte[] data, HashInfo h) {
    Path target = path(h);
    if (isValid(h)) {
      return;
    }
    AtomicFiles.write(target, data);
    protect(target);
  }

  /** Stores a directory's manifest as its {@code .dir} object, streamed to a temporary file and renamed. */
  public void addTreeObject(Tree tree) {
    HashInfo h = tree.digest();
    Path target = path(h);
    if (isValid(h)) {
      return;
    }
    AtomicFiles.write(target, tree::writeTo);
    protect(target);
  }

  /** Adds a directory: every file first, then its manifest. */
  public void addDir(Path sourceDir, Tree tree) {
    int jobs = workers == null ? 1 : workers.jobs(Workers.Kind.HASH);
    if (jobs > 1 && tree.entries().size() > 1 && tree.entries().size() < 128) {
      // a few files, perhaps large ones: one per task
      workers.forEach(Workers.Kind.HASH, tree.entries(), jobs,
          e -> addFile(sourceDir.resolve(e.relpath()), new HashInfo(tree.hashName(), e.md5())));
    } else {
      inBatches(tree.entries(), part -> {
        for (Tree.Entry e : part) {
          addFile(sourceDir.resolve(e.relpath()), new HashInfo(tree.hashName(), e.md5()));
        }
      });
    }
    addTreeObject(tree);
  }

  /** Reads a {@code .dir} manifest from the cache. */
  public Tree loadTree(HashInfo h) {
    Path p = path(h);
    try {
      return Tree.parse(Files.readAllBytes(p), h.name(), p.toString());
    } catch (IOException e) {
      throw new MlopsException(
          "directory manifest " + h.value() + " is not in the cache (" + p + ")",
          null,
          0,
          "pull it from the remote (mlops:pull, `mlops pull` or `dvc pull`)");
    }
  }

  /**
   * Places an object at {@code dest} using the first link type that works. For a directory, files not in
   * the manifest are removed and files already matching are left alone.
   */
  public void checkout(HashInfo h, boolean isexec, Path dest) {
    if (h.isDir()) {
      Tree tree = loadTree(h);
      checkoutTree(tree, dest);
      return;
    }
    linkFile(path(h), dest, isexec);
  }

  private void checkoutTree(Tree tree, Path dest) {
    boolean fresh;
    try {
      if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(dest);
      }
      fresh = !Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
      Files.createDirectories(dest);
      // the directories first, parents before children, so that the files can be placed in parallel
      java.util.Set<String> dirs = new java.util.TreeSet<>();
      for (Tree.Entry e : tree.entries()) {
        for (int slash = e.relpath().indexOf('/'); slash > 0; slash = e.relpath().indexOf('/', slash + 1)) {
          dirs.add(e.relpath().substring(0, slash));
        }
      }
      for (String d : dirs) {
        Path dir = dest.resolve(d);
        if (!fresh && Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(dir); // a file where the manifest has a directory
        }
        if (fresh) {
          Files.createDirectory(dir);
        } else {
          Files.createDirectories(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dest, e);
    }
    java.util.Set<String> wanted = java.util.concurrent.ConcurrentHashMap.newKeySet(tree.entries().size());
    // placing files is bound by file-system latency (create, write, rename), not by the CPU: twice the hashing jobs
    int jobs = workers == null ? 1 : 2 * workers.jobs(Workers.Kind.HASH);
    java.util.function.Consumer<List<Tree.Entry>> place = part -> {
      for (Tree.Entry e : part) {
        wanted.add(e.relpath());
        Path target = dest.resolve(e.relpath());
        HashInfo fh = new HashInfo(tree.hashName(), e.md5());
        if (!fresh && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && sameContent(target, fh)) {
          continue;
        }
        placeFile(path(fh), target, false, fresh);
      }
    };
    if (jobs <= 1 || tree.entries().size() < 128) {
      place.accept(tree.entries());
    } else {
      workers.forEach(Workers.Kind.HASH, Workers.batches(tree.entries(), jobs), jobs, place);
    }
    if (!fresh) {
      removeExtras(dest, dest, wanted);
    }
  }

  private boolean sameContent(Path file, HashInfo h) {
    try {
      Path obj = path(h);
      if (Files.isSameFile(file, obj)) {
        return true;
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      if (a.size() != Files.size(obj)) {
        return false;
      }
      io.mlops.internal.hash.StateStore s = state;
      String actual = s != null ? s.hash(file.toAbsolutePath(), a, h.name()) : FileHasher.hash(file, h.name());
      return actual.equals(h.value());
    } catch (IOException e) {
      return false;
    }
  }

  private void removeExtras(Path root, Path dir, java.util.Set<String> wanted) {
    try (var stream = Files.list(dir)) {
      for (Path p : stream.toList()) {
        String rel = PathUtil.posix(root.relativize(p));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          removeExtras(root, p, wanted);
          try (var s = Files.list(p)) {
            if (s.findAny().isEmpty()) {
              Files.delete(p);
            }
          }
        } else if (!wanted.contains(rel)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }

  /** Links or copies one cache object to a workspace path, replacing what is there. */
  public void linkFile(Path object, Path dest, boolean isexec) {
    placeFile(object, dest, isexec, false);
  }

  /**
   * {@link #linkFile}; with {@code fresh}, {@code dest}'s directory was just made by this checkout, so nothing is in
   * the way and it exists.
   */
  private void placeFile(Path object, Path dest, boolean isexec, boolean fresh) {
    if (!Files.isRegularFile(object)) {
      throw new MlopsException(
          "cache object " + object + " is missing", null, 0, "pull it from the remote (mlops:pull, `mlops pull` or `dvc pull`)");
    }
    if (!fresh) {
      try {
        Files.createDirectories(dest.toAbsolutePath().getParent());
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
          PathUtil.deleteRecursively(dest);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dest.getParent(), e);
      }
    }
    link(object, dest, isexec);
    remember(object, dest);
  }

  private void link(Path object, Path dest, boolean isexec) {
    LinkType chosen = workingLink;
    if (chosen != null) {
      if (tryLink(chosen, object, dest, isexec)) {
        return;
      }
    }
    for (LinkType t : linkTypes) {
      if (tryLink(t, object, dest, isexec)) {
        workingLink = t;
        return;
      }
    }
    // every configured type failed: DVC would fail too, but copying is always safe
    tryLink(LinkType.COPY, object, dest, isexec);
  }

  private boolean tryLink(LinkType type, Path object, Path dest, boolean isexec) {
    try {
      switch (type) {
        case REFLINK:
          return false; // no portable clone call on the JVM; the next configured type is used
        case HARDLINK:
          if (Files.size(object) == 0) {
            copy(object, dest, isexec);
            return true;
          }
          Path tmp = AtomicFiles.tempSibling(dest);
          Files.createLink(tmp, object);
          AtomicFiles.move(tmp, dest);
          return true;
        case SYMLINK:
          Path tmpLink = AtomicFiles.tempSibling(dest);
          Files.createSymbolicLink(tmpLink, object);
          AtomicFiles.move(tmpLink, dest);
          return true;
        case COPY:
        default:
          copy(object, dest, isexec);
          return true;
      }
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Copies an object to the workspace through a temporary sibling, hashing the bytes as they pass: a copy whose md5
   * is not the object's name (bit rot, a truncated or edited object) never reaches the workspace, and the corrupt
   * object is removed so that the next pull replaces it. Links share the object and are not re-read (DVC trusts
   * read-only objects the same way), nor is a large object that this process downloaded, hashed and stored moments
   * before (a pull): it is copied inside the kernel.
   */
  private void copy(Path object, Path dest, boolean isexec) throws IOException {
    Path tmp = AtomicFiles.tempSibling(dest);
    boolean moved = false;
    try {
      String expected = expectedMd5(object);
      String actual;
      if (expected != null && verifiedHere.contains(object)) {
        copyInKernel(object, tmp); // hashed by this process when it was stored, moments ago
        actual = expected;
      } else if (expected != null && !isLegacyObject(object)) {
        actual = copyHashing(object, tmp);
      } else {
        Files.copy(object, tmp);
        actual = expected == null ? null : FileHasher.dos2unixMd5(tmp);
      }
      if (expected != null && !expected.equals(actual)) {
        Files.deleteIfExists(tmp);
        discardCorrupt(object);
        throw new MlopsException(MlopsException.Kind.ENVIRONMENT,
            "cache object " + object + " is corrupt (its content hashes to " + actual + "): " + dest
                + " was not checked out from it, and the object was removed", null, 0,
            "pull the data again (mlops:pull, `mlops pull` or `dvc pull`), or, if the workspace still holds it, "
                + "commit it again (`mlops commit`, `dvc commit -f`)", null);
      }
      Set<PosixFilePermission> perms = EnumSet.of(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
      if (isexec) {
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        perms.add(PosixFilePermission.GROUP_EXECUTE);
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
      }
      Files.setPosixFilePermissions(tmp, perms);
      AtomicFiles.move(tmp, dest);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Copies {@code from} to a new file {@code to} inside the kernel (sendfile or copy_file_range). */
  private static void copyInKernel(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      transferRest(in, 0, out);
    }
  }

  /** Copies {@code from} to a new file {@code to} and returns the md5 of the bytes copied. */
  private static String copyHashing(Path from, Path to) throws IOException {
    java.security.MessageDigest md = FileHasher.md5();
    java.nio.ByteBuffer buf = COPY_BUFFER.get();
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        buf.clear();
        if (in.read(buf) < 0) {
          break;
        }
        buf.flip();
        md.update(buf.duplicate());
        while (buf.hasRemaining()) {
          out.write(buf);
        }
      }
    }
    return FileHasher.hex(md.digest());
  }

  /** The md5 an object's path names ({@code xx/rest}, {@code .dir} dropped), or null for a path that is none. */
  private String expectedMd5(Path object) {
    Path parent = object.getParent();
    if (parent == null || !object.startsWith(dir)) {
      return null;
    }
    String name = object.getFileName().toString();
    if (name.endsWith(HashInfo.DIR_SUFFIX)) {
      name = name.substring(0, name.length() - HashInfo.DIR_SUFFIX.length());
    }
    String md5 = parent.getFileName() + name;
    return md5.length() == 32 ? md5 : null;
  }

  /** DVC 2 objects (hash md5-dos2unix) live at the cache root, DVC 3's under {@code files/md5/}. */
  private boolean isLegacyObject(Path object) {
    return !object.startsWith(dir.resolve("files"));
  }

  private static void discardCorrupt(Path object) {
    try {
      Files.deleteIfExists(object);
    } catch (IOException e) {
      // left in place; it is re-checked before any later use leaves the cache
    }
  }

  /**
   * Re-hashes every object of the cache (DVC 3's {@code files/md5/} and DVC 2's root layout) on the hashing
   * workers; corrupt objects are removed, so a pull or a commit restores them. Temporary files are skipped.
   */
  public io.mlops.api.CacheVerifyResult verifyAll() {
    List<HashInfo> objects = new java.util.ArrayList<>();
    collect(dir.resolve("files/md5"), HashInfo.MD5, objects);
    collect(dir, HashInfo.LEGACY, objects);
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    List<String> corrupt = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.function.Consumer<List<HashInfo>> task = part -> {
      for (HashInfo h : part) {
        try {
          bytes.addAndGet(Files.size(path(h)));
        } catch (IOException e) {
          continue; // removed meanwhile
        }
        String actual = verify(h);
        if (actual != null) {
          corrupt.add(path(h) + " hashes to " + actual + " (removed)");
        }
      }
    };
    int jobs = workers == null ? 1 : workers.jobs(Workers.Kind.HASH);
    if (jobs <= 1 || objects.size() < 128) {
      task.accept(objects);
    } else {
      workers.forEach(Workers.Kind.HASH, Workers.batches(objects, jobs), jobs, task);
    }
    java.util.Collections.sort(corrupt);
    return new io.mlops.api.CacheVerifyResult(objects.size(), bytes.get(), corrupt, removeStaleTemps());
  }

  /** Temporary files older than this are left by a killed process (a live write renames its file within seconds). */
  static final java.time.Duration STALE_TEMP = java.time.Duration.ofMinutes(10);

  /** Removes temporary object files ({@code .<random>.tmp}) older than {@link #STALE_TEMP}; returns how many. */
  private int removeStaleTemps() {
    long cutoff = System.currentTimeMillis() - STALE_TEMP.toMillis();
    int removed = 0;
    for (Path base : List.of(dir.resolve("files/md5"), dir)) {
      if (!Files.isDirectory(base)) {
        continue;
      }
      try (var prefixes = Files.newDirectoryStream(base, p -> p.getFileName().toString().matches("[0-9a-f]{2}"))) {
        for (Path prefix : prefixes) {
          try (var names = Files.newDirectoryStream(prefix, p -> AtomicFiles.isTempName(p.getFileName().toString()))) {
            for (Path p : names) {
              if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff
                  && Files.deleteIfExists(p)) {
                removed++;
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clean " + base, e);
      }
    }
    return removed;
  }

  /** The objects {@code xx/<30 hex>[.dir]} directly under {@code base}. */
  private static void collect(Path base, String hashName, List<HashInfo> into) {
    if (!Files.isDirectory(base)) {
      return;
    }
    java.util.regex.Pattern rest = java.util.regex.Pattern.compile("[0-9a-f]{30}(\\.dir)?");
    try (var prefixes = Files.newDirectoryStream(base, p -> p.getFileName().toString().matches("[0-9a-f]{2}"))) {
      for (Path prefix : prefixes) {
        try (var names = Files.newDirectoryStream(prefix)) {
          for (Path p : names) {
            String name = p.getFileName().toString();
            if (rest.matcher(name).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
              into.add(new HashInfo(hashName, prefix.getFileName() + name));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + base, e);
    }
  }

  /**
   * Re-hashes an object whatever its mode (the check before it leaves the cache for a remote, and of
   * {@link #verifyAll}); a corrupt object is removed.
   *
   * @return null when intact or absent, else the md5 its content has
   */
  public String verify(HashInfo h) {
    Path p = path(h);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    String actual = h.isDir() ? FileHasher.md5(p) + HashInfo.DIR_SUFFIX : FileHasher.hash(p, h.name());
    if (actual.equals(h.value())) {
      return null;
    }
    discardCorrupt(p);
    return actual;
  }

  static void protect(Path p) {
    try {
      Files.setPosixFilePermissions(p, READ_ONLY);
    } catch (IOException | UnsupportedOperationException e) {
      // not fatal: the object is re-hashed before it is trusted
    }
  }
}
