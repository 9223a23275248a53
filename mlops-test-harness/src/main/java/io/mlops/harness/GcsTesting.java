package io.mlops.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** fake-gcs-server for the gs:// remote tests, and environments that pick no credentials up by accident. */
public final class GcsTesting {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private GcsTesting() {}

  /**
   * Starts fake-gcs-server as a local process on 127.0.0.1. Without the binary the test is aborted (skipped),
   * except under {@code CI=true}, where it fails.
   */
  public static FakeGcsProcess startServer() {
    Path binary = FakeGcs.defaultBinary();
    if (!Files.isExecutable(binary) && !"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.abort("fake-gcs-server binary " + binary + " is missing; build it with scripts/build-images.sh fake-gcs");
    }
    FakeGcsProcess gcs = FakeGcs.process(binary);
    gcs.start(); // fails with a clear message when the binary is missing
    return gcs;
  }

  /** A bucket name not used before in this JVM. */
  public static String uniqueBucket(String stem) {
    return stem + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
  }

  /**
   * An environment with HOME in {@code home} (so no gcloud file of the machine is found), PATH and SHELL, and
   * nothing else: no Google variables unless added.
   */
  public static Map<String, String> env(Path home, String... keyValues) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("SHELL", "/bin/sh");
    env.put("DVC_GLOBAL_CONFIG_DIR", home.resolve(".dvc-global").toString());
    env.put("DVC_SYSTEM_CONFIG_DIR", home.resolve(".dvc-system").toString());
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }
}
