package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fake-gcs-server as a local process (no Docker), using the binary kept by scripts/build-images.sh
 * (system property {@value FakeGcs#BINARY_PROPERTY}).
 */
class FakeGcsProcessTest extends GcsEmulatorContract {

    private static FakeGcsProcess gcs;

    @BeforeAll
    static void startProcess() {
        Path binary = FakeGcs.defaultBinary();
        if (Files.isExecutable(binary)) {
            gcs = FakeGcs.process(binary);
            gcs.start();
        }
    }

    /** Per test, so that a missing binary shows as skipped tests (or failures in CI), not as nothing. */
    @BeforeEach
    void requireBinary() {
        if (gcs == null) {
            DockerRequirement.unavailable("fake-gcs-server binary " + FakeGcs.defaultBinary() + " not found",
                    "build it with scripts/build-images.sh fake-gcs or set -D" + FakeGcs.BINARY_PROPERTY);
        }
    }

    @AfterAll
    static void stopProcess() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @Override
    GcsEmulator emulator() {
        return gcs;
    }

    @Test
    void processIsRunningAndLogsItsAddress() {
        assertTrue(gcs.isRunning());
        assertEquals(FakeGcs.defaultBinary(), gcs.binary());
        assertTrue(gcs.recentOutput().contains("server started at http://127.0.0.1:" + gcs.port()),
                gcs.recentOutput());
    }

    @Test
    void startAndStopAreIdempotent() {
        try (FakeGcsProcess other = FakeGcs.process(gcs.binary())) {
            other.start();
            int port = other.port();
            other.start();
            assertEquals(port, other.port());
            assertFalse(port == gcs.port());
            other.stop();
            assertFalse(other.isRunning());
            other.stop();
        }
    }
}
