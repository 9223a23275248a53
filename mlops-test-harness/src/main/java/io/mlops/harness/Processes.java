package io.mlops.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command with a time limit that holds: its output (standard error merged in) goes to a file while the
 * caller waits, so a command that hangs without closing its output is killed when the limit is reached, not waited
 * for forever.
 */
public final class Processes {
    /** What a command did: its exit code and its output. */
    public record Result(int exitCode, String output) {}

    private Processes() {}

    /**
     * Runs {@code cmd} in {@code dir} with {@code env} added to this process's environment.
     *
     * @throws IllegalStateException naming the command when it runs longer than {@code limit} (it is killed)
     */
    public static Result run(List<String> cmd, Path dir, Map<String, String> env, Duration limit) {
        Path log = null;
        try {
            log = Files.createTempFile("mlops-process", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + limit
                        + "; it was killed. Its output:\n" + BuildResult.tail(read(log), 60));
            }
            return new Result(p.exitValue(), read(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0) + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd.get(0), e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }
}
