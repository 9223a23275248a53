package io.mlops.api;

import io.mlops.internal.Hints;
import io.mlops.internal.Repo;
import io.mlops.internal.RepoLock;
import io.mlops.internal.Workers;
import io.mlops.internal.metrics.Collector;
import io.mlops.internal.metrics.FileResult;
import io.mlops.internal.metrics.MetricsParams;
import io.mlops.internal.metrics.Thresholds;
import io.mlops.internal.plots.PlotData;
import io.mlops.internal.plots.PlotsRenderer;
import io.mlops.internal.plots.WorkspacePlotData;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.report.Report;
import io.mlops.internal.report.ReportWriter;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Stage;
import io.mlops.internal.repro.StageStatus;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.rev.RevisionFiles;
import io.mlops.internal.util.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's contract: an open DVC repository and one call per command. Everything outside {@code io.mlops.api}
 * is internal and may change in any release.
 *
 * <pre>{@code
 * try (Mlops mlops = Mlops.open(root, MlopsOptions.defaults(), EngineLog.console())) {
 *   mlops.pull(TransferOptions.defaults());
 *   ReproResult result = mlops.repro(ReproOptions.defaults());
 * }
 * }</pre>
 *
 * <p>Every call reports progress to the {@link EngineLog} in DVC's wording and fails only with a {@link
 * MlopsException}: {@link MlopsException.Kind#USER USER} for something to fix in the repository or the options,
 * {@link MlopsException.Kind#ENVIRONMENT ENVIRONMENT} when the machine, a remote or Git failed. Closing the
 * repository saves the hash state and stops its worker threads.
 */
public final class Mlops implements AutoCloseable {
  private final Repo repo;
  private final MlopsOptions options;

  private Mlops(Repo repo, MlopsOptions options) {
    this.repo = repo;
    this.options = options;
  }

  /**
   * Opens the repository at {@code root} (the directory holding {@code .dvc/}), applying the options' remote
   * overrides for this session.
   */
  public static Mlops open(Path root, MlopsOptions options, EngineLog log) {
    return guard(() -> {
      Repo repo = Repo.open(root, log, options.env(),
          new Workers(options.hashJobs(), options.stageJobs(), options.transferJobs()))
          .withHints(Hints.of(options.frontEnd()));
      try {
        Map<String, String> overrides = new LinkedHashMap<>(options.remoteOptions());
        if (options.remoteUrl() != null) {
          overrides.put("url", options.remoteUrl());
        }
        if (!overrides.isEmpty()) {
          repo.config().overrideRemote(options.remote(), overrides, repo.root());
        }
        return new Mlops(repo, options);
      } catch (RuntimeException e) {
        repo.close();
        throw e;
      }
    });
  }

  /**
   * {@code dvc init}: {@code .dvc/config}, {@code .dvc/.gitignore} and {@code .dvcignore}; with {@code noScm},
   * {@code core.no_scm = True}. Returns false when {@code root} already holds a repository.
   */
  public static boolean init(Path root, boolean noScm, EngineLog log) {
    return guard(() -> Repo.init(root, noScm, log));
  }

  /** The repository root. */
  public Path root() {
    return repo.root();
  }

  /** {@code dvc repro}: runs what changed, skips the rest, restores runs seen before; updates the locks. */
  public ReproResult repro(ReproOptions o) {
    return locked("reproduce", () -> {
      ReproRequest req = new ReproRequest(o.targets(), o.force(), o.downstream(), o.single(), o.dry(), o.keepGoing(),
          o.noRunCache(), options.stageJobs(), o.report(), o.allowMissing());
      Index index = Index.load(repo); // once: the pull and the repro read the same pipeline
      Reproducer reproducer = new Reproducer(repo, index, options.env());
      List<Stage> plan = reproducer.plan(req);
      if (o.pull() && !plan.isEmpty()) {
        Sync sync = new Sync(repo, index);
        // the data of the stages this repro goes through, no more (DVC's --pull works per stage)
        List<String> planned = plan.stream().map(Stage::address).toList();
        Sync.Request pull = new Sync.Request(planned, options.remote(), options.transferJobs(),
            options.offline(), !o.noRunCache());
        // like `dvc repro --pull`: the run-cache too, so runs recorded elsewhere are restored, not rerun
        sync.pull(pull, true);
        reproducer.withObjectFetcher(sync.objectFetcher(pull));
      }
      return reproducer.run(req);
    });
  }

  /** {@code dvc status}: prints each changed stage as DVC does and returns them. */
  public StatusResult status(List<String> targets) {
    return locked("check the status", () -> {
      List<StatusResult.Stage> changed = new ArrayList<>();
      for (StageStatus s : new Workspace(repo).status(targets)) {
        changed.add(new StatusResult.Stage(s.stage().address(), changes(s.deps()), paramChanges(s.params()),
            changes(s.outs()), s.commandChanged(), s.alwaysChanged(), s.render()));
      }
      return new StatusResult(changed);
    });
  }

  /** {@code dvc status -c}: the cache against the remote, for the targets (everything when empty). */
  public CloudStatus cloudStatus(List<String> targets) {
    return locked("check the status", () -> sync().cloudStatus(new Sync.Request(targets, options.remote(),
        options.transferJobs(), options.offline())));
  }

  /** {@code dvc add}: hashes and caches each path, writes {@code <path>.dvc}; returns the files written. */
  public List<Path> add(List<String> paths) {
    return locked("add", () -> {
      if (paths.isEmpty()) {
        throw new MlopsException("nothing to add", null, 0, "name the files or directories to track");
      }
      return new Workspace(repo).add(paths);
    });
  }

  /**
   * Re-hashes every object of the local cache, read-only ones included (which DVC and the other commands trust):
   * corrupt objects are listed and removed, so that {@code pull} or {@code commit} restores them. DVC has no such
   * command.
   */
  public CacheVerifyResult verifyCache() {
    return locked("verify the cache", () -> repo.cache().verifyAll());
  }

  /** {@code dvc commit}: records the workspace's outputs of the targets in their locks; returns stages committed. */
  public int commit(List<String> targets) {
    return locked("commit", () -> new Workspace(repo).commit(targets));
  }

  /** {@code dvc checkout}: puts every tracked output in the state its lock or .dvc file records. */
  public CheckoutResult checkout(CheckoutOptions o) {
    return locked("check out", () -> {
      Workspace.Changes c = new Workspace(repo).checkoutChanges(o.targets(), o.allowMissing(), o.force());
      return new CheckoutResult(c.added(), c.modified());
    });
  }

  /** {@code dvc dag}: the stage graph drawn in ASCII like DVC, or a Mermaid flowchart. */
  public String dag(DagOptions o) {
    return guard(() -> new Workspace(repo).dag(o.targets(), o.full(), o.outs(), o.collapseForeachMatrix(),
        o.mermaid() || o.markdown(), o.markdown()));
  }

  /** {@code dvc push}: uploads what the remote lacks (a directory's files before its {@code .dir}). */
  public TransferSummary push(TransferOptions o) {
    return locked("push", () -> sync().push(transfer(o)));
  }

  /** {@code dvc fetch}: downloads into the cache, verifying every object. */
  public TransferSummary fetch(TransferOptions o) {
    return locked("fetch", () -> sync().fetch(transfer(o), o.allowMissing()));
  }

  /** {@code dvc pull}: fetch, then checkout; never overwrites unsaved outputs unless {@code force}. */
  public TransferSummary pull(TransferOptions o) {
    return locked("pull", () -> sync().pull(transfer(o), o.allowMissing(), o.force()));
  }

  /** {@code dvc metrics show}, or {@code dvc metrics diff REV} with a revision. */
  public CompareResult metrics(CompareOptions o) {
    return compare(o, true);
  }

  /** {@code dvc params diff REV}; without a revision, the workspace's params in {@code metrics show}'s layout. */
  public CompareResult params(CompareOptions o) {
    return compare(o, false);
  }

  /** {@code dvc plots show} / {@code dvc plots diff REV}, rendered to PNG files with an index. */
  public PlotsResult plots(PlotsOptions o) {
    return guard(() -> {
      List<String> revisions = new ArrayList<>(List.of(PlotData.WORKSPACE));
      if (o.rev() != null && !PlotData.WORKSPACE.equals(o.rev())) {
        revisions.add(o.rev());
      }
      Path output = repo.root().resolve(o.output() == null ? Path.of("dvc_plots") : o.output()).normalize();
      try (RevisionFiles files = revisionFiles()) {
        PlotData data = new WorkspacePlotData(repo.root(), files::read);
        List<PlotsResult.Plot> plots = new ArrayList<>();
        for (PlotsRenderer.Rendered r : PlotsRenderer.render(new PlotsRenderer.Request(
            repo.root(), Index.pipelineFiles(repo), output, revisions, data, repo.log()))) {
          plots.add(new PlotsResult.Plot(r.id(), r.outputs()));
        }
        return new PlotsResult(output, plots);
      }
    });
  }

  /** A Markdown and JSON report of params, metrics and plots against a baseline revision. */
  public ReportResult report(ReportOptions o) {
    return guard(() -> {
      try (RevisionFiles files = revisionFiles()) {
        Report report = Report.build(files, o.baseline(), new Report.Options(o.output(), o.all()));
        repo.log().info("Report: " + report.baseline().label() + " → workspace: params diff "
            + report.params().rows().size() + " row(s), metrics diff " + report.metrics().rows().size() + " row(s)");
        List<Path> written = ReportWriter.write(report, repo.env(), o.stepSummary(), repo.log());
        return new ReportResult(report.baseline().label(), report.params().rows().size(),
            report.metrics().rows().size(), written);
      }
    });
  }

  /** Metric gates: every rule with its verdict; the caller decides what a failed rule means. */
  public CheckResult check(CheckOptions o) {
    return guard(() -> {
      List<Thresholds.Rule> rules = Thresholds.parse(o.thresholds());
      if (rules.isEmpty()) {
        return new CheckResult(List.of(), null, "");
      }
      boolean relative = Thresholds.needBaseline(rules);
      List<Thresholds.Outcome> outcomes;
      try (RevisionFiles files = revisionFiles()) {
        Map<String, FileResult> current = Collector.metrics(files, RevisionFiles.WORKSPACE);
        Map<String, FileResult> baseline = relative ? Collector.metrics(files, o.baseline()) : null;
        outcomes = Thresholds.check(rules, current, baseline);
      }
      List<CheckResult.Rule> verdicts = new ArrayList<>();
      for (Thresholds.Outcome out : outcomes) {
        verdicts.add(new CheckResult.Rule(out.rule().text(), out.passed()));
      }
      return new CheckResult(verdicts, relative ? o.baseline() : null, Thresholds.table(outcomes).markdown());
    });
  }

  @Override
  public void close() {
    guard(() -> {
      repo.close();
      return null;
    });
  }

  private CompareResult compare(CompareOptions o, boolean metrics) {
    return guard(() -> {
      MetricsParams.Options opts = new MetricsParams.Options(o.all(), o.noPath(), metrics ? o.precision() : null,
          !metrics && o.depsOnly());
      try (RevisionFiles files = revisionFiles()) {
        MetricsParams.Result r;
        if (metrics) {
          r = o.isDiff() ? MetricsParams.diffMetrics(files, o.rev(), RevisionFiles.WORKSPACE, opts)
              : MetricsParams.showMetrics(files, opts);
        } else {
          r = o.isDiff() ? MetricsParams.diffParams(files, o.rev(), RevisionFiles.WORKSPACE, opts)
              : MetricsParams.showParams(files, opts);
        }
        String text = r.output(MetricsParams.Format.valueOf(o.format().name()));
        if (o.output() != null) {
          Path out = repo.root().resolve(o.output());
          AtomicFiles.writeString(out, text);
          repo.log().info("Wrote " + out);
        }
        return new CompareResult(text, o.isDiff() ? r.rows().size() : r.table().rows().size());
      }
    });
  }

  /**
   * Runs a command that reads and writes the repository under DVC's repository lock ({@code .dvc/tmp/lock}), as
   * DVC's own commands do, so no other DVC or mlops process works on it meanwhile.
   */
  private <T> T locked(String operation, Supplier<T> call) {
    return guard(() -> {
      try (RepoLock lock = RepoLock.acquire(repo.root().resolve(Repo.DVC_DIR), operation)) {
        return call.get();
      }
    });
  }

  private Sync sync() {
    return new Sync(repo);
  }

  private Sync.Request transfer(TransferOptions o) {
    return new Sync.Request(o.targets(), options.remote(), options.transferJobs(), options.offline(), o.runCache());
  }

  private RevisionFiles revisionFiles() {
    return RevisionFiles.open(repo, options.remote(), options.offline());
  }

  private static List<StatusResult.Change> changes(List<StageStatus.Change> in) {
    return in.stream().map(c -> new StatusResult.Change(c.state(), c.name())).toList();
  }

  private static Map<String, List<StatusResult.Change>> paramChanges(Map<String, List<StageStatus.Change>> in) {
    Map<String, List<StatusResult.Change>> out = new LinkedHashMap<>();
    in.forEach((file, list) -> out.put(file, changes(list)));
    return out;
  }

  /**
   * The one place where failures become {@link MlopsException}s: I/O errors are {@link MlopsException.Kind#
   * ENVIRONMENT}, any other unexpected exception one clear line of kind {@link MlopsException.Kind#INTERNAL} that
   * keeps the cause for {@code --verbose}/{@code -X}.
   */
  static <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (MlopsException e) {
      throw e;
    } catch (UncheckedIOException e) {
      String cause = e.getCause() == null ? "" : ": " + e.getCause();
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT, e.getMessage() + cause, e);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vm && !(e instanceof OutOfMemoryError)) {
        throw vm;
      }
      throw new MlopsException(MlopsException.Kind.INTERNAL,
          "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + " (a bug in mlops: please report it with the output of the same command at debug level)", e);
    }
  }
}
