package io.mlops.internal.hash;

import io.mlops.api.MlopsException;
import io.mlops.internal.Workers;
import io.mlops.internal.ignore.DvcIgnore;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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

  /** Hashes a file or directory; returns null if the path does not exist. */
  public HashedObject hash(Path path, String hashName) {
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
    String cached = state.get(abs, attrs, hashName);
    if (cached != null) {
      return cached;
    }
    String h = FileHasher.hash(abs, hashName);
    state.put(abs, attrs, hashName, h);
    return h;
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
    List<Found> files = walk(absDir);
    List<Tree.Entry> entries = new ArrayList<>(files.size());
    if (files.size() < 64 || jobs == 1) {
      for (Found f : files) {
        entries.add(entry(absDir, f, hashName));
      }
    } else {
      List<Future<List<Tree.Entry>>> futures = new ArrayList<>();
      for (List<Found> part : Workers.batches(files, jobs)) {
        futures.add(
            pool().submit(
                () -> {
                  List<Tree.Entry> out = new ArrayList<>(part.size());
                  for (Found f : part) {
                    out.add(entry(absDir, f, hashName));
                  }
                  return out;
                }));
      }
      for (Future<List<Tree.Entry>> f : futures) {
        try {
          entries.addAll(f.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted while hashing " + dir, null);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new MlopsException("cannot hash " + dir, e.getCause());
        }
      }
    }
    return new Tree(entries, hashName);
  }

  /** A file found by a walk, with the attributes of what it names (a symlink's target). */
  private record Found(Path path, BasicFileAttributes attrs) {}

  private Tree.Entry entry(Path absDir, Found file, String hashName) {
    String rel = PathUtil.posix(absDir.relativize(file.path()));
    return new Tree.Entry(rel, hashFile(file.path(), file.attrs(), hashName), file.attrs().size(), false);
  }

  /** The files of a directory, DVC-style: ignored entries and symlinked directories left out. */
  public List<Path> listFiles(Path absDir) {
    return walk(absDir).stream().map(Found::path).toList();
  }

  /**
   * One walk, one stat per file: the walk's own attributes are kept for hashing. Each entry is matched against
   * the ignore rules once (its parents were matched on the way down).
   */
  private List<Found> walk(Path absDir) {
    if (isIgnored(absDir, true)) {
      return new ArrayList<>();
    }
    if (jobs == 1) {
      return walkSerially(absDir, absDir);
    }
    // the top level here, each subdirectory walked on the hashing pool (a walk is one stat per entry, serial)
    List<Found> files = new ArrayList<>();
    List<Path> subdirs = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> top = Files.newDirectoryStream(absDir)) {
      for (Path p : top) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
          subdirs.add(p);
        } else {
          visit(p, a, files);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + absDir, e);
    }
    List<Future<List<Found>>> parts = new ArrayList<>();
    for (Path d : subdirs) {
      parts.add(pool().submit(() -> walkSerially(absDir, d)));
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

  /** Walks {@code start} (the tracked directory {@code absDir} or one of its subdirectories) in this thread. */
  private List<Found> walkSerially(Path absDir, Path start) {
    List<Found> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              refuseUndecodable(d);
              if (!d.equals(absDir) && isIgnoredInWalk(d, true)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (!d.equals(absDir) && Files.isRegularFile(d.resolve(DvcIgnore.FILE_NAME))) {
                throw new MlopsException(
                    "a .dvcignore file inside a tracked directory is not supported: "
                        + d.resolve(DvcIgnore.FILE_NAME),
                    null,
                    0,
                    "move its patterns into the .dvcignore at the repository root");
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              visit(f, attrs, files);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + start, e);
    }
    return files;
  }

  /** Keeps a walked non-directory entry when it is a file (or a symlink to one) and not ignored. */
  private void visit(Path f, BasicFileAttributes attrs, List<Found> into) {
    refuseUndecodable(f);
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
    if (!isIgnoredInWalk(f, false)) {
      into.add(new Found(f, real));
    }
  }

  /**
   * A name that is not UTF-8 cannot be written to a {@code .dir} manifest as DVC would (Python keeps the raw bytes as
   * surrogates), nor checked out under the same name again: refused, naming it.
   */
  private void refuseUndecodable(Path p) {
    Path name = p.getFileName();
    if (name != null && name.toString().indexOf('\uFFFD') >= 0
        && !Files.exists(Path.of(p.toString()), LinkOption.NOFOLLOW_LINKS)) {
      String shown = p.startsWith(root) ? PathUtil.posix(root.relativize(p)) : p.toString();
      throw new MlopsException("the file name '" + shown + "' is not valid UTF-8 (shown with \uFFFD)", null, 0,
          "rename it to a UTF-8 name (e.g. `convmv -f latin1 -t utf8 --notest`): DVC manifests record names as UTF-8");
    }
  }

  private boolean isIgnoredInWalk(Path abs, boolean isDir) {
    if (!abs.startsWith(root)) {
      return false;
    }
    return ignore.isIgnoredInWalk(PathUtil.posix(root.relativize(abs)), isDir);
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
