package io.mlops.harness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real DVC 3.67.1, the reference implementation the plugin must agree with. The virtualenv is made on first
 * use ({@code python3 -m venv} + {@code pip install dvc[gs,s3,azure,ssh]==3.67.1}, then moto's S3 server, see
 * {@link MotoServer}) at {@code mlops.dvc.venv}
 * (default {@code <repo>/.venv}); tests that need it fail, never skip, when it cannot be made.
 */
public final class DvcOracle {
  public static final String VERSION = "3.67.1";

  /** moto's S3 server, installed into the same virtualenv for the s3:// remote tests. */
  /** DVC with the remote plugins the interop tests use (gs, s3, azure, ssh; http comes with DVC). */
  public static final String DVC_REQUIREMENT = "dvc[gs,s3,azure,ssh]==" + VERSION;
  public static final String MOTO_REQUIREMENT = "moto[server]==5.2.5";
  private static Path venv;

  private DvcOracle() {}

  /** The venv directory, created if needed. */
  public static synchronized Path venv() {
    if (venv != null) {
      return venv;
    }
    Path dir = Path.of(System.getProperty("mlops.dvc.venv", defaultVenv().toString())).toAbsolutePath();
    Path dvc = dir.resolve("bin").resolve("dvc");
    try {
      Files.createDirectories(dir.getParent());
      Path lockFile = dir.getParent().resolve(".venv.lock");
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (!Files.isExecutable(dvc) || !version(dvc).contains(VERSION)) {
          exec(List.of("python3", "-m", "venv", dir.toString()), dir.getParent(), 300);
          exec(
              List.of(dir.resolve("bin/pip").toString(), "install", "-q", DVC_REQUIREMENT),
              dir.getParent(),
              1200);
        } else if (run(List.of(dir.resolve("bin/python").toString(), "-c", "import dvc_azure, dvc_ssh, dvc_http"),
            dir.getParent(), 120).exitCode() != 0) {
          // a venv from before the azure and ssh remotes: add their plugins
          exec(List.of(dir.resolve("bin/pip").toString(), "install", "-q", DVC_REQUIREMENT), dir.getParent(), 1200);
        }
        if (!Files.isExecutable(dir.resolve("bin/moto_server"))) {
          // moto's S3 server for the S3 remote tests; botocore stays where DVC's aiobotocore pinned it
          // (a failure here only fails the S3 tests, through MotoServer's message)
          try {
            String botocore = exec(List.of(dir.resolve("bin/python").toString(), "-c",
                "import botocore; print(botocore.__version__)"), dir.getParent(), 120).stdout().strip();
            exec(
                List.of(dir.resolve("bin/pip").toString(), "install", "-q", MOTO_REQUIREMENT,
                    "botocore==" + botocore),
                dir.getParent(),
                1200);
          } catch (IllegalStateException e) {
            System.err.println("WARNING: cannot install " + MOTO_REQUIREMENT + ": " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the DVC virtualenv at " + dir, e);
    }
    venv = dir;
    return dir;
  }

  private static Path defaultVenv() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    return (p == null ? Path.of("").toAbsolutePath() : p).resolve(".venv");
  }

  private static String version(Path dvc) {
    try {
      return exec(List.of(dvc.toString(), "--version"), dvc.getParent(), 120).stdout();
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** Result of a command. */
  public record Result(int exitCode, String stdout) {}

  /** Runs {@code dvc <args>} in {@code dir}; fails the test on a non-zero exit. */
  public static String dvc(Path dir, String... args) {
    Result r = dvcAllowFailure(dir, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("dvc " + String.join(" ", args) + " failed (" + r.exitCode() + "):\n" + r.stdout());
    }
    return r.stdout();
  }

  public static Result dvcAllowFailure(Path dir, String... args) {
    return dvcAllowFailure(dir, Map.of(), args);
  }

  /** Runs {@code dvc <args>} in {@code dir} with {@code extraEnv} added to its environment (HOME, SSH_AUTH_SOCK...). */
  public static Result dvcAllowFailure(Path dir, Map<String, String> extraEnv, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(venv().resolve("bin").resolve("dvc").toString());
    cmd.addAll(List.of(args));
    return run(cmd, dir, 600, extraEnv);
  }

  /** Runs a command (git, sh...) in {@code dir}; fails the test with its output on a non-zero exit. */
  public static String runOk(Path dir, String... cmd) {
    Result r = run(List.of(cmd), dir, 120);
    if (r.exitCode() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed (" + r.exitCode() + "):\n" + r.stdout());
    }
    return r.stdout();
  }

  /** Runs a Python snippet with the venv's interpreter. */
  public static String python(Path dir, String code) {
    Result r = run(List.of(venv().resolve("bin/python").toString(), "-c", code), dir, 300);
    if (r.exitCode() != 0) {
      throw new AssertionError("python failed:\n" + r.stdout());
    }
    return r.stdout();
  }

  private static Result exec(List<String> cmd, Path dir, int timeoutSeconds) {
    Result r = run(cmd, dir, timeoutSeconds);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + r.stdout());
    }
    return r;
  }

  /** Runs a command with DVC's analytics and update checks off; killed after {@code timeoutSeconds}. */
  public static Result run(List<String> cmd, Path dir, int timeoutSeconds) {
    return run(cmd, dir, timeoutSeconds, Map.of());
  }

  private static Result run(List<String> cmd, Path dir, int timeoutSeconds, Map<String, String> extraEnv) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("DVC_NO_ANALYTICS", "1");
    env.put("DVC_NO_UPDATER", "1");
    env.put("DVC_SITE_CACHE_DIR", dir.resolve(".dvc/tmp/site").toString());
    // gcsfs (dvc-gs) first asks a gRPC API for the bucket's hierarchical-namespace layout; fake-gcs-server
    // lacks it and every call then waits ~60 s for the timeout. DVC users on an emulator need the same.
    env.put("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false");
    env.put("GIT_AUTHOR_NAME", "test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.invalid");
    env.put("GIT_COMMITTER_NAME", "test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.invalid");
    env.putAll(extraEnv);
    Processes.Result r = Processes.run(cmd, dir, env, java.time.Duration.ofSeconds(timeoutSeconds));
    return new Result(r.exitCode(), r.output());
  }
}
