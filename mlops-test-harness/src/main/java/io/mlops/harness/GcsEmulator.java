package io.mlops.harness;

import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import org.testcontainers.lifecycle.Startable;

/**
 * A running Google Cloud Storage emulator that tests talk to over HTTP on 127.0.0.1.
 *
 * <p>Two implementations exist: {@link FakeGcs}, fake-gcs-server in a Docker container (network mode
 * host), and {@link FakeGcsProcess}, the same server started as a local process for machines without
 * Docker (see {@link FakeGcs#process(java.nio.file.Path)}). Both are {@link Startable}, so they can be
 * managed by hand ({@code start()} / {@code close()}) or by Testcontainers' JUnit extension.
 */
public interface GcsEmulator extends Startable {

    /** Project id used by {@link #storage()}. */
    String PROJECT_ID = "test-project";

    /**
     * Returns the base URL of the emulator's JSON API.
     *
     * @return {@code http://127.0.0.1:<port>}, without a trailing slash
     * @throws IllegalStateException if the emulator has not been started
     */
    String endpoint();

    /**
     * Returns a storage client bound to this emulator: JSON/HTTP transport, host {@link #endpoint()},
     * project {@value #PROJECT_ID}, no credentials and no retries. The client is created once and
     * closed by {@link #stop()}.
     *
     * @return the shared client
     * @throws IllegalStateException if the emulator has not been started
     */
    Storage storage();

    /**
     * Creates a bucket. The emulator does not create buckets implicitly: uploads into a missing
     * bucket answer 404.
     *
     * @param name the bucket name
     * @return the created bucket
     */
    default Bucket createBucket(String name) {
        return storage().create(com.google.cloud.storage.BucketInfo.of(name));
    }

    /** Stops the emulator and closes the client from {@link #storage()}; no-op if not running. */
    @Override
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
