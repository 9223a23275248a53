package io.mlops.internal.remote;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.TransferSummary;
import io.mlops.internal.Hints;
import io.mlops.internal.Repo;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code push}, {@code fetch} and {@code pull} of the outputs tracked by the repository. */
public final class Sync {
  /**
   * Options shared by the transfer goals.
   *
   * @param targets stages, .dvc files or outputs; all when empty
   * @param remote remote name, or null for {@code core.remote}
   * @param jobs parallel transfers
   * @param offline refuse to reach a network remote
   * @param runCache also transfer the run-cache and the outputs it records ({@code --run-cache})
   */
  public record Request(List<String> targets, String remote, int jobs, boolean offline, boolean runCache) {
    public Request(List<String> targets, String remote, int jobs, boolean offline) {
      this(targets, remote, jobs, offline, false);
    }
  }

  private final Repo repo;
  private final EngineLog log;
  private final Index index;

  public Sync(Repo repo) {
    this(repo, null);
  }

  /** A sync that reads the pipeline from {@code index} (loaded once by the caller), or loads it when null. */
  public Sync(Repo repo, Index index) {
    this.repo = repo;
    this.log = repo.log();
    this.index = index;
  }

  private Index index() {
    return index != null ? index : Index.load(repo);
  }

  /** DVC's default parallelism for transfers: 4 × CPUs. */
  public static int defaultJobs() {
    return io.mlops.api.MlopsOptions.defaultTransferJobs();
  }

  public TransferSummary push(Request req) {
    Index index = index();
    String name = Remotes.resolveName(repo, req.remote());
    try (RemoteStorage remote = open(name, req, "push")) {
      List<DataCloud.Tracked> tracked = new ArrayList<>(DataCloud.collect(index, index.select(req.targets(), true), name));
      RunCacheTransfer runs = new RunCacheTransfer(repo);
      if (req.runCache()) {
        tracked.addAll(runs.outputsOf(runs.localEntries()));
      }
      TransferSummary s = new DataCloud(repo, remote, req.jobs()).push(tracked);
      failOn(s, name, "push");
      if (req.runCache()) {
        int entries = runs.push(remote); // after their outputs, like a directory's files before its .dir
        s = new TransferSummary(s.transferred() + entries, s.upToDate(), s.missing(), s.failed(), s.retries());
      }
      log.info(s.describe("pushed"));
      if (s.retries() > 0) {
        log.info(s.retries() + " transient failure" + (s.retries() == 1 ? "" : "s") + " retried");
      }
      return s;
    }
  }

  /** {@code dvc status -c}: prints what differs between the cache and the remote, in DVC's lines. */
  public io.mlops.api.CloudStatus cloudStatus(Request req) {
    Index index = index();
    String name = Remotes.resolveName(repo, req.remote());
    try (RemoteStorage remote = open(name, req, "status")) {
      Map<String, String> changes = new DataCloud(repo, remote, req.jobs())
          .status(DataCloud.collect(index, index.select(req.targets(), true), name));
      if (changes.isEmpty()) {
        log.info("Cache and remote '" + name + "' are in sync.");
      }
      changes.forEach((path, state) -> {
        StringBuilder sb = new StringBuilder("\t").append(state).append(':');
        while (sb.length() < 21) {
          sb.append(' ');
        }
        log.info(sb.append(path).toString());
      });
      return new io.mlops.api.CloudStatus(name, changes);
    }
  }

  public TransferSummary fetch(Request req, boolean allowMissing) {
    TransferSummary s = fetchObjects(req, allowMissing);
    log.info(s.describe("fetched"));
    if (s.retries() > 0) {
      log.info(s.retries() + " transient failure" + (s.retries() == 1 ? "" : "s") + " retried");
    }
    return s;
  }

  private TransferSummary fetchObjects(Request req, boolean allowMissing) {
    Index index = index();
    String name = Remotes.resolveName(repo, req.remote());
    try (RemoteStorage remote = open(name, req, "fetch")) {
      int runEntries = 0;
      if (req.runCache()) {
        RunCacheTransfer runs = new RunCacheTransfer(repo);
        // the entries only: their outputs come when repro --pull restores one (objectFetcher), as in DVC
        runEntries = runs.fetch(remote);
      }
      TransferSummary s = new DataCloud(repo, remote, req.jobs()).fetch(
          DataCloud.collect(index, index.select(req.targets(), true), name));
      if (!s.missing().isEmpty()) {
        String list = String.join("\n  ", s.missing());
        if (allowMissing) {
          log.warn("Some objects are missing from remote '" + name + "':\n  " + list);
        } else {
          throw new MlopsException(
              s.missing().size() + " object(s) missing from remote '" + name + "' (" + remote.url() + "):\n  " + list,
              null, 0,
              "push them from a machine that has them (" + repo.hints().command("push") + " or `dvc push`), or pass "
                  + repo.hints().flag("allowMissing", "--allow-missing") + " to continue without them");
        }
      }
      failOn(s, name, "fetch");
      if (runEntries > 0) {
        s = new TransferSummary(s.transferred() + runEntries, s.upToDate(), s.missing(), s.failed(), s.retries());
      }
      return s;
    }
  }

  /**
   * For {@code repro --pull}: fetches the objects of a run-cache entry's outputs from the remote when the
   * entry is about to be restored. Missing or failing objects are logged; the stage then runs.
   */
  public Reproducer.ObjectFetcher objectFetcher(Request req) {
    return outs -> {
      String name = Remotes.resolveName(repo, req.remote());
      List<DataCloud.Tracked> tracked = new ArrayList<>();
      for (LockedPath p : outs) {
        if (p.hash() != null) {
          tracked.add(new DataCloud.Tracked(p.path(), p.hash()));
        }
      }
      try (RemoteStorage remote = open(name, req, "fetch")) {
        TransferSummary s = new DataCloud(repo, remote, req.jobs()).fetch(tracked);
        if (!s.missing().isEmpty() || !s.failed().isEmpty()) {
          List<String> problems = new ArrayList<>(s.missing());
          problems.addAll(s.failed());
          log.warn("cannot fetch the outputs of a recorded run from remote '" + name + "'; the stage runs instead:\n  "
              + String.join("\n  ", problems));
        }
      } catch (MlopsException e) {
        log.warn("cannot fetch the outputs of a recorded run: " + e.getMessage());
      }
    };
  }

  /** fetch + checkout, never overwriting unsaved outputs. */
  public TransferSummary pull(Request req, boolean allowMissing) {
    return pull(req, allowMissing, false);
  }

  /** fetch + checkout; {@code force} overwrites outputs whose content is in no cache ({@code dvc pull --force}). */
  public TransferSummary pull(Request req, boolean allowMissing, boolean force) {
    TransferSummary s = fetchObjects(req, allowMissing);
    Workspace.Changes c = new Workspace(repo, index).checkoutChanges(req.targets(), allowMissing, force);
    log.info(pullSummary(s.transferred(), c));
    return s;
  }

  /** DVC's line after a pull: "1 file fetched, 1 file modified and 2 files added", or "Everything is up to date.". */
  static String pullSummary(int fetched, Workspace.Changes c) {
    List<String> parts = new ArrayList<>();
    for (Object[] p : new Object[][] {{fetched, "fetched"}, {c.modified(), "modified"}, {c.added(), "added"}}) {
      int n = (Integer) p[0];
      if (n > 0) {
        parts.add(n + " file" + (n == 1 ? "" : "s") + " " + p[1]);
      }
    }
    if (parts.isEmpty()) {
      return "Everything is up to date.";
    }
    String last = parts.remove(parts.size() - 1);
    return parts.isEmpty() ? last : String.join(", ", parts) + " and " + last;
  }

  private RemoteStorage open(String name, Request req, String op) {
    Remotes.Spec spec = Remotes.spec(repo, name);
    if (req.offline() && !spec.isLocal()) {
      throw new MlopsException(
          "cannot " + op + " remote '" + name + "' (" + spec.displayUrl() + ") in offline mode (-o)", null, 0,
          repo.hints() == Hints.MAVEN ? "run Maven without -o, or skip this goal with -Dmlops." + op + ".skip=true"
              : "go online, or use a local remote");
    }
    return Remotes.openLazily(repo, spec);
  }

  private void failOn(TransferSummary s, String name, String op) {
    if (!s.failed().isEmpty()) {
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT, 
          s.failed().size() + " object(s) failed to " + op + " (remote '" + name + "'):\n  "
              + String.join("\n  ", s.failed()),
          null, 0, "check the remote and run the goal again; completed objects are kept", null);
    }
  }
}
