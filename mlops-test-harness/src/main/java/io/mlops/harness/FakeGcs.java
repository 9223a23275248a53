package io.mlops.harness;

import com.github.dockerjava.api.exception.NotFoundException;
import com.google.cloud.storage.Storage;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * fsouza/fake-gcs-server in a Docker container, for tests of code that talks to Google Cloud Storage.
 *
 * <p>Made for build machines that reach no container registry:
 *
 * <ul>
 *   <li>the image is never pulled; it must exist locally (built by {@code scripts/build-images.sh},
 *       which tags it both {@code local/fake-gcs-server:1.55.1} and {@value #DEFAULT_IMAGE}), and a
 *       missing image fails {@link #start()} at once with a message saying how to get it;
 *   <li>the container runs in network mode {@code host} on a port chosen free on the host, listens on
 *       127.0.0.1 only, and is ready when it logs "server started at". The image may be a {@code FROM
 *       scratch} image: nothing is executed inside the container.
 * </ul>
 *
 * <p>The server runs with {@code -scheme http -backend memory} and the external URL and public host
 * set to its own address, so resumable uploads come back to the same port.
 *
 * <pre>{@code
 * try (FakeGcs gcs = new FakeGcs()) {
 *     gcs.start();
 *     gcs.createBucket("b");
 *     gcs.storage().create(BlobInfo.newBuilder("b", "o").build(), bytes);
 * }
 * }</pre>
 *
 * <p>Testcontainers needs {@code TESTCONTAINERS_RYUK_DISABLED=true} here (the Ryuk image cannot be
 * pulled) and, on hosts with a {@code /.dockerenv} file, {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}.
 * For machines without Docker use {@link #process(Path)}.
 */
public class FakeGcs extends GenericContainer<FakeGcs> implements GcsEmulator {

    /** The image used by {@link #FakeGcs()} unless system property {@value #IMAGE_PROPERTY} is set. */
    public static final String DEFAULT_IMAGE = "fsouza/fake-gcs-server:1.55.1";

    /** System property overriding {@link #DEFAULT_IMAGE}. */
    public static final String IMAGE_PROPERTY = "mlops.fakeGcs.image";

    /** System property naming the fake-gcs-server binary for {@link #process()}. */
    public static final String BINARY_PROPERTY = "mlops.fakeGcs.binary";

    /** Where {@code scripts/build-images.sh} keeps the binary; default of {@value #BINARY_PROPERTY}. */
    public static final String DEFAULT_BINARY = "/var/tmp/mlops-tools/fake-gcs-server";

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private int port;
    private Storage storage;

    /** A container on {@value #DEFAULT_IMAGE}, or the image named by {@value #IMAGE_PROPERTY}. */
    public FakeGcs() {
        this(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE));
    }

    /**
     * A container on the given local image.
     *
     * @param image image name with an exact tag, e.g. {@code local/fake-gcs-server:1.55.1}
     */
    public FakeGcs(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * A container on the given local image.
     *
     * @param image image name with an exact tag
     */
    public FakeGcs(DockerImageName image) {
        super(image);
        withImagePullPolicy(name -> false);
        withNetworkMode("host");
        waitingFor(Wait.forLogMessage("(?s).*server started at.*", 1).withStartupTimeout(STARTUP_TIMEOUT));
    }

    /**
     * Returns an emulator that runs the fake-gcs-server binary as a local process, for machines
     * without Docker. It is not started yet.
     *
     * @param binary a fake-gcs-server executable (for example the one kept by {@code
     *     scripts/build-images.sh} at {@value #DEFAULT_BINARY})
     * @return the unstarted process emulator
     */
    public static FakeGcsProcess process(Path binary) {
        return new FakeGcsProcess(binary);
    }

    /**
     * Returns {@link #process(Path)} for {@link #defaultBinary()}.
     *
     * @return the unstarted process emulator
     */
    public static FakeGcsProcess process() {
        return process(defaultBinary());
    }

    /**
     * Returns the fake-gcs-server binary named by system property {@value #BINARY_PROPERTY}, or
     * {@value #DEFAULT_BINARY}. The file may not exist.
     *
     * @return the configured binary path
     */
    public static Path defaultBinary() {
        return Paths.get(System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY));
    }

    /**
     * Chooses a free port, checks that the image exists locally and starts the container.
     *
     * @throws IllegalStateException if the image is not present locally
     */
    @Override
    public void start() {
        if (getContainerId() != null) {
            return;
        }
        requireLocalImage();
        port = StorageClients.freeLoopbackPort();
        setCommand(StorageClients.serverArgs(port));
        super.start();
    }

    private void requireLocalImage() {
        String image = getDockerImageName();
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException(
                    "Docker image " + image + " is not present locally and is never pulled (no container"
                            + " registry is reachable from the build machines). Build it with"
                            + " scripts/build-images.sh fake-gcs (needs the Go module proxy), or run `docker"
                            + " pull " + image + "` where a registry is reachable.",
                    e);
        }
    }

    /**
     * Returns the server's port on 127.0.0.1.
     *
     * @return the port
     * @throws IllegalStateException if the container has not been started
     */
    public int port() {
        requireRunning();
        return port;
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
    public void stop() {
        synchronized (this) {
            StorageClients.closeQuietly(storage);
            storage = null;
        }
        super.stop();
        port = 0;
    }

    @Override
    public void close() {
        stop();
    }

    private void requireRunning() {
        if (getContainerId() == null || port == 0) {
            throw new IllegalStateException("fake-gcs-server container is not started");
        }
    }
}
