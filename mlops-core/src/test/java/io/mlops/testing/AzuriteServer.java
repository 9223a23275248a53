package io.mlops.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import io.mlops.internal.remote.AzureHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Azure Blob Storage emulator for tests: Azurite's blob service ({@code .tools/azurite}, installed by
 * {@code bash scripts/test-servers.sh}), run as a process on 127.0.0.1 on a free port with its data in a temporary
 * directory, stopped (and the directory removed) on {@link #close()}.
 *
 * <p>When Azurite is missing the test fails under CI ({@code CI=true}) and is skipped elsewhere, naming the
 * command that installs it.
 */
public final class AzuriteServer implements AutoCloseable {
  public static final String INSTALL = "bash scripts/test-servers.sh";
  /** Azurite's well-known development account and key. */
  public static final String ACCOUNT = "devstoreaccount1";
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;
  private final Path location;
  private final Path logFile;

  private AzuriteServer(Process process, int port, Path location, Path logFile) {
    this.process = process;
    this.port = port;
    this.location = location;
    this.logFile = logFile;
  }

  /** Starts Azurite's blob service. */
  public static AzuriteServer start() {
    Path bin = executable();
    int port = LocalServers.freePort();
    try {
      Path location = Files.createTempDirectory("azurite-");
      Path log = Files.createTempFile("azurite-" + port + "-", ".log");
      List<String> cmd = List.of(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
          "--location", location.toString(), "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .directory(location.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.endsWith("_PROXY") || k.endsWith("_proxy"));
      AzuriteServer server = new AzuriteServer(pb.start(), port, location, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + bin, e);
    }
  }

  private static Path executable() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    Path root = p == null ? Path.of("").toAbsolutePath() : p;
    Path bin = root.resolve(".tools/azurite/node_modules/.bin/azurite-blob");
    if (!Files.isExecutable(bin)) {
      String msg = "Azurite (Azure Blob Storage emulator for the azure:// remote tests) is not installed: " + bin
          + " is missing. Install it with:\n  " + INSTALL;
      LocalServers.missing(msg);
    }
    return bin;
  }

  private void awaitReady() {
    // any HTTP answer (403 without credentials) means the service is up
    LocalServers.awaitReady(process, "azurite-blob", endpoint(), Duration.ofSeconds(90), Duration.ofMillis(200),
        () -> LocalServers.httpStatus(endpoint() + "?comp=list") > 0, this::log);
  }

  public int port() {
    return port;
  }

  /** The account's blob endpoint, {@code http://127.0.0.1:PORT/devstoreaccount1}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /** A connection string for the development account, understood by the Java SDK and by adlfs. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
        + endpoint() + ";";
  }

  /** What the server printed so far. */
  public String log() {
    return LocalServers.read(logFile);
  }

  /** A client of this server with the development account's key. */
  public BlobServiceClient client() {
    return new BlobServiceClientBuilder().connectionString(connectionString())
        .httpClient(new AzureHttp(Duration.ofSeconds(10), Duration.ofSeconds(30))).buildClient();
  }

  /** Creates a container. */
  public void createContainer(String name) {
    client().createBlobContainer(name);
  }

  /** Every blob of a container (name → bytes as ISO-8859-1 text), sorted by name, for byte comparisons. */
  public Map<String, String> blobs(String container) {
    BlobContainerClient c = client().getBlobContainerClient(container);
    Map<String, String> out = new TreeMap<>();
    for (BlobItem b : c.listBlobs()) {
      out.put(b.getName(), new String(c.getBlobClient(b.getName()).downloadContent().toBytes(),
          StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  /** Every blob name of a container, sorted. */
  public List<String> names(String container) {
    return new ArrayList<>(blobs(container).keySet());
  }

  @Override
  public void close() {
    LocalServers.stop(process);
    LocalServers.deleteTree(location);
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      // best effort
    }
  }
}
