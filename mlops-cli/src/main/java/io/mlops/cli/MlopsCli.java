package io.mlops.internal.cli;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.ReproResult;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal command line over the engine, without Maven: {@code add PATH…}, {@code status},
 * {@code repro [TARGET…]}, {@code push [--jobs N] [TARGET…]}, {@code pull [--jobs N] [TARGET…]}, {@code checkout}.
 * Used by the benchmarks and tests to run the engine itself; the current directory is the repository root.
 */
public final class MlopsCli {
  private MlopsCli() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println(
          "usage: mlops add PATH... | status | repro [TARGET...] | push|pull [--jobs N] [TARGET...] | checkout");
      System.exit(2);
    }
    EngineLog log = EngineLog.console();
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    int jobs = Sync.defaultJobs();
    int j = rest.indexOf("--jobs");
    if (j >= 0 && j + 1 < rest.size()) {
      jobs = Integer.parseInt(rest.get(j + 1));
      rest.subList(j, j + 2).clear();
    }
    int code = 0;
    try (Repo repo = Repo.open(Path.of("."), log)) {
      switch (args[0]) {
        case "add" -> new Workspace(repo).add(rest);
        case "status" -> code = new Workspace(repo).status(rest).isEmpty() ? 0 : 1;
        case "repro" -> {
          ReproResult r = new Reproducer(repo, Index.load(repo), System.getenv())
              .run(ReproRequest.defaults().withTargets(rest));
          code = r.failed() ? 1 : 0;
        }
        case "push" -> new Sync(repo).push(new Sync.Request(rest, null, jobs, false));
        case "pull" -> new Sync(repo).pull(new Sync.Request(rest, null, jobs, false), false);
        case "checkout" -> new Workspace(repo).checkout(rest, false);
        default -> {
          System.err.println("unknown command: " + args[0]);
          code = 2;
        }
      }
    } catch (MlopsException e) {
      System.err.println("ERROR: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }
}
