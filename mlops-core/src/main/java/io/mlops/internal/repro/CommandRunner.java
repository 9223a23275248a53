package io.mlops.internal.repro;

import io.mlops.api.EngineLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a stage command the way DVC does: through {@code $SHELL -c} (bash without profile or rc files), in
 * the stage's working directory, with {@code DVC_ROOT} and {@code DVC_STAGE} set; output is streamed to the
 * log line by line.
 */
final class CommandRunner {
  private final Map<String, String> env;

  CommandRunner(Map<String, String> env) {
    this.env = env;
  }

  /** Returns the exit code. */
  int run(String cmd, Path wdir, Path root, String stageAddress, EngineLog log, String prefix)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(shell());
    argv.add(cmd);
    ProcessBuilder pb = new ProcessBuilder(argv).directory(wdir.toFile()).redirectErrorStream(true);
    pb.environment().put("DVC_ROOT", root.toString());
    pb.environment().put("DVC_STAGE", stageAddress);
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        log.info(prefix + line);
      }
    } finally {
      if (p.isAlive() && Thread.currentThread().isInterrupted()) {
        p.destroyForcibly();
      }
    }
    return p.waitFor();
  }

  private List<String> shell() {
    String sh = env.get("SHELL");
    if (sh == null || sh.isBlank()) {
      sh = "/bin/sh";
    }
    String name = Path.of(sh).getFileName().toString();
    if ("bash".equals(name)) {
      return List.of(sh, "--noprofile", "--norc", "-c");
    }
    if ("zsh".equals(name)) {
      return List.of(sh, "--no-rcs", "-c");
    }
    return List.of(sh, "-c");
  }
}
