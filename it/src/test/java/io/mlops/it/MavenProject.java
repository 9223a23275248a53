package io.mlops.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A copy of an example project, as a fresh clone would have it, and real Maven runs on it. */
final class MavenProject {
  /** The outcome of one Maven run. */
  record Run(int exitCode, String log) {
    boolean succeeded() {
      return exitCode == 0;
    }

    /** Fails the test with the log's last 60 lines unless Maven succeeded. */
    void assertSucceeded() {
      if (!succeeded()) {
        throw new AssertionError("Maven failed:\n" + tail(log));
      }
    }

    static String tail(String log) {
      String[] lines = log.split("\n");
      return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }
  }

  private final Path dir;

  private MavenProject(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Copies the git-tracked files of {@code examples/<name>} (and their sibling remote directory, if any)
   * into {@code work}, then makes it a git repository with one commit.
   */
  static MavenProject cloneExample(String name, Path work) throws IOException {
    Path examples = Path.of(System.getProperty("mlops.examples")).toAbsolutePath().normalize();
    Path repoRoot = examples.getParent();
    List<String> files = new ArrayList<>();
    for (String sub : List.of(name, name + "-remote")) {
      String out = exec(List.of("git", "ls-files", "-z", "examples/" + sub), repoRoot).log();
      for (String f : out.split("\0")) {
        if (!f.isBlank()) {
          files.add(f);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no tracked files under examples/" + name + " in " + repoRoot);
    }
    for (String f : files) {
      Path target = work.resolve(f.substring("examples/".length()));
      Files.createDirectories(target.getParent());
      Files.copy(repoRoot.resolve(f), target);
    }
    Path dir = work.resolve(name);
    exec(List.of("git", "init", "-q"), dir);
    exec(List.of("git", "add", "-A"), dir);
    exec(List.of("git", "-c", "user.name=it", "-c", "user.email=it@example.invalid", "commit", "-q", "-m", "clone"),
        dir);
    return new MavenProject(dir);
  }

  /** Real DVC 3.67.1 from the virtualenv the plugin's tests make ({@code mlops.dvc.venv}); fails when it is missing. */
  static Path dvc() {
    String venv = System.getProperty("mlops.dvc.venv");
    Path dvc = Path.of(venv == null ? ".venv" : venv).resolve("bin/dvc");
    if (!Files.isExecutable(dvc)) {
      throw new AssertionError("DVC 3.67.1 is needed at " + dvc + ": .ci/run makes that virtualenv (python3 -m venv"
          + " .venv && .venv/bin/pip install 'dvc[gs,s3]==3.67.1'), and so do the plugin's tests on first use");
    }
    return dvc;
  }

  /**
   * Runs real DVC in the project and fails with its output unless it succeeds. gcsfs is told not to probe a
   * gRPC API fake-gcs-server lacks (each probe would wait a minute).
   */
  String dvc(String... args) {
    List<String> cmd = new ArrayList<>(List.of(dvc().toString()));
    cmd.addAll(List.of(args));
    Run r = exec(cmd, dir, Map.of("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false", "DVC_NO_UPDATER", "1"));
    if (r.exitCode() != 0) {
      throw new AssertionError("dvc " + String.join(" ", args) + " failed (" + r.exitCode() + "):\n" + r.log());
    }
    return r.log();
  }

  /** Deletes a file or directory tree of the project, if present. */
  void delete(String rel) {
    Path root = dir.resolve(rel);
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs Maven (the one running this build) offline in batch mode with the given arguments. */
  Run mvn(String... args) {
    return maven(true, args);
  }

  /**
   * Like {@link #mvn}, but online, for an example whose libraries and plugins the build of this project
   * does not already bring into the local repository (they are downloaded there on first use).
   */
  Run mvnResolving(String... args) {
    return maven(false, args);
  }

  private Run maven(boolean offline, String... args) {
    return exec(command(offline, args), dir);
  }

  private List<String> command(boolean offline, String... args) {
    String home = System.getProperty("maven.home");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(home, "bin", "mvn").toString());
    cmd.add("-B");
    if (offline) {
      cmd.add("-o");
    }
    cmd.add("-ntp");
    cmd.add("-Dmlops.version=" + System.getProperty("mlops.version"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Commits every change in the project (a clean build sees only commits). */
  void commit(String message) {
    exec(List.of("git", "add", "-A"), dir);
    exec(List.of("git", "-c", "user.name=it", "-c", "user.email=it@example.invalid", "commit", "-q", "-m", message),
        dir);
  }

  String read(String rel) {
    try {
      return Files.readString(dir.resolve(rel), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String rel, String text) {
    try {
      Files.writeString(dir.resolve(rel), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Run exec(List<String> cmd, Path dir) {
    return exec(cmd, dir, Map.of());
  }

  static Run exec(List<String> cmd, Path dir, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().put("DVC_NO_ANALYTICS", "1");
      pb.environment().putAll(env);
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
