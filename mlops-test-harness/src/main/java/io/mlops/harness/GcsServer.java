package io.mlops.harness;

import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * fake-gcs-server for one test class, as a JUnit 5 extension: started before the class's tests (and its
 * {@code @BeforeAll} methods), stopped after them.
 *
 * <pre>{@code
 * @RegisterExtension static final GcsServer gcs = new GcsServer();              // a local process
 * @RegisterExtension static final GcsServer gcs = GcsServer.container();        // a Docker container
 * }</pre>
 *
 * <p>The process needs the binary ({@link FakeGcs#defaultBinary()}): without it the tests are skipped, except
 * under {@code CI=true}, where they fail. The container needs a Docker engine and the image
 * ({@link FakeGcs#DEFAULT_IMAGE}, built locally by {@code scripts/build-images.sh}); combine it with
 * {@link RequiresDocker} for the same skip-or-fail rule.
 */
public final class GcsServer implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<GcsEmulator> starter;
    private GcsEmulator emulator;

    /** fake-gcs-server as a local process on 127.0.0.1. */
    public GcsServer() {
        this(GcsTesting::startServer);
    }

    private GcsServer(Supplier<GcsEmulator> starter) {
        this.starter = starter;
    }

    /** fake-gcs-server in a Docker container (network mode host). */
    public static GcsServer container() {
        return new GcsServer(() -> {
            FakeGcs gcs = new FakeGcs();
            gcs.start();
            return gcs;
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.stop();
            emulator = null;
        }
    }

    /** The running emulator. */
    public GcsEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException(
                    "the fake GCS server is not running: register GcsServer as a static @RegisterExtension field");
        }
        return emulator;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return emulator().endpoint();
    }

    /** A client for the server, without credentials. */
    public Storage storage() {
        return emulator().storage();
    }

    public Bucket createBucket(String name) {
        return emulator().createBucket(name);
    }

    /**
     * Adds a gs:// remote on this server to a repository with real DVC, with the options DVC needs for an emulator:
     * {@code endpointurl} and {@code allow_anonymous_login}.
     */
    public void addDvcRemote(Path repo, String name, String url, boolean isDefault) {
        if (isDefault) {
            DvcOracle.dvc(repo, "remote", "add", "-d", name, url);
        } else {
            DvcOracle.dvc(repo, "remote", "add", name, url);
        }
        DvcOracle.dvc(repo, "remote", "modify", name, "endpointurl", endpoint());
        DvcOracle.dvc(repo, "remote", "modify", name, "allow_anonymous_login", "true");
    }
}
