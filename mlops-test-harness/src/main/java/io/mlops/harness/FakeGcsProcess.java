package io.mlops.harness;

import com.google.cloud.storage.Storage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * fake-gcs-server started as a local process on 127.0.0.1, for machines without Docker. Same flags
 * and behaviour as {@link FakeGcs}; obtain one with {@link FakeGcs#process(Path)}.
 *
 * <p>The process's output is kept (last {@value #KEPT_LINES} lines) for error messages and logged at
 * DEBUG through {@link System.Logger}. A JVM shutdown hook kills the process if {@link #stop()} is
 * never called.
 */
public final class FakeGcsProcess implements GcsEmulator {

    static final int KEPT_LINES = 200;
    private static final int START_ATTEMPTS = 3;
    private static final System.Logger LOG = System.getLogger(FakeGcsProcess.class.getName());

    private final Path binary;
    private final Duration startupTimeout;
    private final Deque<String> output = new ArrayDeque<>();

    private Process process;
    private Thread shutdownHook;
    private int port;
    private Storage storage;

    FakeGcsProcess(Path binary) {
        this(binary, FakeGcs.STARTUP_TIMEOUT);
    }

    FakeGcsProcess(Path binary, Duration startupTimeout) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
    }

    /**
     * Returns the executable this emulator runs.
     *
     * @return the fake-gcs-server binary
     */
    public Path binary() {
        return binary;
    }

    /**
     * Starts the server on a free port and waits for its "server started at" line. Retries with
     * another port if the process exits early (e.g. the port was taken in the meantime).
     *
     * @throws IllegalStateException if the binary is missing or the server does not start
     */
    @Override
    public synchronized void start() {
        if (process != null) {
            return;
        }
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    "fake-gcs-server binary " + binary + " not found or not executable. Build it with"
                            + " scripts/build-images.sh fake-gcs (needs the Go module proxy), or point system"
                            + " property " + FakeGcs.BINARY_PROPERTY + " at one.");
        }
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                startOnce(StorageClients.freeLoopbackPort());
                return;
            } catch (IllegalStateException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private void startOnce(int candidatePort) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(StorageClients.serverArgs(candidatePort)));
        synchronized (output) {
            output.clear();
        }
        Process started;
        try {
            started = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Thread pump = new Thread(() -> pump(started, ready), "fake-gcs-server-" + candidatePort);
        pump.setDaemon(true);
        pump.start();

        boolean up;
        try {
            up = waitUntilReady(started, ready);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(started);
            throw new IllegalStateException("interrupted while starting fake-gcs-server", e);
        }
        if (!up) {
            String what = started.isAlive()
                    ? "fake-gcs-server did not log \"server started at\" within " + startupTimeout
                    : "fake-gcs-server exited with code " + exitCode(started) + " during startup";
            kill(started);
            throw new IllegalStateException(
                    what + "; command: " + String.join(" ", command) + "; output:\n" + recentOutput());
        }
        process = started;
        port = candidatePort;
        shutdownHook = new Thread(() -> kill(started), "fake-gcs-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.log(System.Logger.Level.DEBUG, "fake-gcs-server pid {0} listening on {1}", started.pid(), endpoint());
    }

    private boolean waitUntilReady(Process started, CountDownLatch ready) throws InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.await(100, TimeUnit.MILLISECONDS)) {
                return started.isAlive();
            }
            if (!started.isAlive()) {
                return false;
            }
        }
        return false;
    }

    private void pump(Process started, CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    if (output.size() == KEPT_LINES) {
                        output.removeFirst();
                    }
                    output.addLast(line);
                }
                LOG.log(System.Logger.Level.DEBUG, "fake-gcs-server: {0}", line);
                if (line.contains("server started at")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // stream closed because the process ended
        }
    }

    /**
     * Returns the last lines the server printed (stdout and stderr merged).
     *
     * @return up to {@value #KEPT_LINES} lines, oldest first
     */
    public String recentOutput() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Returns the server's port on 127.0.0.1.
     *
     * @return the port
     * @throws IllegalStateException if the server has not been started
     */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    /**
     * Tells whether the process is running.
     *
     * @return {@code true} between a successful {@link #start()} and {@link #stop()}, while the process lives
     */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public synchronized Storage storage() {
        requireRunning();
        if (storage == null) {
            storage = StorageClients.forEndpoint(endpoint());
        }
        return storage;
    }

    @Override
    public synchronized void stop() {
        StorageClients.closeQuietly(storage);
        storage = null;
        if (process == null) {
            return;
        }
        kill(process);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to run; the process is gone anyway
            }
            shutdownHook = null;
        }
        process = null;
        port = 0;
    }

    private void requireRunning() {
        if (process == null) {
            throw new IllegalStateException("fake-gcs-server process is not started");
        }
    }

    private static void kill(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String exitCode(Process p) {
        try {
            return Integer.toString(p.waitFor(1, TimeUnit.SECONDS) ? p.exitValue() : -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public String toString() {
        return "FakeGcsProcess[" + binary + (process != null ? ", port " + port : ", not started") + "]";
    }
}
