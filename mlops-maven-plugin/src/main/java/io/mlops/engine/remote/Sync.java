package io.mlops.engine.remote;

import io.mlops.engine.EngineLog;
import io.mlops.engine.MlopsException;
import io.mlops.engine.Repo;
import io.mlops.engine.repro.Index;
import io.mlops.engine.repro.Stage;
import io.mlops.engine.repro.Workspace;
import java.util.ArrayList;
import java.util.List;

/** {@code push}, {@code fetch} and {@code pull} of the outputs tracked by the repository. */
public final class Sync {
  /**
   * Options shared by the transfer goals.
   *
   * @param targets stages, .dvc files or outputs; all when empty
   * @param remote remote name, or null for {@code core.remote}
   * @param jobs parallel transfers
   * @param offline refuse to reach a network remote
   */
  public record Request(List<String> targets, String remote, int jobs, boolean offline) {}

  private final Repo repo;
  private final EngineLog log;

  public Sync(Repo repo) {
    this.repo = repo;
    this.log = repo.log();
  }

  /** DVC's default parallelism for transfers: 4 × CPUs. */
  public static int defaultJobs() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  public TransferSummary push(Request req) {
    Index index = Index.load(repo);
    String name = Remotes.resolveName(repo, req.remote());
    try (RemoteStorage remote = open(name, req, "push")) {
      TransferSummary s = new DataCloud(repo, remote, req.jobs()).push(
          DataCloud.collect(index, select(index, req.targets()), name));
      failOn(s, name, "push");
      log.info(s.describe("pushed"));
      return s;
    }
  }

  public TransferSummary fetch(Request req, boolean allowMissing) {
    Index index = Index.load(repo);
    String name = Remotes.resolveName(repo, req.remote());
    try (RemoteStorage remote = open(name, req, "fetch")) {
      TransferSummary s = new DataCloud(repo, remote, req.jobs()).fetch(
          DataCloud.collect(index, select(index, req.targets()), name));
      if (!s.missing().isEmpty()) {
        String list = String.join("\n  ", s.missing());
        if (allowMissing) {
          log.warn("Some objects are missing from remote '" + name + "':\n  " + list);
        } else {
          throw new MlopsException(
              s.missing().size() + " object(s) missing from remote '" + name + "' (" + remote.url() + "):\n  " + list,
              null, 0,
              "push them from a machine that has them (`mvn mlops:push` or `dvc push`), or pass "
                  + "-Dmlops.allowMissing=true to continue without them");
        }
      }
      failOn(s, name, "fetch");
      log.info(s.describe("fetched"));
      return s;
    }
  }

  /** fetch + checkout. */
  public TransferSummary pull(Request req, boolean allowMissing) {
    TransferSummary s = fetch(req, allowMissing);
    new Workspace(repo).checkout(req.targets(), allowMissing);
    return s;
  }

  private RemoteStorage open(String name, Request req, String op) {
    RemoteStorage remote = Remotes.open(repo, name);
    if (req.offline() && !(remote instanceof LocalRemote)) {
      remote.close();
      throw new MlopsException(
          "cannot " + op + " remote '" + name + "' (" + remote.url() + ") in offline mode (-o)", null, 0,
          "run Maven without -o, or skip this goal with -Dmlops." + op + ".skip=true");
    }
    return remote;
  }

  private void failOn(TransferSummary s, String name, String op) {
    if (!s.failed().isEmpty()) {
      throw new MlopsException(
          s.failed().size() + " object(s) failed to " + op + " (remote '" + name + "'):\n  "
              + String.join("\n  ", s.failed()),
          null, 0, "check the remote and run the goal again; completed objects are kept");
    }
  }

  private static List<Stage> select(Index index, List<String> targets) {
    if (targets == null || targets.isEmpty()) {
      return index.stages();
    }
    List<Stage> out = new ArrayList<>();
    for (String t : targets) {
      out.addAll(index.find(t));
    }
    return index.plan(out, false, false);
  }
}
