package io.mlops.internal.repro;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.Hints;
import io.mlops.internal.Repo;
import io.mlops.internal.dag.AsciiDag;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.pipeline.Lockfile;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The workspace operations besides repro: status, add, checkout, commit and dag. */
public final class Workspace {
  private final Repo repo;
  private final EngineLog log;
  private final Index index;

  public Workspace(Repo repo) {
    this(repo, null);
  }

  /** Workspace operations on the pipeline of {@code index} (loaded once by the caller), or loaded when null. */
  public Workspace(Repo repo, Index index) {
    this.repo = repo;
    this.log = repo.log();
    this.index = index;
  }

  private Index index() {
    return index != null ? index : Index.load(repo);
  }

  /** {@code dvc status}: prints each changed stage; returns the changed ones. */
  public List<StageStatus> status(List<String> targets) {
    try (var memo = repo.hasher().memoize()) {
      return statusOf(targets);
    }
  }

  private List<StageStatus> statusOf(List<String> targets) {
    Index index = index();
    StageEvaluator ev = new StageEvaluator(repo);
    List<StageStatus> changed = new ArrayList<>();
    for (Stage s : index.select(targets, true)) {
      if (!s.isDataSource() && s.frozen()) {
        log.warn("stage: '" + s.address() + "' is frozen. Its dependencies are not going to be shown in the status output.");
      }
      LockEntry lock = s.isDataSource() ? null : index.lockfile(s).get(s.def().name());
      StageStatus st = ev.status(s, lock);
      if (st.changed()) {
        changed.add(st);
        for (String line : st.render().split("\n")) {
          log.info(line);
        }
      }
    }
    if (changed.isEmpty()) {
      log.info(index.stages().isEmpty()
          ? "There are no data or pipelines tracked in this project yet."
          : "Data and pipelines are up to date.");
    }
    return changed;
  }

  /** {@code dvc add}: hashes each path, caches it, writes {@code <path>.dvc} and the .gitignore entry. */
  public List<Path> add(List<String> paths) {
    List<Path> written = new ArrayList<>();
    Index index = index();
    for (String p : paths) {
      Path abs = repo.root().resolve(p).toAbsolutePath().normalize();
      if (!abs.startsWith(repo.root())) {
        throw new MlopsException("'" + p + "' is outside the repository " + repo.root(), null, 0,
            "add paths inside the repository");
      }
      if (!Files.exists(abs)) {
        throw new MlopsException("'" + p + "' does not exist", null, 0, "check the path (relative to " + repo.root() + ")");
      }
      String rel = repo.relativize(abs);
      for (Stage s : index.stages()) {
        if (!s.isDataSource()) {
          for (Stage.Out o : s.outs()) {
            if (PathUtil.isWithin(rel, o.repoPath()) || PathUtil.isWithin(o.repoPath(), rel)) {
              throw new MlopsException("cannot add '" + rel + "': it overlaps output '" + o.repoPath()
                  + "' of stage '" + s.address() + "'", null, 0,
                  "outputs of pipeline stages are tracked by dvc.lock; use " + repo.hints().command("commit")
                      + " instead");
            }
          }
        }
      }
      Path dvcPath = abs.resolveSibling(abs.getFileName() + ".dvc");
      String relDvc = repo.relativize(dvcPath);
      DvcFile file = Files.exists(dvcPath)
          ? DvcFile.load(dvcPath, relDvc)
          : DvcFile.create(dvcPath, relDvc, abs.getFileName().toString());
      List<LockedPath> before = file.outs();
      HashedObject h = new StageEvaluator(repo).keepLegacy(abs, before.isEmpty() ? null : before.get(0));
      Tree tree = repo.addToCache(abs, h);
      if (tree != null && tree.entries().isEmpty()) {
        log.warn("'" + rel + "' is empty.");
      }
      boolean changed = file.update(0, h) || !file.exists();
      if (changed) {
        file.save();
        written.add(dvcPath);
      }
      repo.ignoreInGit(rel);
      log.info((changed ? "Added " : "Unchanged ") + rel + " (" + h.hash().value() + ")");
    }
    if (!written.isEmpty() && repo.usesGit()) {
      log.info("To track the changes with git, run:");
      log.info("\tgit add " + String.join(" ", written.stream().map(repo::relativize).toList()));
    }
    return written;
  }

  /** {@code dvc checkout} without {@code --force}. */
  public int checkout(List<String> targets, boolean allowMissing) {
    return checkout(targets, allowMissing, false);
  }

  /**
   * {@code dvc checkout}: puts every tracked output in the state its lock or .dvc file records. Like DVC, an
   * existing output whose content is not in the cache ("unsaved": edited by hand, or written by a command outside
   * {@code repro}) is never overwritten unless {@code force}: the outputs are left as they are and the call fails
   * naming the files, after checking out everything else.
   */
  public int checkout(List<String> targets, boolean allowMissing, boolean force) {
    Changes c = checkoutChanges(targets, allowMissing, force);
    return c.added() + c.modified();
  }

  /** What a checkout changed: outputs created, outputs replaced. */
  public record Changes(int added, int modified) {}

  /**
   * {@link #checkout(List, boolean, boolean)}, returning what changed; prints the {@code A}/{@code M} lines as
   * {@code dvc checkout} does, and no summary (pull prints one line for fetch and checkout together).
   */
  public Changes checkoutChanges(List<String> targets, boolean allowMissing, boolean force) {
    Index index = index();
    int added = 0;
    int modified = 0;
    List<String> missing = new ArrayList<>();
    List<String> unsaved = new ArrayList<>();
    java.util.Set<Path> fileOutDirs = new java.util.LinkedHashSet<>();
    for (Stage s : index.select(targets, false)) {
      for (Index.RecordedOut r : index.cachedOuts(s)) {
        Stage.Out o = r.out();
        LockedPath lp = r.recorded();
        Path abs = repo.resolve(o.repoPath());
        if (!lp.hash().isDir() && abs.getParent() != null) {
          fileOutDirs.add(abs.getParent());
        }
        String hashName = lp.hash().name();
        // hashed once: the comparison with the lock and the unsaved-files check use the same listing
        Tree tree = Files.isDirectory(abs) ? repo.hasher().buildTree(abs, hashName) : null;
        HashedObject current = tree != null ? new HashedObject(tree.digest(), tree.meta())
            : Files.exists(abs) ? repo.hasher().hash(abs, hashName) : null;
        if (current != null && current.hash().equals(lp.hash())) {
          continue;
        }
        if (!repo.cache().containsAll(lp.hash())) {
          missing.add(o.repoPath() + " (" + lp.hash().value() + ")");
          continue;
        }
        if (current != null && !force) {
          List<String> notSaved = unsavedFiles(o.repoPath(), current, tree);
          if (!notSaved.isEmpty()) {
            unsaved.addAll(notSaved);
            continue;
          }
        }
        boolean existed = current != null;
        repo.cache().checkout(lp.hash(), lp.object().meta().isexec(), abs);
        log.info((existed ? "M" : "A") + "\t" + o.repoPath() + (lp.hash().isDir() ? "/" : ""));
        if (existed) {
          modified++;
        } else {
          added++;
        }
      }
    }
    // a checkout killed between writing a file's temporary sibling and renaming it leaves the sibling; under the
    // repository lock no write of ours is under way, so this run's checkout removes it (a directory output's own
    // strays go with the files its listing lacks)
    fileOutDirs.forEach(io.mlops.internal.util.AtomicFiles::removeTemps);
    if (!missing.isEmpty() && !allowMissing) {
      throw new MlopsException(
          "checkout failed for the following targets, their data is not in the cache:\n  "
              + String.join("\n  ", missing),
          null, 0, "run " + repo.hints().command("pull") + " to fetch them from the remote, or pass "
              + repo.hints().flag("allowMissing", "--allow-missing"));
    }
    if (!unsaved.isEmpty()) {
      throw new MlopsException(
          "can't remove the following unsaved files without confirmation (their content is in no cache, so "
              + "checking out the recorded version would lose it):\n  " + String.join("\n  ", unsaved),
          null, 0, "keep them with " + repo.hints().command("commit") + " (or `dvc commit`), move them away, or "
              + "overwrite them with " + (repo.hints() == Hints.MAVEN
                  ? "-Dmlops.pull.force=true or -Dmlops.checkout.force=true (`dvc pull/checkout --force`)"
                  : "`mlops pull --force` or `mlops checkout --force`"));
    }
    return new Changes(added, modified);
  }

  /**
   * Files of an existing output whose content the cache lacks: the output itself, or the entries of its
   * directory listing {@code tree} (null for a file).
   */
  private List<String> unsavedFiles(String repoPath, HashedObject current, Tree tree) {
    List<String> out = new ArrayList<>();
    if (tree != null) {
      for (Tree.Entry e : tree.entries()) {
        String name = e.relpath().substring(e.relpath().lastIndexOf('/') + 1);
        if (io.mlops.internal.util.AtomicFiles.isTempName(name)) {
          continue; // left by an interrupted checkout or pull: not the user's, and replaced by this one
        }
        if (!repo.cache().exists(new HashInfo(tree.hashName(), e.md5()))) {
          out.add(repoPath + "/" + e.relpath());
        }
      }
    } else if (!repo.cache().exists(current.hash())) {
      out.add(repoPath);
    }
    return out;
  }

  /** {@code dvc commit}: records the current deps, params and outs of changed stages without running them. */
  public int commit(List<String> targets) {
    Index index = index();
    StageEvaluator ev = new StageEvaluator(repo);
    int n = 0;
    for (Stage s : index.select(targets, false)) {
      if (s.isDataSource()) {
        List<LockedPath> before = s.dvcFile().outs();
        boolean changed = false;
        for (int i = 0; i < s.outs().size(); i++) {
          Path abs = repo.resolve(s.outs().get(i).repoPath());
          HashedObject h = ev.keepLegacy(abs, before.get(i));
          cacheOut(s.outs().get(i), h);
          changed |= s.dvcFile().update(i, h);
        }
        if (changed) {
          s.dvcFile().save();
          n++;
        }
        continue;
      }
      Lockfile lf = index.lockfile(s);
      LockEntry prev = lf.get(s.def().name());
      LockEntry deps = ev.currentDepsEntry(s, prev);
      List<LockedPath> outs = ev.currentOuts(s, prev);
      for (int i = 0; i < s.outs().size(); i++) {
        cacheOut(s.outs().get(i), outs.get(i).object());
      }
      LockEntry entry = new LockEntry(deps.cmd(), deps.deps(), deps.params(), outs);
      if (lf.put(s.def().name(), entry)) {
        log.info("Updating lock file '" + repo.relativize(lf.file()) + "'");
        lf.save();
        n++;
      }
    }
    return n;
  }

  private void cacheOut(Stage.Out o, HashedObject h) {
    if (!o.def().cache()) {
      return;
    }
    repo.addToCache(repo.resolve(o.repoPath()), h);
    repo.ignoreInGit(o.repoPath());
  }

  /**
   * {@code dvc dag}: the pipelines (connected stages, in the order of their first stage) drawn in ASCII as DVC
   * draws them, or, as {@code dvc dag --mermaid} / {@code --md} prints it, a Mermaid flowchart: one block per
   * pipeline, its nodes numbered in sorted order, then its edges sorted, upstream first. With targets, only they
   * and what they depend on, or ({@code full}) their whole pipelines.
   */
  public String dag(List<String> targets, boolean full, boolean mermaid, boolean markdown) {
    return dag(targets, full, false, false, mermaid, markdown);
  }

  /**
   * {@code dvc dag}: the stage graph ({@code outs}: the outputs graph; {@code collapse}: foreach/matrix stages as one
   * node each) of the targets, drawn in ASCII or as a Mermaid flowchart.
   */
  public String dag(List<String> targets, boolean full, boolean outs, boolean collapse, boolean mermaid,
      boolean markdown) {
    if (outs && collapse) {
      throw new MlopsException("`--outs` and `--collapse-foreach-matrix` are mutually exclusive", null, 0,
          "use one of them");
    }
    List<LabelGraph> pipelines = new ArrayList<>();
    if (outs) {
      List<String> outTargets = new ArrayList<>();
      for (String t : targets) {
        for (Stage s : index().find(t)) {
          s.outs().forEach(o -> outTargets.add(o.repoPath()));
        }
      }
      pipelines.addAll(LabelGraph.ofOutputs(index()).filter(outTargets, full).pipelines());
    } else {
      LabelGraph stages = LabelGraph.ofStages(new DagGraph(index(), targets, full));
      pipelines.addAll((collapse ? stages.collapseForeachMatrix() : stages).pipelines());
    }
    if (!mermaid) {
      List<String> drawings = new ArrayList<>();
      for (LabelGraph p : pipelines) {
        drawings.add(AsciiDag.draw(p.nodes(), p.edgeList()));
      }
      return String.join("\n", drawings) + "\n";
    }
    StringBuilder sb = new StringBuilder();
    if (markdown) {
      sb.append("```mermaid\n");
    }
    sb.append("flowchart TD\n");
    int total = 0;
    for (LabelGraph p : pipelines) {
      List<String> names = new ArrayList<>(p.nodes());
      names.sort(PathUtil::compareCodePoints);
      java.util.Map<String, String> ids = new java.util.HashMap<>();
      for (String name : names) {
        String id = "node" + ++total;
        ids.put(name, id);
        sb.append('\t').append(id).append("[\"").append(name).append("\"]\n");
      }
      List<String[]> edges = new ArrayList<>();
      for (String[] e : p.edgeList()) {
        edges.add(new String[] {e[1], e[0]});
      }
      edges.sort((a, b) -> {
        int c = PathUtil.compareCodePoints(a[0], b[0]);
        return c != 0 ? c : PathUtil.compareCodePoints(a[1], b[1]);
      });
      for (String[] e : edges) {
        sb.append('\t').append(ids.get(e[0])).append("-->").append(ids.get(e[1])).append('\n');
      }
    }
    if (markdown) {
      sb.append("```\n");
    }
    return sb.toString();
  }
}
