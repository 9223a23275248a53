package io.mlops.testing;

import io.mlops.harness.DvcOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: moto's server mode ({@code moto_server}) from the project's
 * {@code .venv}, run as a process on 127.0.0.1 on a free port, stopped on {@link #close()}.
 *
 * <p>When moto is missing the test fails under CI ({@code CI=true}) and is skipped elsewhere, with the pip
 * line that installs it ({@link #PIP_INSTALL}).
 */
public final class MotoServer implements AutoCloseable {
  public static final String VERSION = "5.2.5";
  /** The requirement installed next to DVC (botocore stays at the version DVC's aiobotocore pinned). */
  public static final String REQUIREMENT = DvcOracle.MOTO_REQUIREMENT;
  public static final String PIP_INSTALL = ".venv/bin/pip install \"" + REQUIREMENT + "\" "
      + "\"botocore==$(.venv/bin/python -c 'import botocore; print(botocore.__version__)')\"";
  /** Dummy keys moto accepts when it does not enforce IAM. */
  public static final String ACCESS_KEY = "testing";
  public static final String SECRET_KEY = "testing";

  private final Process process;
  private final int port;
  private final Path logFile;

  private MotoServer(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /** Starts moto accepting any credentials. */
  public static MotoServer start() {
    return start(Map.of());
  }

  /**
   * Starts moto with extra environment variables, e.g. {@code INITIAL_NO_AUTH_ACTION_COUNT=0} to make it
   * check credentials against its IAM.
   */
  public static MotoServer start(Map<String, String> extraEnv) {
    Path bin = executable();
    int port = LocalServers.freePort();
    try {
      Path log = Files.createTempFile("moto-" + port + "-", ".log");
      List<String> cmd = List.of(bin.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MOTO_") || k.endsWith("_PROXY")
          || k.endsWith("_proxy"));
      env.putAll(extraEnv);
      Process p = pb.start();
      MotoServer server = new MotoServer(p, port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + bin, e);
    }
  }

  private static Path executable() {
    Path bin = DvcOracle.venv().resolve("bin").resolve("moto_server");
    if (!Files.isExecutable(bin)) {
      String msg = "moto " + VERSION + " (S3 server for the S3 remote tests) is not installed: " + bin
          + " is missing. Install it with:\n  " + PIP_INSTALL;
      LocalServers.missing(msg);
    }
    return bin;
  }

  private void awaitReady() {
    LocalServers.awaitReady(process, "moto_server", endpoint(), Duration.ofSeconds(90), Duration.ofMillis(200),
        () -> LocalServers.httpStatus(endpoint() + "/moto-api/data.json") == 200, this::log);
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** What the server printed so far. */
  public String log() {
    return LocalServers.read(logFile);
  }

  /** A client of this server with the dummy keys (path-style, us-east-1, no extra checksums). */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    try (S3Client c = client()) {
      c.createBucket(b -> b.bucket(name));
    }
  }

  /** Every key in a bucket, sorted. */
  public List<String> keys(String bucket) {
    List<String> out = new ArrayList<>();
    try (S3Client c = client()) {
      for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        out.add(o.key());
      }
    }
    out.sort(null);
    return out;
  }

  /** Every object of a bucket (key → bytes as ISO-8859-1 text), for byte comparisons. */
  public Map<String, String> objects(String bucket) {
    Map<String, String> out = new HashMap<>();
    try (S3Client c = client()) {
      for (String k : keys(bucket)) {
        out.put(k, new String(c.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asByteArray(),
            StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  /** Forgets every bucket and object (moto's reset API). */
  public void reset() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/moto-api/reset").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.getOutputStream().close();
      int code = c.getResponseCode();
      c.disconnect();
      if (code != 200) {
        throw new IllegalStateException("moto reset answered " + code);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    LocalServers.stop(process);
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException e) {
      // best effort
    }
  }
}
