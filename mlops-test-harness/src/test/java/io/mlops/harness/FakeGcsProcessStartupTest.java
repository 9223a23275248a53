package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup failures of {@link FakeGcsProcess}; needs neither Docker nor the real binary. */
class FakeGcsProcessStartupTest {

    @TempDir
    Path dir;

    @Test
    void missingBinaryNamesTheScript() {
        FakeGcsProcess gcs = FakeGcs.process(dir.resolve("nope"));
        IllegalStateException e = assertThrows(IllegalStateException.class, gcs::start);
        assertTrue(e.getMessage().contains("scripts/build-images.sh"), e.getMessage());
        assertTrue(e.getMessage().contains(FakeGcs.BINARY_PROPERTY), e.getMessage());
    }

    @Test
    void earlyExitReportsCodeAndOutput() throws Exception {
        Path fake = script("echo 'flag provided but not defined: -scheme' >&2\nexit 3\n");
        FakeGcsProcess gcs = FakeGcs.process(fake);
        IllegalStateException e = assertThrows(IllegalStateException.class, gcs::start);
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("flag provided but not defined"), e.getMessage());
        assertTrue(e.getMessage().contains("-backend memory"), e.getMessage());
    }

    @Test
    void silentServerTimesOut() throws Exception {
        Path fake = script("exec sleep 30\n");
        FakeGcsProcess gcs = new FakeGcsProcess(fake, Duration.ofMillis(300));
        IllegalStateException e = assertThrows(IllegalStateException.class, gcs::start);
        assertTrue(e.getMessage().contains("did not log \"server started at\""), e.getMessage());
        assertThrows(IllegalStateException.class, gcs::endpoint);
    }

    @Test
    void serverArgsKeepEverythingOnLoopback() {
        assertEquals(
                "-scheme http -backend memory -port 4711 -host 127.0.0.1"
                        + " -external-url http://127.0.0.1:4711 -public-host 127.0.0.1:4711",
                String.join(" ", StorageClients.serverArgs(4711)));
    }

    private Path script(String body) throws Exception {
        Path file = dir.resolve("fake-gcs-server");
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
