package io.mlops.testing;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one engine operation in its own JVM, for tests that kill it midway ({@code java -cp <test classpath>
 * io.mlops.testing.EngineMain pull}); the current directory is the repository. Exit 0 on success, 1 on an engine
 * error.
 */
public final class EngineMain {
  private EngineMain() {}

  public static void main(String[] args) {
    EngineLog log = EngineLog.console();
    try (Repo repo = Repo.open(Path.of("."), log)) {
      switch (args[0]) {
        case "pull" -> new Sync(repo).pull(new Sync.Request(List.of(), null, Sync.defaultJobs(), false), false);
        default -> throw new IllegalArgumentException("unknown operation " + args[0]);
      }
    } catch (MlopsException e) {
      System.err.println("ERROR: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }
}
