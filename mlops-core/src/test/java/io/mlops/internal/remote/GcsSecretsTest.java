package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.harness.FakeGcsProcess;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real service-account flow (a generated key, a local OAuth token endpoint that checks the JWT's signature,
 * fake-gcs-server) with every log turned up: the engine's debug log, java.util.logging at ALL for the Google
 * clients, stdout and stderr. No line of the private key, its id, the signed assertion or an access token
 * reaches any of them, on success or when the token endpoint refuses the key.
 */
class GcsSecretsTest {
  @TempDir Path root;
  @TempDir Path home;

  /** Collects every JUL record at every level, formatted with parameters and stack traces. */
  static final class Collector extends Handler {
    final List<String> records = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(LogRecord r) {
      StringBuilder b = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage());
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          b.append(' ').append(p);
        }
      }
      if (r.getThrown() != null) {
        StringWriter w = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(w));
        b.append('\n').append(w);
      }
      records.add(b.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void noKeyMaterialOrTokenInAnyLogOrError() throws Exception {
    Collector jul = new Collector();
    jul.setLevel(Level.ALL);
    List<Logger> loggers = new ArrayList<>();
    for (String name : List.of("", "com.google", "com.google.api.client.http", "com.google.auth")) {
      Logger l = Logger.getLogger(name);
      loggers.add(l); // held, so the configured levels survive garbage collection
      l.setLevel(Level.ALL);
    }
    loggers.get(0).addHandler(jul);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
    CapturingLog log = new CapturingLog(true);
    List<String> texts = new ArrayList<>();
    TestKeys.Key key;
    List<String> tokens;
    List<String> assertions;
    try (FakeGcsProcess gcs = GcsTesting.startServer(); TestKeys.TokenServer tokenServer = new TestKeys.TokenServer()) {
      key = TestKeys.serviceAccount(tokenServer.tokenUri());
      tokenServer.trust(key.publicKey());
      String bucket = GcsTesting.uniqueBucket("secrets");
      gcs.createBucket(bucket);
      Map<String, String> env = GcsTesting.env(home, "GOOGLE_SERVICE_ACCOUNT_KEY", key.base64());
      System.setOut(tee);
      System.setErr(tee);
      try {
        Repo.init(root, true, log);
        Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
            + "['remote \"store\"']\n    url = gs://" + bucket + "/p\n    endpointurl = " + gcs.endpoint() + "\n");
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/a.txt"), "a\n");
        try (Repo repo = Repo.open(root, log, env, 1)) {
          new Workspace(repo).add(List.of("data"));
          assertEquals(2, new Sync(repo).push(new Sync.Request(List.of(), null, 2, false)).transferred());
        }
        PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
        try (Repo repo = Repo.open(root, log, env, 1)) {
          assertEquals(2, new Sync(repo).pull(new Sync.Request(List.of(), null, 2, false), false).transferred());
        }
        assertFalse(tokenServer.issued().isEmpty(), "the key was really exchanged for a token");

        tokenServer.refuseAll(true);
        Files.writeString(root.resolve("data/b.txt"), "b\n");
        try (Repo repo = Repo.open(root, log, env, 1)) {
          new Workspace(repo).add(List.of("data"));
          MlopsException refused = assertThrows(MlopsException.class,
              () -> new Sync(repo).push(new Sync.Request(List.of(), null, 2, false)));
          assertTrue(refused.getMessage().contains("GOOGLE_SERVICE_ACCOUNT_KEY"), refused.getMessage());
          texts.add(stackTrace(refused));
        }
      } finally {
        System.setOut(out);
        System.setErr(err);
        loggers.get(0).removeHandler(jul);
        for (Logger l : loggers) {
          l.setLevel(null);
        }
        loggers.get(0).setLevel(Level.INFO);
      }
      tokens = tokenServer.issued();
      assertions = tokenServer.assertions();
    }
    texts.addAll(log.lines());
    texts.addAll(jul.records);
    texts.add(console.toString(StandardCharsets.UTF_8));
    assertTrue(jul.records.size() > 0, "the Google clients logged at FINE and below");
    List<String> secrets = new ArrayList<>(key.privateKeyLines());
    secrets.add(key.privateKeyId());
    secrets.add(key.base64().substring(0, 40));
    secrets.addAll(tokens);
    for (String a : assertions) {
      secrets.add(a.substring(a.lastIndexOf('.') + 1)); // the signature
    }
    for (String text : texts) {
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "a secret reached the logs:\n" + text);
      }
    }
  }
}
