package io.mlops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the servers the tests start as local processes on 127.0.0.1 (moto, Azurite, nginx, sshd) have in common: a
 * free port, waiting until the process answers (or failing with its log), stopping it, and the rule for a server
 * that is not installed: fail under CI, skip elsewhere, with the line that installs it.
 */
public final class LocalServers {
  private LocalServers() {}

  /** Whether the server answers yet; an {@link IOException} means not yet. */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws IOException;
  }

  /** A free TCP port on the loopback interface. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls {@code probe} every {@code every} until it says ready; fails with the server's log when the process exits
   * or {@code timeout} passes (then the process is stopped).
   */
  public static void awaitReady(Process process, String name, String where, Duration timeout, Duration every,
      Probe probe, Supplier<String> log) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited (" + process.exitValue() + "):\n" + log.get());
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    stop(process);
    throw new IllegalStateException(name + " did not answer on " + where + " within " + timeout.toSeconds()
        + " s:\n" + log.get());
  }

  /** The HTTP status {@code url} answers with (1 s to connect, 5 s to answer). */
  public static int httpStatus(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(5000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops a server: asked first, killed after 10 s. */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Deletes a server's directory (its data, keys, logs); best effort. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /** A log file's text, or a line saying why there is none. */
  public static String read(Path logFile) {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** A server that is not installed: the test fails under CI ({@code CI=true}) and is skipped elsewhere. */
  public static void missing(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }
}
