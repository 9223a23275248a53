package io.mlops.harness;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Helpers shared by the emulator implementations. */
final class StorageClients {

    private StorageClients() {}

    /**
     * Builds a client for an emulator: explicit host and project, {@link NoCredentials} (so no
     * Application Default Credentials or metadata-server look-up happens) and no retries (retries
     * interact badly with fake-gcs-server's approximate resumable-upload semantics).
     */
    static Storage forEndpoint(String endpoint) {
        return StorageOptions.http()
                .setHost(endpoint)
                .setProjectId(GcsEmulator.PROJECT_ID)
                .setCredentials(NoCredentials.getInstance())
                .setRetrySettings(ServiceOptions.getNoRetrySettings())
                .build()
                .getService();
    }

    /** Closes a client, ignoring failures (used on shutdown paths). */
    static void closeQuietly(Storage storage) {
        if (storage == null) {
            return;
        }
        try {
            storage.close();
        } catch (Exception ignored) {
            // nothing useful to do while stopping
        }
    }

    /** Returns a TCP port that is free on 127.0.0.1 right now (the usual small race applies). */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    /** The fake-gcs-server command line (after the program name) for a port on 127.0.0.1. */
    static String[] serverArgs(int port) {
        String hostPort = "127.0.0.1:" + port;
        return new String[] {
            "-scheme", "http",
            "-backend", "memory",
            "-port", Integer.toString(port),
            "-host", "127.0.0.1",
            "-external-url", "http://" + hostPort,
            "-public-host", hostPort
        };
    }
}
