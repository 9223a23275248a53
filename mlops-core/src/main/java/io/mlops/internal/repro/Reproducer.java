package io.mlops.internal.repro;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.ReproResult.Outcome;
import io.mlops.api.ReproResult.StageResult;
import io.mlops.api.ReproResult;
import io.mlops.internal.Repo;
import io.mlops.internal.Workers;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.pipeline.DvcFile;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.pipeline.Lockfile;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** {@code dvc repro}: plans the stages, skips unchanged ones, restores cached runs, runs the rest. */
public final class Reproducer {
  private final Repo repo;
  private final Index index;
  private final EngineLog log;
  private final StageEvaluator evaluator;
  private final RunCache runCache;
  private final CommandRunner runner;
  private final Object lockFiles = new Object();
  private boolean lockUpdated;
  /** The first engine error a stage failed with (not a failing command), thrown at the end without -k. */
  private MlopsException stageError;

  /**
   * Brings the cache objects of a recorded run's outputs from a remote, for {@code repro --pull}: DVC fetches a
   * run-cache entry's outputs only when that entry is about to be restored.
   */
  @FunctionalInterface
  public interface ObjectFetcher {
    /** Fetches what the cache lacks of these outputs' objects; failures leave the stage to run. */
    void fetch(List<LockedPath> outs);
  }

  private ObjectFetcher fetcher;

  /** Lets run-cache restores fetch missing output objects (as {@code dvc repro --pull} does). */
  public Reproducer withObjectFetcher(ObjectFetcher f) {
    this.fetcher = f;
    return this;
  }

  public Reproducer(Repo repo, Index index, Map<String, String> env) {
    this.repo = repo;
    this.index = index;
    this.log = repo.log();
    this.evaluator = new StageEvaluator(repo);
    this.runCache = new RunCache(repo.cache());
    this.runner = new CommandRunner(env);
  }

  /** The stages {@code run(req)} goes through, dependencies first. */
  public List<Stage> plan(ReproRequest req) {
    List<Stage> targets = req.targets().isEmpty() ? index.defaultTargets() : index.select(req.targets(), false);
    return index.plan(targets, req.downstream(), req.single());
  }

  public ReproResult run(ReproRequest req) {
    try (var memo = repo.hasher().memoize()) {
      return runPlan(req);
    }
  }

  private ReproResult runPlan(ReproRequest req) {
    List<Stage> plan = plan(req);
    Map<Stage, StageResult> results = new LinkedHashMap<>();
    if (req.jobs() <= 1 || plan.size() <= 1) {
      for (Stage s : plan) {
        StageResult r = blockedBy(s, results, plan) ? notRun(s) : runOne(s, req, "");
        results.put(s, r);
        if (r.outcome() == Outcome.FAILED && !req.keepGoing()) {
          break;
        }
      }
    } else {
      runParallel(plan, req, results);
    }
    List<StageResult> ordered = new ArrayList<>();
    for (Stage s : plan) {
      if (results.containsKey(s)) {
        ordered.add(results.get(s));
      }
    }
    ReproResult result = new ReproResult(ordered, lockUpdated);
    if (req.report() != null) {
      writeReport(req.report(), result);
    }
    if (stageError != null && !req.keepGoing()) {
      throw stageError;
    }
    if (!result.failed() && !req.dry()) {
      boolean anyRan = result.count(Outcome.RAN) + result.count(Outcome.RESTORED) > 0;
      log.info(anyRan
          ? "Use " + repo.hints().command("push") + " (or `dvc push`) to send your updates to remote storage."
          : "Data and pipelines are up to date.");
    }
    return result;
  }

  private boolean blockedBy(Stage s, Map<Stage, StageResult> results, List<Stage> plan) {
    for (Stage u : index.upstream(s)) {
      StageResult r = results.get(u);
      if (r != null && (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NOT_RUN)) {
        return true;
      }
    }
    return false;
  }

  private StageResult notRun(Stage s) {
    log.warn("Stage '" + s.address() + "' not run because an upstream stage failed");
    return new StageResult(s.address(), Outcome.NOT_RUN, Map.of(), 0, null);
  }

  private void runParallel(List<Stage> plan, ReproRequest req, Map<Stage, StageResult> results) {
    Set<Stage> planned = new HashSet<>(plan);
    Set<Stage> started = new HashSet<>();
    ExecutorService pool = repo.workers().pool(Workers.Kind.STAGE, req.jobs());
    CompletionService<Map.Entry<Stage, StageResult>> cs = new ExecutorCompletionService<>(pool);
    int running = 0;
    boolean stop = false;
    try {
      while (true) {
        if (!stop) {
          for (Stage s : plan) {
            if (started.contains(s)) {
              continue;
            }
            boolean ready = true;
            for (Stage u : index.upstream(s)) {
              if (planned.contains(u) && !results.containsKey(u)) {
                ready = false;
                break;
              }
            }
            if (!ready) {
              continue;
            }
            started.add(s);
            if (blockedBy(s, results, plan)) {
              results.put(s, notRun(s));
              continue;
            }
            running++;
            cs.submit(() -> Map.entry(s, runOne(s, req, "[" + s.address() + "] ")));
          }
        }
        if (running == 0) {
          if (stop || started.size() == plan.size()) {
            break;
          }
          continue;
        }
        Future<Map.Entry<Stage, StageResult>> f = cs.take();
        running--;
        Map.Entry<Stage, StageResult> e = f.get();
        results.put(e.getKey(), e.getValue());
        if (e.getValue().outcome() == Outcome.FAILED && !req.keepGoing()) {
          stop = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new MlopsException("stage failed: " + e.getCause(), e.getCause());
    }
  }

  private StageResult runOne(Stage s, ReproRequest req, String prefix) {
    long t0 = System.nanoTime();
    try {
      StageResult r = s.isDataSource() ? dataSource(s, req) : pipelineStage(s, req, prefix);
      return new StageResult(r.stage(), r.outcome(), r.outs(), (System.nanoTime() - t0) / 1_000_000, r.error());
    } catch (StageFailure f) {
      log.error(f.getMessage());
      return new StageResult(s.address(), Outcome.FAILED, Map.of(), (System.nanoTime() - t0) / 1_000_000,
          f.getMessage());
    } catch (MlopsException e) {
      // a missing dependency, params file or data: this stage fails, the independent ones may go on (-k), and
      // the record is written either way, as DVC records the failure per stage
      synchronized (this) {
        if (stageError == null) {
          stageError = e;
        }
      }
      if (req.keepGoing()) {
        log.error("failed to reproduce '" + s.address() + "': " + e.getMessage());
      }
      return new StageResult(s.address(), Outcome.FAILED, Map.of(), (System.nanoTime() - t0) / 1_000_000,
          e.getMessage());
    }
  }

  private StageResult dataSource(Stage s, ReproRequest req) {
    StageStatus st = evaluator.status(s, null);
    DvcFile file = s.dvcFile();
    if (!st.changed() && !req.force()) {
      log.info("'" + file.relFile() + "' didn't change, skipping");
      return result(s, Outcome.SKIPPED, file.outs());
    }
    log.info("Verifying data sources in stage: '" + file.relFile() + "'");
    for (Stage.Out o : s.outs()) {
      if (!Files.exists(repo.resolve(o.repoPath()), LinkOption.NOFOLLOW_LINKS)) {
        throw new MlopsException(
            "missing data source: '" + o.repoPath() + "' (tracked by " + file.relFile() + ")",
            repo.resolve(file.relFile()),
            0,
            "run " + repo.hints().command("pull") + " to fetch it, or " + repo.hints().command("checkout")
                + " if it is in the cache");
      }
    }
    if (req.dry()) {
      return result(s, Outcome.VERIFIED, file.outs());
    }
    repo.hasher().beginWrites();
    try {
      return commitDataSource(s, file);
    } finally {
      repo.hasher().endWrites();
    }
  }

  private StageResult commitDataSource(Stage s, DvcFile file) {
    List<LockedPath> before = file.outs();
    boolean changed = false;
    for (int i = 0; i < s.outs().size(); i++) {
      Stage.Out o = s.outs().get(i);
      HashedObject h = evaluator.keepLegacy(repo.resolve(o.repoPath()), before.get(i));
      commitOut(o, h);
      changed |= file.update(i, h);
    }
    if (changed) {
      synchronized (lockFiles) {
        file.save();
        lockUpdated = true;
      }
      log.info("Updating '" + file.relFile() + "'");
    }
    return result(s, Outcome.VERIFIED, file.outs());
  }

  private StageResult pipelineStage(Stage s, ReproRequest req, String prefix) {
    Lockfile lockfile;
    LockEntry prev;
    synchronized (lockFiles) {
      lockfile = index.lockfile(s);
      prev = lockfile.get(s.def().name());
    }
    String addr = s.address();
    if (s.frozen()) {
      log.info("Verifying outputs in frozen stage: '" + addr + "'");
      for (Stage.Out o : s.outs()) {
        if (!Files.exists(repo.resolve(o.repoPath()))) {
          throw new MlopsException("output '" + o.repoPath() + "' of frozen stage '" + addr + "' does not exist",
              repo.resolve(s.def().dvcfile()), s.def().line(), "run " + repo.hints().command("checkout") + " or " + repo.hints().command("pull"));
        }
      }
      return result(s, Outcome.VERIFIED, prev == null ? List.of() : prev.outs());
    }
    StageStatus st = evaluator.status(s, prev);
    if (req.allowMissing() && prev != null) {
      st = evaluator.ignoreMissing(st, prev, index);
    }
    if (!req.force() && !st.changed()) {
      log.info("Stage '" + addr + "' didn't change, skipping");
      return result(s, Outcome.SKIPPED, prev == null ? List.of() : prev.outs());
    }
    if (req.dry()) {
      log.info("Running stage '" + addr + "':");
      for (String c : s.def().commands()) {
        log.info("> " + c);
      }
      return result(s, Outcome.WOULD_RUN, List.of());
    }
    LockEntry deps = evaluator.currentDepsEntry(s, prev);
    repo.hasher().beginWrites();
    try {
      return restoreOrRun(s, req, prefix, lockfile, prev, st, deps);
    } finally {
      repo.hasher().endWrites();
    }
  }

  private StageResult restoreOrRun(Stage s, ReproRequest req, String prefix, Lockfile lockfile, LockEntry prev,
      StageStatus st, LockEntry deps) {
    String addr = s.address();
    if (!req.force() && RunCache.eligible(s)) {
      LockEntry candidate = null;
      if (prev != null && !st.commandChanged() && st.deps().isEmpty() && st.params().isEmpty()
          && allHashed(prev, s)) {
        candidate = prev;
      } else if (!req.noRunCache()) {
        candidate = runCache.lookup(deps, s.outs().stream().map(o -> o.def().path()).toList()).orElse(null);
      }
      if (candidate != null && !restorable(s, candidate) && fetcher != null) {
        fetcher.fetch(candidate.outs());
      }
      if (candidate != null && restorable(s, candidate)) {
        log.info("Stage '" + addr + "' is cached - skipping run, checking out outputs");
        Map<String, LockedPath> byPath = StageEvaluator.byPath(candidate.outs());
        boolean restored = true;
        for (Stage.Out o : s.outs()) {
          LockedPath lp = byPath.get(o.def().path());
          Path abs = repo.resolve(o.repoPath());
          if (!isSame(abs, lp.hash())) {
            PathUtil.deleteRecursively(abs);
            try {
              repo.cache().checkout(lp.hash(), lp.object().meta().isexec(), abs);
            } catch (io.mlops.api.MlopsException e) {
              // a corrupt cached output (now removed from the cache) is not restored: the stage runs instead
              log.warn(e.getMessage().lines().findFirst().orElse("") + "; running stage '" + addr + "' instead");
              restored = false;
              break;
            }
          }
        }
        if (restored) {
          return commit(s, deps, prev, lockfile, Outcome.RESTORED);
        }
      }
    }
    removeOuts(s);
    log.info("Running stage '" + addr + "':");
    for (String c : s.def().commands()) {
      log.info("> " + c);
      int code;
      try {
        code = runner.run(c, repo.resolve(s.wdir()), repo.root(), addr, log, prefix);
      } catch (IOException e) {
        throw new StageFailure("failed to run: " + c + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StageFailure("failed to run: " + c + ": interrupted");
      }
      if (code != 0) {
        throw new StageFailure("failed to reproduce '" + addr + "': failed to run: " + c + ", exited with " + code
            + (code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : ""));
      }
    }
    return commit(s, deps, prev, lockfile, Outcome.RAN);
  }

  private boolean isSame(Path abs, HashInfo h) {
    if (!Files.exists(abs)) {
      return false;
    }
    return repo.hasher().hash(abs, h.name()).hash().value().equals(h.value());
  }

  private static boolean allHashed(LockEntry prev, Stage s) {
    Map<String, LockedPath> byPath = StageEvaluator.byPath(prev.outs());
    for (Stage.Out o : s.outs()) {
      LockedPath lp = byPath.get(o.def().path());
      if (lp == null || lp.hash() == null) {
        return false;
      }
    }
    return true;
  }

  private boolean restorable(Stage s, LockEntry candidate) {
    Map<String, LockedPath> byPath = StageEvaluator.byPath(candidate.outs());
    for (Stage.Out o : s.outs()) {
      LockedPath lp = byPath.get(o.def().path());
      if (lp == null || lp.hash() == null) {
        return false;
      }
      // uncached metrics and plots are in the cache too: the run-cache put them there
      if (!repo.cache().containsAll(lp.hash())) {
        return false;
      }
    }
    return true;
  }

  private void removeOuts(Stage s) {
    for (Stage.Out o : s.outs()) {
      if (!o.def().persist()) {
        PathUtil.deleteRecursively(repo.resolve(o.repoPath()));
      }
    }
  }

  private StageResult commit(Stage s, LockEntry deps, LockEntry prev, Lockfile lockfile, Outcome outcome) {
    List<LockedPath> outs = evaluator.currentOuts(s, prev);
    for (int i = 0; i < s.outs().size(); i++) {
      commitOut(s.outs().get(i), outs.get(i).object());
    }
    LockEntry entry = new LockEntry(deps.cmd(), deps.deps(), deps.params(), outs);
    if (RunCache.eligible(s) && !StageEvaluator.hasUncachedPlainOut(s)) {
      // like DVC, the run-cache keeps uncached metrics and plots in the cache so it can restore them
      for (int i = 0; i < s.outs().size(); i++) {
        if (!s.outs().get(i).def().cache()) {
          repo.addToCache(repo.resolve(s.outs().get(i).repoPath()), outs.get(i).object());
        }
      }
      runCache.save(entry);
    }
    synchronized (lockFiles) {
      boolean existed = lockfile.exists() || Files.exists(lockfile.file());
      if (lockfile.put(s.def().name(), entry)) {
        String name = repo.relativize(lockfile.file());
        log.info((existed ? "Updating" : "Generating") + " lock file '" + name + "'");
        lockfile.save();
        lockUpdated = true;
      }
    }
    return result(s, outcome, outs);
  }

  /** Puts an output into the cache (when cached) and adds its .gitignore entry. */
  private void commitOut(Stage.Out o, HashedObject h) {
    if (!o.def().cache()) {
      return;
    }
    repo.addToCache(repo.resolve(o.repoPath()), h);
    repo.ignoreInGit(o.repoPath());
  }

  private StageResult result(Stage s, Outcome outcome, List<LockedPath> outs) {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (LockedPath p : outs) {
      if (p.hash() != null) {
        hashes.put(p.path(), p.hash().value());
      }
    }
    return new StageResult(s.address(), outcome, hashes, 0, null);
  }

  private static void writeReport(Path file, ReproResult result) {
    AtomicFiles.writeString(file, result.toJson());
  }

  /** A stage command failed: reported per stage, not thrown out of repro. */
  static final class StageFailure extends RuntimeException {
    StageFailure(String message) {
      super(message);
    }
  }
}
