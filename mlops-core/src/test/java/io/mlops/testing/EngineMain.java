package io.mlops.testing;

import io.mlops.api.CheckoutOptions;
import io.mlops.api.EngineLog;
import io.mlops.api.Mlops;
import io.mlops.api.MlopsException;
import io.mlops.api.MlopsOptions;
import io.mlops.api.ReproOptions;
import io.mlops.api.ReproResult;
import io.mlops.api.TransferOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one engine operation through the public API in its own JVM, for tests that kill it midway ({@code java -cp
 * <test classpath> io.mlops.testing.EngineMain pull}); the current directory is the repository. Prints {@code START}
 * on its own line when the repository is open and the operation begins. Exit 0 on success, 1 on an engine error
 * or a failed stage.
 */
public final class EngineMain {
  /** The line printed when the operation begins. */
  public static final String START = "START";

  private EngineMain() {}

  /** Runs one operation on an open repository; returns the exit code (1 for a failed stage). */
  public static int run(Mlops m, String op, List<String> rest) {
    switch (op) {
      case "pull" -> m.pull(TransferOptions.defaults());
      case "push" -> m.push(TransferOptions.defaults());
      case "add" -> m.add(rest);
      case "commit" -> m.commit(rest);
      case "checkout" -> m.checkout(CheckoutOptions.defaults().force(true));
      case "repro" -> {
        ReproResult r = m.repro(ReproOptions.defaults());
        return r.failed() ? 1 : 0;
      }
      default -> throw new IllegalArgumentException("unknown operation " + op);
    }
    return 0;
  }

  public static void main(String[] args) {
    EngineLog log = EngineLog.console();
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    int code = 0;
    try (Mlops m = Mlops.open(Path.of("."), MlopsOptions.defaults(), log)) {
      System.out.println(START);
      System.out.flush();
      code = run(m, args[0], rest);
    } catch (MlopsException e) {
      System.err.println("ERROR: " + e.getMessage());
      System.exit(1);
    }
    System.exit(code);
  }
}
