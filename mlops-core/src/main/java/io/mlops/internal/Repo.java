package io.mlops.internal;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.NotARepositoryException;
import io.mlops.internal.cache.LinkType;
import io.mlops.internal.cache.LocalCache;
import io.mlops.internal.config.DvcConfig;
import io.mlops.internal.hash.StateStore;
import io.mlops.internal.hash.WorkspaceHasher;
import io.mlops.internal.ignore.DvcIgnore;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A DVC repository: its root (the directory holding {@code .dvc/}), configuration, cache, ignore rules and
 * hasher. Open one per operation and close it to save the hash state.
 */
public final class Repo implements AutoCloseable {
  public static final String DVC_DIR = ".dvc";

  private final Path root;
  private final DvcConfig config;
  private final DvcIgnore ignore;
  private final LocalCache cache;
  private final WorkspaceHasher hasher;
  private final EngineLog log;
  private final Map<String, String> env;

  private final Workers workers;
  private Hints hints = Hints.MAVEN;

  private Repo(Path root, DvcConfig config, EngineLog log, Map<String, String> env, Workers workers) {
    this.root = root;
    this.config = config;
    this.log = log;
    this.env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    this.ignore = new DvcIgnore(root);
    Path cacheDir = config.getPath("cache", "dir").orElse(root.resolve(DVC_DIR).resolve("cache"));
    this.cache = new LocalCache(cacheDir, LinkType.parseList(config.get("cache", "type").orElse(null)), workers);
    StateStore state = StateStore.open(root.resolve(DVC_DIR).resolve("tmp").resolve("mlops-state"));
    this.workers = workers;
    this.hasher = new WorkspaceHasher(root, ignore, state, workers);
    this.cache.rememberCheckoutsIn(state);
  }

  /** Opens the repository at {@code root}; fails with a hint when it has no {@code .dvc} directory. */
  public static Repo open(Path root, EngineLog log) {
    return open(root, log, System.getenv(), Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public static Repo open(Path root, EngineLog log, Map<String, String> env, int hashJobs) {
    return open(root, log, env, new Workers(hashJobs, 1, io.mlops.api.MlopsOptions.defaultTransferJobs()));
  }

  /** Opens the repository with its thread policy: the pools of hashing, stages and transfers. */
  public static Repo open(Path root, EngineLog log, Map<String, String> env, Workers workers) {
    Path abs = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs.resolve(DVC_DIR))) {
      throw new NotARepositoryException(abs,
          "run `dvc init` (mlops:init, `mlops init`) there, or point mlops.root (`mlops --cd`) at the repository root");
    }
    RepoLock.preload();
    return new Repo(abs, DvcConfig.load(abs.resolve(DVC_DIR), env), log, env, workers);
  }

  /**
   * Initialises a repository like {@code dvc init}: an empty {@code .dvc/config}, {@code .dvc/.gitignore}
   * and {@code .dvcignore}. With {@code noScm}, {@code core.no_scm = True} is recorded.
   */
  public static boolean init(Path root, boolean noScm, EngineLog log) {
    Path abs = root.toAbsolutePath().normalize();
    Path dvc = abs.resolve(DVC_DIR);
    if (Files.isDirectory(dvc)) {
      log.info("'" + dvc + "' exists, nothing to initialise.");
      return false;
    }
    if (!noScm && !Files.exists(abs.resolve(".git"))) {
      throw new MlopsException(
          abs + " is not tracked by any supported SCM tool (e.g. Git)",
          null,
          0,
          "run `git init` first, or initialise with -Dmlops.noScm=true");
    }
    AtomicFiles.writeString(dvc.resolve("config"), noScm ? "[core]\n    no_scm = True\n" : "");
    AtomicFiles.writeString(dvc.resolve(".gitignore"), "/config.local\n/tmp\n/cache\n");
    Path dvcignore = abs.resolve(DvcIgnore.FILE_NAME);
    if (!Files.exists(dvcignore)) {
      AtomicFiles.writeString(
          dvcignore,
          "# Add patterns of files dvc should ignore, which could improve\n"
              + "# the performance. Learn more at\n"
              + "# https://dvc.org/doc/user-guide/dvcignore\n");
    }
    log.info("Initialized DVC repository.");
    return true;
  }

  public Path root() {
    return root;
  }

  public DvcConfig config() {
    return config;
  }

  public DvcIgnore ignore() {
    return ignore;
  }

  public LocalCache cache() {
    return cache;
  }

  public WorkspaceHasher hasher() {
    return hasher;
  }

  /**
   * Puts a hashed workspace file or directory into the cache (a directory's files, then its manifest).
   *
   * @return the directory's tree, or null for a file
   */
  public io.mlops.internal.hash.Tree addToCache(Path abs, io.mlops.internal.hash.HashedObject h) {
    if (h.hash().isDir()) {
      io.mlops.internal.hash.Tree tree = hasher.treeOf(abs, h.hash());
      for (io.mlops.internal.hash.Tree.Entry e : tree.entries()) {
        refuseExternalLink(abs.resolve(e.relpath()));
      }
      cache.addDir(abs, tree);
      return tree;
    }
    refuseExternalLink(abs);
    cache.addFile(abs, h.hash());
    return null;
  }

  /**
   * Data reaches the cache (and from there a remote) only from inside the repository: a symlink whose target lies
   * outside it is refused. DVC follows such links and would push whatever they point to (a key, a home directory).
   */
  private void refuseExternalLink(Path p) {
    if (!Files.isSymbolicLink(p)) {
      return;
    }
    Path target;
    try {
      target = p.toRealPath();
      if (target.startsWith(root.toRealPath())) {
        return;
      }
    } catch (java.io.IOException e) {
      return; // dangling: the walk left it out
    }
    String rel = io.mlops.internal.util.PathUtil.posix(root.relativize(p));
    throw new MlopsException("'" + rel + "' is a symlink to " + target + ", outside the repository", null, 0,
        "copy the data into the repository (or move it there and link the other way); mlops does not cache "
            + "data from outside the workspace through links");
  }

  /** How messages name commands and options (Maven's or the CLI's words). */
  public Hints hints() {
    return hints;
  }

  /** Sets the words of {@link #hints()}. */
  public Repo withHints(Hints h) {
    this.hints = h;
    return this;
  }

  /** The repository's worker pools (hashing, stages, transfers). */
  public Workers workers() {
    return workers;
  }

  public EngineLog log() {
    return log;
  }

  /**
   * The environment the repository was opened with (remotes read credentials and emulator settings from it,
   * never from {@link System#getenv()} directly).
   */
  public Map<String, String> env() {
    return env;
  }

  /** True unless {@code core.no_scm} is set: then outputs get {@code .gitignore} entries. */
  public boolean usesGit() {
    return !config.getBoolean("core", "no_scm", false);
  }

  /** Absolute path of a repository-relative path. */
  public Path resolve(String rel) {
    return ".".equals(rel) ? root : root.resolve(rel);
  }

  /** Repository-relative form of an absolute path. */
  public String relativize(Path abs) {
    return PathUtil.posix(root.relativize(abs.toAbsolutePath().normalize()));
  }

  /**
   * Adds {@code /name} to the {@code .gitignore} beside an output, as DVC does (skipped without Git and
   * when already present).
   */
  public void ignoreInGit(String relOut) {
    if (!usesGit()) {
      return;
    }
    Path out = resolve(relOut);
    Path gitignore = out.getParent().resolve(".gitignore");
    String entry = "/" + out.getFileName().toString().replace("\\", "\\\\").replace("[", "\\[").replace("*", "\\*")
        .replace("?", "\\?").replace("!", "\\!").replace("#", "\\#").replace(" ", "\\ ");
    try {
      String text = Files.exists(gitignore) ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
      List<String> lines = text.lines().toList();
      if (lines.contains(entry)) {
        return;
      }
      String prefix = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
      AtomicFiles.writeString(gitignore, text + prefix + entry + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + gitignore, e);
    }
  }

  @Override
  public void close() {
    try {
      hasher.state().save();
    } finally {
      hasher.close();
      workers.close();
    }
  }
}
