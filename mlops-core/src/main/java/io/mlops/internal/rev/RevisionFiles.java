package io.mlops.internal.rev;

import io.mlops.api.MlopsException;
import io.mlops.api.TransferSummary;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.pipeline.InvalidPipelineException;
import io.mlops.internal.remote.DataCloud;
import io.mlops.internal.remote.LocalRemote;
import io.mlops.internal.remote.RemoteStorage;
import io.mlops.internal.remote.Remotes;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.Stage;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads the repository's files as they were at a Git revision, or as they are in the workspace, the way DVC's
 * {@code repo.dvcfs} does for {@code metrics}, {@code params} and {@code plots}:
 *
 * <ul>
 *   <li>a file committed to Git comes from Git ({@code git cat-file}); in the workspace, from the disk;
 *   <li>otherwise, a DVC-tracked output (or a file inside a tracked directory) is found through that revision's
 *       {@code dvc.lock} and {@code .dvc} files: its md5 (and, inside a directory, the {@code .dir} manifest)
 *       is read from the local cache, and fetched from the remote (the default one unless named) when the cache
 *       lacks it. When neither has it, the file is reported missing (with a warning naming the object).
 * </ul>
 *
 * <p>Revisions are anything {@code git rev-parse} accepts ({@code main}, {@code v1.0}, a sha, {@code HEAD~1})
 * plus {@link #WORKSPACE}. The repository root may be a subdirectory of the Git work tree. Paths are
 * repository-relative with '/' separators. Git is only needed for Git revisions.
 *
 * <p>A Git revision's committed files are written once to a temporary directory (removed by {@link #close()}),
 * so that its {@code dvc.yaml}, {@code dvc.lock} and params files can be parsed by the ordinary parsers;
 * committed files larger than 8 MiB are read from Git on demand instead. Not thread-safe.
 */
public final class RevisionFiles implements AutoCloseable {
  /** The revision name of the working tree, as DVC spells it. */
  public static final String WORKSPACE = "workspace";

  private static final long MATERIALIZE_LIMIT = 8L << 20;

  private final Repo repo;
  private final String remoteName;
  private final boolean offline;
  private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
  private GitCli git;
  private RemoteStorage remote;
  private boolean remoteUnavailable;

  private RevisionFiles(Repo repo, String remoteName, boolean offline) {
    this.repo = repo;
    this.remoteName = remoteName;
    this.offline = offline;
  }

  /** A reader that fetches missing cache objects from the default remote. */
  public static RevisionFiles open(Repo repo) {
    return open(repo, null, false);
  }

  /**
   * A reader over {@code repo}.
   *
   * @param remoteName the remote to fetch missing objects from; null for {@code core.remote}
   * @param offline only local (directory) remotes are used
   */
  public static RevisionFiles open(Repo repo, String remoteName, boolean offline) {
    return new RevisionFiles(repo, remoteName, offline);
  }

  public Repo repo() {
    return repo;
  }

  /**
   * The commit a revision names, or {@link #WORKSPACE}.
   *
   * @throws MlopsException naming the revision when Git does not know it, or when Git is missing
   */
  public String resolve(String rev) {
    return snapshot(rev).commit;
  }

  /**
   * The bytes of a file at a revision.
   *
   * @param rev a Git revision or {@link #WORKSPACE}
   * @param path repository-relative, '/'-separated
   * @return empty when the file does not exist at that revision (or is a directory), or when it is a
   *     DVC-tracked file whose data is neither in the cache nor on the remote (then a warning is logged)
   * @throws MlopsException for an unknown revision or a Git failure
   */
  public Optional<byte[]> read(String rev, String path) {
    Snapshot s = snapshot(rev);
    String rel = PathUtil.normalize(path);
    if (rel == null || ".".equals(rel)) {
      return Optional.empty();
    }
    Optional<byte[]> direct = s.readDirect(rel);
    if (direct.isPresent()) {
      return direct;
    }
    Optional<HashInfo> h = trackedFile(s, rel);
    return h.isEmpty() ? Optional.empty() : object(h.get(), rel, rev);
  }

  /**
   * True when {@code path} is a directory at the revision: committed (or on disk in the workspace), or a
   * DVC-tracked directory or a directory inside one.
   */
  public boolean isDirectory(String rev, String path) {
    Snapshot s = snapshot(rev);
    String rel = PathUtil.normalize(path);
    if (rel == null) {
      return false;
    }
    if (".".equals(rel) || s.hasDirectory(rel)) {
      return true;
    }
    return !trackedListing(s, rel, rev).isEmpty();
  }

  /**
   * Every file under a directory at the revision (recursively), repository-relative and sorted by code point:
   * the committed (or, in the workspace, present) files and the files of DVC-tracked directories under it.
   * Empty when {@code dir} is not a directory there.
   */
  public List<String> list(String rev, String dir) {
    Snapshot s = snapshot(rev);
    String rel = PathUtil.normalize(dir);
    if (rel == null) {
      return List.of();
    }
    TreeSet<String> out = new TreeSet<>(PathUtil.CODE_POINT_ORDER);
    out.addAll(s.listDirect(rel));
    out.addAll(trackedListing(s, rel, rev));
    return new ArrayList<>(out);
  }

  /**
   * The stages of the revision (its dvc.yaml and .dvc files), or empty when the revision has no DVC
   * repository at this path (DVC skips such revisions).
   *
   * @throws MlopsException when a dvc.yaml of the revision cannot be parsed (the message names the revision)
   */
  public Optional<Index> index(String rev) {
    return Optional.ofNullable(snapshot(rev).index());
  }

  /**
   * Why the stages of a revision cannot be loaded, or null when they can (or the revision has no DVC
   * repository): the error {@link #index} throws, as DVC words it ({@code str(exc)} and its class name).
   *
   * @throws MlopsException for an unknown revision or a Git failure
   */
  public PipelineError pipelineError(String rev) {
    Snapshot s = snapshot(rev);
    try {
      s.index();
      return null;
    } catch (MlopsException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof InvalidPipelineException ip) {
          return new PipelineError(ip.dvcType(), ip.dvcMessage(s.temporary ? s.commit : null), ip);
        }
      }
      MlopsException inner = s.temporary && e.getCause() instanceof MlopsException m ? m : e;
      return new PipelineError("DvcException", inner.getMessage().lines().findFirst().orElse(""), inner);
    }
  }

  /**
   * A revision whose pipeline files are broken.
   *
   * @param type the class name of the exception DVC raises
   * @param message DVC's message for it
   * @param detail our error, naming the file, line and fix
   */
  public record PipelineError(String type, String message, MlopsException detail) {}

  @Override
  public void close() {
    java.util.Set<Snapshot> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    distinct.addAll(snapshots.values());
    for (Snapshot s : distinct) {
      s.close();
    }
    snapshots.clear();
    if (remote != null) {
      remote.close();
      remote = null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private Snapshot snapshot(String rev) {
    String name = rev == null || rev.isBlank() ? WORKSPACE : rev.strip();
    Snapshot s = snapshots.get(name);
    if (s != null) {
      return s;
    }
    if (WORKSPACE.equals(name)) {
      s = new Snapshot(name, WORKSPACE, repo.root(), repo, Map.of(), null);
    } else {
      if (git == null) {
        git = GitCli.locate(repo.root());
      }
      String commit = git.resolveCommit(name);
      s = snapshots.values().stream().filter(x -> x.commit.equals(commit)).findFirst()
          .orElseGet(() -> materialize(name, commit));
    }
    snapshots.put(name, s);
    return s;
  }

  private Snapshot materialize(String rev, String commit) {
    Path dir;
    try {
      dir = Files.createTempDirectory("mlops-rev-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for revision " + rev, e);
    }
    String prefix = git.prefix();
    Map<String, GitCli.TreeEntry> large = new LinkedHashMap<>();
    List<GitCli.TreeEntry> small = new ArrayList<>();
    for (GitCli.TreeEntry e : git.lsTree(commit, prefix)) {
      if (!e.isRegularFile() || !e.path().startsWith(prefix)) {
        continue;
      }
      String rel = e.path().substring(prefix.length());
      if (e.size() > MATERIALIZE_LIMIT) {
        large.put(rel, e);
      } else {
        small.add(e);
      }
    }
    List<byte[]> blobs = git.blobs(small.stream().map(GitCli.TreeEntry::object).toList());
    for (int i = 0; i < small.size(); i++) {
      Path target = dir.resolve(small.get(i).path().substring(prefix.length()));
      try {
        Files.createDirectories(target.getParent());
        Files.write(target, blobs.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target, e);
      }
    }
    Repo snapshotRepo = null;
    if (Files.isDirectory(dir.resolve(Repo.DVC_DIR))) {
      snapshotRepo = Repo.open(dir, repo.log(), repo.env(), 1);
    }
    return new Snapshot(rev, commit, dir, snapshotRepo, large, git);
  }

  /** The hash of a DVC-tracked file (an output, or a file inside a tracked directory). */
  private Optional<HashInfo> trackedFile(Snapshot s, String rel) {
    for (Map.Entry<String, HashInfo> out : s.outs().entrySet()) {
      String outPath = out.getKey();
      HashInfo h = out.getValue();
      if (outPath.equals(rel)) {
        return h.isDir() ? Optional.empty() : Optional.of(h);
      }
      if (h.isDir() && PathUtil.isWithin(rel, outPath)) {
        Optional<Tree> tree = tree(h, outPath, s.rev);
        if (tree.isEmpty()) {
          return Optional.empty();
        }
        String inner = ".".equals(outPath) ? rel : rel.substring(outPath.length() + 1);
        for (Tree.Entry e : tree.get().entries()) {
          if (e.relpath().equals(inner)) {
            return Optional.of(new HashInfo(h.name(), e.md5()));
          }
        }
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Files of tracked directories at or under {@code rel} (or of the tracked directory containing it). */
  private List<String> trackedListing(Snapshot s, String rel, String rev) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, HashInfo> o : s.outs().entrySet()) {
      String outPath = o.getKey();
      HashInfo h = o.getValue();
      if (!h.isDir() || !(PathUtil.isWithin(outPath, rel) || PathUtil.isWithin(rel, outPath))) {
        continue;
      }
      Optional<Tree> tree = tree(h, outPath, rev);
      if (tree.isEmpty()) {
        continue;
      }
      for (Tree.Entry e : tree.get().entries()) {
        String file = PathUtil.join(outPath, e.relpath());
        if (file != null && !file.equals(rel) && PathUtil.isWithin(file, rel)) {
          out.add(file);
        }
      }
    }
    return out;
  }

  private Optional<Tree> tree(HashInfo h, String outPath, String rev) {
    if (!ensureCached(h, outPath, rev)) {
      return Optional.empty();
    }
    return Optional.of(repo.cache().loadTree(h));
  }

  private Optional<byte[]> object(HashInfo h, String rel, String rev) {
    if (!ensureCached(h, rel, rev)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(repo.cache().path(h)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + repo.cache().path(h), e);
    }
  }

  /** True when the object is in the local cache, fetching it (alone) from the remote first if needed. */
  private boolean ensureCached(HashInfo h, String what, String rev) {
    if (repo.cache().exists(h)) {
      return true;
    }
    String where = "'" + what + "' at revision '" + rev + "' (" + h.value() + ")";
    RemoteStorage r = remote(where);
    if (r == null) {
      return false;
    }
    TransferSummary s = new DataCloud(repo, r, 1).fetchObjects(List.of(new DataCloud.Tracked(what, h)));
    if (!s.failed().isEmpty()) {
      repo.log().warn("cannot fetch " + where + ": " + String.join("; ", s.failed()));
    } else if (!s.missing().isEmpty()) {
      repo.log().warn(where + " is neither in the cache nor on the remote: " + String.join("; ", s.missing())
          + ". Push it from a machine that has it (" + repo.hints().command("push") + " or `dvc push`).");
    }
    return repo.cache().exists(h);
  }

  private RemoteStorage remote(String where) {
    if (remote != null || remoteUnavailable) {
      return remote;
    }
    try {
      RemoteStorage r = Remotes.open(repo, remoteName);
      if (offline && !(r instanceof LocalRemote)) {
        r.close();
        repo.log().warn(where + " is not in the cache, and remote '" + Remotes.resolveName(repo, remoteName)
            + "' cannot be reached in offline mode (-o); run without -o, or " + repo.hints().command("pull") + " first.");
        remoteUnavailable = true;
        return null;
      }
      remote = r;
    } catch (MlopsException e) {
      repo.log().warn(where + " is not in the cache and there is no remote to fetch it from: "
          + e.getMessage().lines().findFirst().orElse(""));
      remoteUnavailable = true;
    }
    return remote;
  }

  /** One revision's view: where its committed files are, and its stages. */
  private static final class Snapshot {
    final String rev;
    final String commit;
    final Path dir;
    final Repo dvcRepo;
    final Map<String, GitCli.TreeEntry> large;
    final boolean temporary;
    private Index index;
    private boolean indexLoaded;
    private MlopsException failure;
    private Map<String, HashInfo> outs;
    private final GitCli git;

    Snapshot(String rev, String commit, Path dir, Repo dvcRepo, Map<String, GitCli.TreeEntry> large,
        GitCli git) {
      this.rev = rev;
      this.commit = commit;
      this.dir = dir;
      this.dvcRepo = dvcRepo;
      this.large = large;
      this.git = git;
      this.temporary = git != null;
    }

    Index index() {
      if (failure != null) {
        throw failure; // the same error every time, not an empty revision the second time
      }
      if (!indexLoaded) {
        if (dvcRepo != null) {
          try {
            index = Index.load(dvcRepo);
          } catch (MlopsException e) {
            failure = temporary
                ? new MlopsException("at revision '" + rev + "' (" + commit + "): " + e.getMessage(), e) : e;
            throw failure;
          }
        }
        indexLoaded = true;
      }
      return index;
    }

    /** Cached outputs with a recorded hash: repository path → hash. */
    Map<String, HashInfo> outs() {
      if (outs != null) {
        return outs;
      }
      outs = new LinkedHashMap<>();
      Index idx = index();
      if (idx == null) {
        return outs;
      }
      for (Stage s : idx.stages()) {
        for (Index.RecordedOut r : idx.cachedOuts(s)) {
          outs.put(r.out().repoPath(), r.recorded().hash());
        }
      }
      return outs;
    }

    Optional<byte[]> readDirect(String rel) {
      Path f = dir.resolve(rel);
      if (Files.isRegularFile(f)) {
        try {
          return Optional.of(Files.readAllBytes(f));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f, e);
        }
      }
      GitCli.TreeEntry big = large.get(rel);
      if (big != null) {
        return Optional.of(git.blobs(List.of(big.object())).get(0));
      }
      return Optional.empty();
    }

    boolean hasDirectory(String rel) {
      if (Files.isDirectory(dir.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
      return large.keySet().stream().anyMatch(p -> p.startsWith(rel + "/"));
    }

    List<String> listDirect(String rel) {
      List<String> out = new ArrayList<>();
      Path base = ".".equals(rel) ? dir : dir.resolve(rel);
      if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(base)) {
          walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
            String r = PathUtil.posix(dir.relativize(p));
            if (!r.startsWith(Repo.DVC_DIR + "/") && !r.startsWith(".git/")
                && (dvcRepo == null || !dvcRepo.ignore().isIgnored(r, false))) {
              out.add(r);
            }
          });
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + base, e);
        }
      }
      for (String p : large.keySet()) {
        if (PathUtil.isWithin(p, rel) && !p.equals(rel)) {
          out.add(p);
        }
      }
      return out;
    }

    void close() {
      if (temporary) {
        if (dvcRepo != null) {
          dvcRepo.close();
        }
        PathUtil.deleteRecursively(dir);
      }
    }
  }
}
