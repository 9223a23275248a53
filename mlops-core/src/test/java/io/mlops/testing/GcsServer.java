package io.mlops.testing;

import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import io.mlops.harness.FakeGcsProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake-gcs-server process for one test class ({@code @RegisterExtension static final GcsServer gcs = new
 * GcsServer();}): started before the class's tests by {@link GcsTesting#startServer()} (skipped without the binary,
 * failing under {@code CI=true}), stopped after them.
 */
public final class GcsServer implements BeforeAllCallback, AfterAllCallback {
  private FakeGcsProcess process;

  @Override
  public void beforeAll(ExtensionContext context) {
    process = GcsTesting.startServer();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.stop();
      process = null;
    }
  }

  private FakeGcsProcess process() {
    if (process == null) {
      throw new IllegalStateException("the fake GCS server is not running: register GcsServer as a static extension");
    }
    return process;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return process().endpoint();
  }

  /** A client for the server, without credentials. */
  public Storage storage() {
    return process().storage();
  }

  public Bucket createBucket(String name) {
    return process().createBucket(name);
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
