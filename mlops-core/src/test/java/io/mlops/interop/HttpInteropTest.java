package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.testing.NginxServer;
import io.mlops.testing.ObjectHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine and real DVC 3.67.1 (dvc-http, aiohttp) share one http(s):// remote: what one pushes the other pulls
 * byte for byte, both write the same paths and bytes, and DVC finds the result clean and in sync. nginx on
 * 127.0.0.1 takes WebDAV PUT ({@code method = PUT} on both sides), with Basic credentials and over TLS with a test
 * CA in {@code ssl_verify}; DVC's default POST uploads go to the JDK-based {@link ObjectHttpServer}.
 */
class HttpInteropTest extends RemoteInteropBase {
  static NginxServer nginx;
  String prefix;

  @BeforeAll
  static void startNginx() {
    nginx = NginxServer.start();
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @BeforeEach
  void prefix() {
    prefix = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** A repository made by DVC with a tracked directory and a tracked file. */
  private Path dvcRepo(String name) {
    return dvcRepo(name, 2 * 1024 * 1024 + 17);
  }

  /** {@code dvc remote add} and {@code dvc remote modify} for each option pair (name, value; --local for secrets). */
  private static void addRemote(Path repo, String name, String url, boolean isDefault, String... options) {
    dvcRemoteAdd(repo, name, url, isDefault);
    for (int i = 0; i < options.length; i += 2) {
      if (options[i].equals("password") || options[i].equals("user")) {
        DvcOracle.dvc(repo, "remote", "modify", "--local", name, options[i], options[i + 1]);
      } else {
        DvcOracle.dvc(repo, "remote", "modify", name, options[i], options[i + 1]);
      }
    }
  }

  @Test
  void enginePullsWhatDvcPushedWithBasicAuth() {
    Path base = dvcRepo("base");
    addRemote(base, "store", nginx.endpoint() + "/private/" + prefix, true, "method", "PUT", "auth", "basic",
        "user", NginxServer.USER, "password", NginxServer.PASSWORD);
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("5 files pushed"), pushed);
    Map<String, String> remote = nginx.files("private/" + prefix);
    assertEquals(cacheKeys(base), List.copyOf(remote.keySet()), "DVC's layout: <url>/files/md5/xx/rest");

    assertEnginePullsWhatDvcPushed(base);
  }

  @Test
  void dvcPullsWhatTheEnginePushedWithPut() {
    Path base = dvcRepo("base");
    addRemote(base, "store", nginx.endpoint() + "/dav/" + prefix + "/engine", true, "method", "PUT");
    enginePushesAll(base, null);
    // DVC pushing the same workspace elsewhere writes the same paths and bytes
    addRemote(base, "dvcside", nginx.endpoint() + "/dav/" + prefix + "/dvc", false, "method", "PUT");
    DvcOracle.dvc(base, "push", "-r", "dvcside");
    Map<String, String> byEngine = nginx.files("dav/" + prefix + "/engine");
    assertEquals(nginx.files("dav/" + prefix + "/dvc"), byEngine);
    assertEquals(cacheKeys(base), List.copyOf(byEngine.keySet()));

    assertDvcPullsWhatTheEnginePushed(base);
  }

  @Test
  void postUploadsBothWays() {
    try (ObjectHttpServer server = new ObjectHttpServer()) {
      Path base = dvcRepo("base");
      // DVC's default method: POST
      addRemote(base, "store", server.endpoint() + "/dvc", true);
      addRemote(base, "engine", server.endpoint() + "/engine", false);
      String pushed = DvcOracle.dvc(base, "push");
      assertTrue(pushed.contains("5 files pushed"), pushed);
      enginePushesAll(base, "engine");
      Map<String, String> byDvc = new TreeMap<>();
      Map<String, String> byEngine = new TreeMap<>();
      server.objects().forEach((k, v) -> (k.startsWith("/dvc/") ? byDvc : byEngine)
          .put(k.substring(k.indexOf('/', 1) + 1), v));
      assertEquals(byDvc, byEngine, "the same paths and bytes, POSTed by both");
      assertEquals(List.of("POST"), server.requests().stream().filter(r -> !r.method().equals("GET")
          && !r.method().equals("HEAD")).map(ObjectHttpServer.Request::method).distinct().toList());
      assertEquals(cacheKeys(base), List.copyOf(byDvc.keySet()));

      Path byEnginePull = freshCopy(base, "engine-pull");
      enginePullsAll(byEnginePull);
      Path byDvcPull = freshCopy(base, "dvc-pull");
      String pulled = DvcOracle.dvc(byDvcPull, "pull", "-r", "engine");
      assertTrue(pulled.contains("5 files fetched"), pulled);
      Map<String, String> expected = Workspaces.snapshot(base, ".git", ".dvc");
      assertEquals(expected, Workspaces.snapshot(byEnginePull, ".git", ".dvc"));
      assertEquals(expected, Workspaces.snapshot(byDvcPull, ".git", ".dvc"));
    }
  }

  @Test
  void dvcRefusesDigestAuthWhichTheEngineSpeaks() {
    try (ObjectHttpServer server = new ObjectHttpServer().auth(ObjectHttpServer.Auth.DIGEST, "dora", "d1gest!")) {
      Path base = dvcRepo("base");
      addRemote(base, "store", server.endpoint() + "/d", true, "auth", "digest", "user", "dora", "password",
          "d1gest!");
      DvcOracle.Result dvc = DvcOracle.dvcAllowFailure(base, "push");
      assertTrue(dvc.exitCode() != 0 && dvc.stdout().contains("Auth method 'digest' is not supported"), dvc.stdout());
      assertEquals(Map.of(), server.objects());
      enginePushesAll(base, null);
      assertEquals(cacheKeys(base), server.objects().keySet().stream().map(k -> k.substring("/d/".length()))
          .toList());
    }
  }

  @Test
  void httpsPullWithTheCaInSslVerifyGivesTheBytesDvcPulls() throws IOException {
    Path base = dvcRepo("base");
    // relative: DVC reads it from where it runs (the repository), the engine from the repository's root
    Files.copy(nginx.caCertificate(), base.resolve("ca.pem"));
    addRemote(base, "store", nginx.tlsEndpoint() + "/dav/" + prefix, true, "method", "PUT", "ssl_verify", "ca.pem");
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("5 files pushed"), pushed);

    Path byDvc = freshCopy(base, "by-dvc");
    String pulled = DvcOracle.dvc(byDvc, "pull");
    assertTrue(pulled.contains("5 files fetched"), pulled);
    Path byEngine = freshCopy(base, "by-engine");
    enginePullsAll(byEngine);
    Map<String, String> dvcSide = Workspaces.snapshot(byDvc, ".git", ".dvc");
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), dvcSide);
    assertEquals(dvcSide, Workspaces.snapshot(byEngine, ".git", ".dvc"), "the engine pulls the bytes DVC pulls");
    assertEquals(Workspaces.cacheFiles(byDvc), Workspaces.cacheFiles(byEngine));
    Workspaces.assertDvcFindsItClean(byEngine, "store");
  }

  @Test
  void sslCertFileIsTrustedByBothLikeOpenSslsEnvironment() {
    Path base = dvcRepo("base");
    addRemote(base, "store", nginx.tlsEndpoint() + "/dav/" + prefix, true, "method", "PUT");
    String dvc = DvcOracle.venv().resolve("bin/dvc").toString();
    String certFile = "SSL_CERT_FILE=" + nginx.caCertificate();
    DvcOracle.Result refused = DvcOracle.run(List.of(dvc, "push"), base, 600);
    assertTrue(refused.exitCode() != 0, "DVC does not know the test CA either: " + refused.stdout());
    DvcOracle.Result pushed = DvcOracle.run(List.of("env", certFile, dvc, "push"), base, 600);
    assertEquals(0, pushed.exitCode(), pushed.stdout());

    Path byDvc = freshCopy(base, "by-dvc");
    DvcOracle.Result pulled = DvcOracle.run(List.of("env", certFile, dvc, "pull"), byDvc, 600);
    assertEquals(0, pulled.exitCode(), pulled.stdout());
    Path byEngine = freshCopy(base, "by-engine");
    Map<String, String> env = new java.util.HashMap<>(engineEnv());
    env.put("SSL_CERT_FILE", nginx.caCertificate().toString());
    try (Repo r = Repo.open(byEngine, new Workspaces.RecordingLog(), env, 2)) {
      assertEquals(5, new Sync(r).pull(request(null), false).transferred());
    }
    assertEquals(Workspaces.snapshot(byDvc, ".git", ".dvc"), Workspaces.snapshot(byEngine, ".git", ".dvc"));
  }
}
