package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fake-gcs-server in a container (image from scripts/build-images.sh), driven by the Java client. */
@RequiresDocker
class FakeGcsTest extends GcsEmulatorContract {

    private static FakeGcs gcs;

    @BeforeAll
    static void startContainer() {
        gcs = new FakeGcs();
        gcs.start();
    }

    @AfterAll
    static void stopContainer() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @Override
    GcsEmulator emulator() {
        return gcs;
    }

    @Test
    void runsTheDefaultImageInHostNetworkMode() {
        assertEquals(System.getProperty(FakeGcs.IMAGE_PROPERTY, FakeGcs.DEFAULT_IMAGE), gcs.getDockerImageName());
        assertEquals("host", gcs.getNetworkMode());
        assertTrue(gcs.isRunning());
        assertEquals("http://127.0.0.1:" + gcs.port(), gcs.endpoint());
    }

    @Test
    void missingImageFailsAtOnceWithAHint() {
        long start = System.nanoTime();
        try (FakeGcs missing = new FakeGcs("local/fake-gcs-server:does-not-exist")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, missing::start);
            assertTrue(e.getMessage().contains("scripts/build-images.sh"), e.getMessage());
            assertTrue(e.getMessage().contains("local/fake-gcs-server:does-not-exist"), e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "no pull retries, took " + took);
    }

    @Test
    void clientIsNotAvailableBeforeStart() {
        try (FakeGcs notStarted = new FakeGcs()) {
            assertThrows(IllegalStateException.class, notStarted::endpoint);
            assertThrows(IllegalStateException.class, notStarted::storage);
        }
    }
}
