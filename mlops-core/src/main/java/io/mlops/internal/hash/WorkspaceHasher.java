package io.mlops.internal.hash;

import io.mlops.api.MlopsException;
import io.mlops.internal.Workers;
import io.mlops.internal.ignore.DvcIgnore;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Hashes workspace files and directories the way DVC does, using the {@link StateStore} to skip files that
 * have not changed and a pool of threads for the rest.
 */
public final class WorkspaceHasher implements AutoCloseable {
  /** The average file size from which a directory's files are hashed one per task. */
  private static final long LARGE_FILE = 1 << 20;

  private final Path root;
  private final DvcIgnore ignore;
  private final StateStore state;
  private final int jobs;
  private final Workers workers;
  private final boolean ownsWorkers;
  /** The last directory tree built, so that caching right after hashing does not walk it again. */
  private final java.util.concurrent.atomic.AtomicReference<Built> lastTree =
      new java.util.concurrent.atomic.AtomicReference<>();

  private record Built(Path dir, Tree tree) {}

  /** A hasher with {@code jobs} threads of its own, stopped by {@link #close()}. */
  public WorkspaceHasher(Path root, DvcIgnore ignore, StateStore state, int jobs) {
    this(root, ignore, state, new Workers(jobs, 1, 1), true);
  }

  /** A hasher on a repository's hashing pool. */
  public WorkspaceHasher(Path root, DvcIgnore ignore, StateStore state, Workers workers) {
    this(root, ignore, state, workers, false);
  }

  private WorkspaceHasher(Path root, DvcIgnore ignore, StateStore state, Workers workers, boolean owns) {
    this.root = root.toAbsolutePath().normalize();
    this.ignore = ignore;
    this.state = state;
    this.workers = workers;
    this.ownsWorkers = owns;
    this.jobs = workers.jobs(Workers.Kind.HASH);
  }

  public StateStore state() {
    return state;
  }

  /** A hash computed in a memoizing scope, valid while no write started or ended since ({@code epoch}). */
  private record Memo(long epoch, HashedObject object) {}

  private final java.util.Map<String, Memo> memo = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger scopes = new java.util.concurrent.atomic.AtomicInteger();

  /** A memoizing scope; closing it throws nothing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Within the returned scope (a {@code status} or {@code repro} run), a path hashed twice is walked once: a data
   * directory tracked by a {@code .dvc} file and used by a stage, an output that is the next stage's dependency. Any
   * {@link #beginWrites() write} to the workspace forgets what was remembered, so nothing stale is returned.
   */
  public Scope memoize() {
    scopes.incrementAndGet();
    return () -> {
      if (scopes.decrementAndGet() == 0) {
        memo.clear();
      }
    };
  }

  /** The workspace is about to change (a stage runs, outputs are restored): what was remembered is forgotten. */
  public void beginWrites() {
    writers.incrementAndGet();
    epoch.incrementAndGet();
    memo.clear();
  }

  /** The change {@link #beginWrites()} announced is over. */
  public void endWrites() {
    epoch.incrementAndGet();
    writers.decrementAndGet();
    memo.clear();
  }

  /** Hashes a file or directory; returns null if the path does not exist. */
  public HashedObject hash(Path path, String hashName) {
    if (scopes.get() == 0 || writers.get() > 0) {
      return compute(path, hashName);
    }
    String key = path.toAbsolutePath().normalize() + "\u0000" + hashName;
    long at = epoch.get();
    Memo m = memo.get(key);
    if (m != null && m.epoch() == at) {
      return m.object();
    }
    HashedObject h = compute(path, hashName);
    if (h != null && writers.get() == 0 && epoch.get() == at) {
      memo.put(key, new Memo(at, h));
    }
    return h;
  }

  private HashedObject compute(Path path, String hashName) {
    Path abs = path.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      Tree tree = buildTree(abs, hashName);
      lastTree.set(new Built(abs, tree));
      return new HashedObject(tree.digest(), tree.meta());
    }
    if (!Files.exists(abs)) {
      return null;
    }
    BasicFileAttributes attrs = attributes(abs);
    return new HashedObject(
        new HashInfo(hashName, hashFile(abs, attrs, hashName)),
        Meta.file(attrs.size(), PathUtil.isExecutable(abs)));
  }

  /** The md5 of one file, through the state store. */
  public String hashFile(Path abs, BasicFileAttributes attrs, String hashName) {
    return hashFile(abs, attrs.fileKey(), mtime(attrs), attrs.size(), hashName);
  }

  private String hashFile(Path abs, Object fileKey, long mtimeNanos, long size, String hashName) {
    return state.hash(abs, fileKey, mtimeNanos, size, hashName);
  }

  private static long mtime(BasicFileAttributes attrs) {
    return attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * The tree of a directory whose digest is {@code digest}: the one {@link #hash} just built when it is that
   * directory's and has that digest (taken, not kept), else built again (through the state store).
   */
  public Tree treeOf(Path dir, HashInfo digest) {
    Tree recent = recentTree(dir, digest);
    lastTree.set(null);
    return recent != null ? recent : buildTree(dir, digest.name());
  }

  /** The tree {@link #hash} just built for {@code dir} if its digest is {@code digest}, else null (nothing built). */
  public Tree recentTree(Path dir, HashInfo digest) {
    Built b = lastTree.get();
    Path abs = dir.toAbsolutePath().normalize();
    return b != null && b.dir().equals(abs) && b.tree().digest().equals(digest) ? b.tree() : null;
  }

  /** Walks a directory (symlinked subdirectories are not followed; .dvcignore applies) and hashes it. */
  public Tree buildTree(Path dir, String hashName) {
    Path absDir = dir.toAbsolutePath().normalize();
    // what the walk found, each dropped as soon as its entry is made (a million files: ~70 MB less at the peak)
    Found[] files = walk(absDir).toArray(new Found[0]);
    Tree.Entry[] entries = new Tree.Entry[files.length];
    long bytes = 0;
    for (Found f : files) {
      bytes += f.size();
    }
    // a few large files (a model, a dataset in parts) are hashed one per task; many small ones in batches
    boolean large = files.length > 1 && bytes / files.length >= LARGE_FILE;
    if (jobs == 1 || (files.length < 64 && !large)) {
      hashRange(absDir, files, entries, 0, files.length, hashName);
    } else {
      int tasks = large ? files.length : Math.min(files.length, jobs * 4);
      List<Future<?>> futures = new ArrayList<>(tasks);
      for (int t = 0; t < tasks; t++) {
        int from = (int) ((long) files.length * t / tasks);
        int to = (int) ((long) files.length * (t + 1) / tasks);
        futures.add(pool().submit(() -> hashRange(absDir, files, entries, from, to, hashName)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(x -> x.cancel(true));
          throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted while hashing " + dir, null);
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new MlopsException("cannot hash " + dir, e.getCause());
        }
      }
    }
    return new Tree(java.util.Arrays.asList(entries), hashName);
  }

  private void hashRange(Path absDir, Found[] files, Tree.Entry[] entries, int from, int to, String hashName) {
    for (int i = from; i < to; i++) {
      entries[i] = entry(absDir, files[i], hashName);
      files[i] = null;
    }
  }

  /**
   * A file found by a walk: its path relative to the walked directory ('/' separators) and what the hash state needs
   * of the attributes of what it names (a symlink's target). Compact, as a walk may find a million: no Path and no
   * attributes object is kept per file (the path is resolved again when the file is hashed).
   */
  private record Found(String rel, Object fileKey, long mtimeNanos, long size) {}

  /** A subdirectory to walk on the pool. */
  private record SubDir(Path path, String rel) {}

  private Tree.Entry entry(Path absDir, Found f, String hashName) {
    String md5 = hashFile(absDir.resolve(f.rel()), f.fileKey(), f.mtimeNanos(), f.size(), hashName);
    return new Tree.Entry(f.rel(), md5, f.size(), false);
  }

  /** The files of a directory, DVC-style: ignored entries and symlinked directories left out. */
  public List<Path> listFiles(Path absDir) {
    Path dir = absDir.toAbsolutePath().normalize();
    return walk(dir).stream().map(f -> dir.resolve(f.rel())).toList();
  }

  /**
   * One walk, one stat per entry: the walk's own attributes are kept for hashing. Each entry is matched against
   * the ignore rules once (its parents were matched on the way down), with the rules of its directory resolved
   * once per directory; relative paths are built as strings on the way down, not by relativizing each path.
   */
  private List<Found> walk(Path absDir) {
    if (isIgnored(absDir, true)) {
      return new ArrayList<>();
    }
    // the walked directory relative to the repository root, null when outside it (nothing is ignored there)
    String base = absDir.startsWith(root) ? (absDir.equals(root) ? "" : PathUtil.posix(root.relativize(absDir)))
        : null;
    List<Found> files = new ArrayList<>();
    if (jobs == 1) {
      walkDirectory(absDir, "", base, files, null);
      return files;
    }
    // the top level here, each subdirectory walked on the hashing pool (a walk is one stat per entry, serial)
    List<SubDir> subdirs = new ArrayList<>();
    walkDirectory(absDir, "", base, files, subdirs);
    List<Future<List<Found>>> parts = new ArrayList<>();
    for (SubDir d : subdirs) {
      parts.add(pool().submit(() -> {
        List<Found> out = new ArrayList<>();
        walkDirectory(d.path(), d.rel(), base, out, null);
        return out;
      }));
    }
    for (Future<List<Found>> f : parts) {
      try {
        files.addAll(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        parts.forEach(p -> p.cancel(true));
        throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted while listing " + absDir, null);
      } catch (ExecutionException e) {
        parts.forEach(p -> p.cancel(true));
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new UncheckedIOException("cannot list " + absDir, new IOException(e.getCause()));
      }
    }
    return files;
  }

  /**
   * Walks {@code dir} ({@code rel} from the walked directory, whose path from the repository root is {@code base})
   * in this thread, adding its files to {@code into}. With {@code subdirs} given, subdirectories that are not
   * ignored are added there instead of being walked.
   */
  private void walkDirectory(Path dir, String rel, String base, List<Found> into, List<SubDir> subdirs) {
    String fromRoot = base == null ? null : join(base, rel);
    DvcIgnore.WalkRules rules = fromRoot == null ? null : ignore.walkRules(fromRoot);
    String prefix = dir.toString();
    int nameStart = prefix.endsWith("/") ? prefix.length() : prefix.length() + 1;
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.toString().substring(nameStart);
        refuseUndecodable(p, name);
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String childRel = rel.isEmpty() ? name : rel + "/" + name;
        boolean isDir = a.isDirectory();
        if (rules != null && rules.isIgnored(join(fromRoot, name), name, isDir)) {
          continue;
        }
        if (isDir) {
          if (Files.exists(p.resolve(".dvc"), LinkOption.NOFOLLOW_LINKS)) {
            continue; // a DVC repository of its own (a subrepo): DVC leaves it out of the walk
          }
          if (Files.isRegularFile(p.resolve(DvcIgnore.FILE_NAME))) {
            throw new MlopsException(
                "a .dvcignore file inside a tracked directory is not supported: " + p.resolve(DvcIgnore.FILE_NAME),
                null,
                0,
                "move its patterns into the .dvcignore at the repository root");
          }
          if (subdirs != null) {
            subdirs.add(new SubDir(p, childRel));
          } else {
            walkDirectory(p, childRel, base, into, null);
          }
        } else {
          visit(p, a, childRel, into);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : name.isEmpty() ? dir : dir + "/" + name;
  }

  /** Keeps a walked non-directory entry when it is a file (or a symlink to one); ignore rules were applied. */
  private static void visit(Path f, BasicFileAttributes attrs, String rel, List<Found> into) {
    BasicFileAttributes real = attrs;
    if (attrs.isSymbolicLink()) {
      // a symlinked file is hashed through; a symlinked directory is not followed
      try {
        real = Files.readAttributes(f, BasicFileAttributes.class);
      } catch (IOException e) {
        return; // dangling
      }
      if (!real.isRegularFile()) {
        return;
      }
    } else if (!attrs.isRegularFile()) {
      return;
    }
    into.add(new Found(rel, real.fileKey(), mtime(real), real.size()));
  }

  /**
   * A name that is not UTF-8 cannot be written to a {@code .dir} manifest as DVC would (Python keeps the raw bytes as
   * surrogates), nor checked out under the same name again: refused, naming it.
   */
  private void refuseUndecodable(Path p, String name) {
    if (name.indexOf('\uFFFD') >= 0 && !Files.exists(Path.of(p.toString()), LinkOption.NOFOLLOW_LINKS)) {
      String shown = p.startsWith(root) ? PathUtil.posix(root.relativize(p)) : p.toString();
      throw new MlopsException("the file name '" + shown + "' is not valid UTF-8 (shown with \uFFFD)", null, 0,
          "rename it to a UTF-8 name (e.g. `convmv -f latin1 -t utf8 --notest`): DVC manifests record names as UTF-8");
    }
  }

  private boolean isIgnored(Path abs, boolean isDir) {
    if (!abs.startsWith(root)) {
      return false;
    }
    return ignore.isIgnored(PathUtil.posix(root.relativize(abs)), isDir);
  }

  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + p, e);
    }
  }

  private ExecutorService pool() {
    return workers.pool(Workers.Kind.HASH);
  }

  @Override
  public void close() {
    if (ownsWorkers) {
      workers.close();
    }
  }

  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
