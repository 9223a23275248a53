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

  /** Walks a directory (symlinked subdirectories are not followed; .dvcignore applies) and hashes it. */
  public Tree buildTree(Path dir, String hashName) {
    Path absDir = dir.toAbsolutePath().normalize();
    List<Path> files = listFiles(absDir);
    List<Tree.Entry> entries = new ArrayList<>(files.size());
    if (files.size() < 64 || jobs == 1) {
      for (Path f : files) {
        entries.add(entry(absDir, f, hashName));
      }
    } else {
      List<Future<List<Tree.Entry>>> futures = new ArrayList<>();
      int batch = Math.max(64, files.size() / (jobs * 8));
      for (int i = 0; i < files.size(); i += batch) {
        List<Path> part = files.subList(i, Math.min(files.size(), i + batch));
        futures.add(
            pool().submit(
                () -> {
                  List<Tree.Entry> out = new ArrayList<>(part.size());
                  for (Path f : part) {
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

  private Tree.Entry entry(Path absDir, Path file, String hashName) {
    BasicFileAttributes attrs = attributes(file);
    String rel = PathUtil.posix(absDir.relativize(file));
    return new Tree.Entry(rel, hashFile(file, attrs, hashName), attrs.size(), false);
  }

  /** The files of a directory, DVC-style: ignored entries and symlinked directories left out. */
  public List<Path> listFiles(Path absDir) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          absDir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (!d.equals(absDir) && isIgnored(d, true)) {
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
              if (attrs.isSymbolicLink()) {
                // a symlinked file is hashed through; a symlinked directory is not followed
                if (!Files.isRegularFile(f)) {
                  return FileVisitResult.CONTINUE;
                }
              } else if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE;
              }
              if (!isIgnored(f, false)) {
                files.add(f);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + absDir, e);
    }
    return files;
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
