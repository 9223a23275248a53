package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.NginxServer;
import io.mlops.testing.ObjectHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The http(s):// remote through the engine, against a real nginx on 127.0.0.1 (WebDAV PUT, auth_basic, TLS with a
 * test CA) and, for POST uploads, Digest authentication, refused HEAD, throttling, redirects and proxies, the
 * JDK-based {@link ObjectHttpServer}.
 */
class HttpRemoteTest extends RemoteTestBase {
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
  void init() throws IOException {
    prefix = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Repo.init(root, true, log);
    env.put("HOME", home.toString());
  }

  private Map<String, byte[]> workspace() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("model.bin", random(300_000, 1));
    files.put("data/a.txt", "a\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/b.txt", "b\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/empty.txt", new byte[0]);
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      write(f.getKey(), f.getValue());
    }
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("model.bin", "data"));
    }
    return files;
  }

  private Map<String, String> cacheObjects() throws IOException {
    Path files = root.resolve(".dvc/cache/files");
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(files)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put("files/" + PathUtil.posix(files.relativize(p)), Files.readString(p, StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  private void assertWorkspace(Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
  }

  private HttpRemote remoteOf(Map<String, String> opts) {
    return HttpRemote.open("store", opts, env, root, root.resolve(".dvc/config"), log, prompt -> null);
  }

  private static void assertOneLine(MlopsException e, String... parts) {
    System.out.println(e.getMessage() + "\n  hint: " + e.hint());
    String message = e.getMessage().split("\n  Fix: ", 2)[0];
    assertFalse(message.contains("\n"), "one line, then the fix: " + e.getMessage());
    for (String p : parts) {
      assertTrue((e.getMessage() + " / " + e.hint()).contains(p), "'" + p + "' in: " + e.getMessage() + " / "
          + e.hint());
    }
  }

  @Test
  void webDavPutRoundTripIsByteIdenticalInDvcsLayout() throws IOException {
    Map<String, byte[]> files = workspace();
    String url = nginx.endpoint() + "/dav/" + prefix;
    remote(url, "method = PUT");
    Map<String, String> objects = cacheObjects();
    assertEquals(5, objects.size(), objects.keySet().toString());
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
      assertEquals(0, new Sync(repo).push(req(4)).transferred());
    }
    assertEquals(objects, nginx.files("dav/" + prefix), "the cache's objects at <url>/files/md5/xx/rest");
    List<String> methods = nginx.accessLog().stream().filter(l -> l.contains("/dav/" + prefix + "/"))
        .map(l -> l.substring(0, l.indexOf(' '))).distinct().sorted().toList();
    assertEquals(List.of("HEAD", "PUT"), methods, "existence by HEAD, uploads by PUT");

    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    assertWorkspace(files);
    assertEquals(objects, cacheObjects());

    try (Repo repo = open(); HttpRemote r = (HttpRemote) Remotes.open(repo, null)) {
      assertEquals(url, r.url());
      assertEquals("PUT", r.method());
      assertFalse(r.canTraverse());
      assertEquals("no credentials", r.credentialsDescription());
      String first = objects.keySet().iterator().next();
      assertTrue(r.exists(first));
      assertFalse(r.exists("files/md5/00/000000000000000000000000000000"));
      NoSuchFileException missing = assertThrows(NoSuchFileException.class,
          () -> r.download("files/md5/00/000000000000000000000000000000", root.resolve("x.tmp")));
      assertTrue(r.isNotFound(missing));
      assertEquals(url + "/files/md5/00/000000000000000000000000000000", missing.getMessage());
      MlopsException list = assertThrows(MlopsException.class, () -> r.list("runs/"));
      assertOneLine(list, "remote 'store' (" + url + ") cannot be listed");
    }
  }

  @Test
  void postIsTheDefaultAndNginxRefusesItWithTheFix() throws IOException {
    workspace();
    String url = nginx.endpoint() + "/dav/" + prefix;
    remote(url);
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)));
      // nginx answers POST with 404 where no file is yet (405 where one is)
      assertOneLine(e, "HTTP 404", "remote 'store' (" + url + ") does not take POST uploads",
          "dvc remote modify store method PUT");
    }
    // a location without WebDAV refuses PUT as well: the hint is then about the server
    remote(nginx.endpoint() + "/static/" + prefix, "method = put");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)));
      assertOneLine(e, "does not take PUT uploads", "dav_methods PUT");
    }
    assertEquals(Map.of(), nginx.files("static/" + prefix));
  }

  @Test
  void basicAuthAgainstNginxAndClearRefusals() throws IOException {
    Map<String, byte[]> files = workspace();
    String url = nginx.endpoint() + "/private/" + prefix;
    remote(url, "auth = basic", "method = PUT");
    local("user = " + NginxServer.USER, "password = " + NginxServer.PASSWORD);
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
    }
    assertEquals(5, nginx.files("private/" + prefix).size());
    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    assertWorkspace(files);

    // a wrong password: one line naming the remote, its URL and the fix, never the password
    local("user = " + NginxServer.USER, "password = Wrong-Password-123");
    List<String> traces = new ArrayList<>();
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)));
      assertOneLine(push, "HTTP 401 Unauthorized from remote 'store' (" + url + ")",
          "refused the credentials (auth basic, user 'alice')", "dvc remote modify --local store password");
      traces.add(trace(push));
      wipe();
      MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertOneLine(fetch, "HTTP 401", "remote 'store'");
      traces.add(trace(fetch));
    }
    String all = String.join("\n", traces) + String.join("\n", lines);
    assertFalse(all.contains("Wrong-Password-123"), all);
    assertFalse(all.contains(java.util.Base64.getEncoder().encodeToString(
        ("alice:Wrong-Password-123").getBytes(StandardCharsets.UTF_8))), all);

    // no auth at all: the server asks, the hint says how to answer
    Files.delete(root.resolve(".dvc/config.local"));
    remote(url);
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertOneLine(e, "HTTP 401", "the server asks for credentials", "dvc remote modify store auth basic");
    }
  }

  @Test
  void credentialsFromNetrcAndTheUrlWhenNoAuthIsSet() throws IOException {
    workspace();
    Files.writeString(home.resolve(".netrc"), "# test\nmachine example.org login bob password nope\n"
        + "machine 127.0.0.1\n  login " + NginxServer.USER + "\n  password " + NginxServer.PASSWORD + "\n");
    String url = nginx.endpoint() + "/private/" + prefix;
    remote(url, "method = PUT");
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(2)).transferred());
    }
    try (HttpRemote r = remoteOf(Map.of("url", url))) {
      assertEquals("user 'alice' from ~/.netrc", r.credentialsDescription());
      assertTrue(r.exists(key(md5("a\n"))));
    }
    // a user and password in the url, as aiohttp takes them; the url shown never has them
    Files.delete(home.resolve(".netrc"));
    String withCreds = url.replace("http://", "http://" + NginxServer.USER + ":" + NginxServer.PASSWORD + "@");
    try (HttpRemote r = remoteOf(Map.of("url", withCreds))) {
      assertEquals(url, r.url());
      assertEquals("user 'alice' from the url", r.credentialsDescription());
      assertTrue(r.exists(key(md5("a\n"))));
    }
    // user and password without auth are not sent, as in DVC, and a warning says so
    try (HttpRemote r = remoteOf(Map.of("url", url, "user", "alice", "password", NginxServer.PASSWORD))) {
      assertEquals("no credentials", r.credentialsDescription());
      assertTrue(lines.stream().anyMatch(l -> l.contains("has a user or password but no auth method")), lines
          .toString());
      MlopsException e = assertThrows(MlopsException.class, () -> r.exists(key(md5("a\n"))));
      assertOneLine(e, "HTTP 401");
    }
  }

  @Test
  void askPasswordPromptsOnceAndRefusesWithoutConsole() throws IOException {
    workspace();
    String url = nginx.endpoint() + "/private/" + prefix;
    Map<String, String> opts = Map.of("url", url, "auth", "basic", "user", NginxServer.USER, "ask_password", "true",
        "method", "PUT");
    List<String> asked = new ArrayList<>();
    try (HttpRemote r = HttpRemote.open("store", opts, env, root, root.resolve(".dvc/config"), log, prompt -> {
      asked.add(prompt);
      return NginxServer.PASSWORD.toCharArray();
    })) {
      r.upload(root.resolve("data/a.txt"), key(md5("a\n")));
      assertTrue(r.exists(key(md5("a\n"))));
    }
    assertEquals(List.of("Enter a password for host '" + url + "' user 'alice':\n"), asked, "DVC's prompt");
    MlopsException none = assertThrows(MlopsException.class, () -> remoteOf(opts));
    assertOneLine(none, "remote 'store' (" + url + ") has ask_password set, but there is no console",
        "dvc remote modify --local store password");
  }

  @Test
  void httpsWithTheCaBundleInSslVerifyAndUntrustedCertificates() throws IOException {
    Map<String, byte[]> files = workspace();
    String url = nginx.tlsEndpoint() + "/dav/" + prefix;
    // relative to the repository, as DVC reads it relative to where it runs
    Files.copy(nginx.caCertificate(), root.resolve("ca.pem"));
    remote(url, "method = PUT", "ssl_verify = ca.pem");
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
    }
    assertEquals(cacheObjects(), nginx.files("dav/" + prefix));
    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    assertWorkspace(files);

    // the JDK's CAs alone do not know the test CA: one line with the fix
    remote(url, "method = PUT");
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertOneLine(e, "remote 'store' (" + url + "): the server's TLS certificate is not trusted",
          "dvc remote modify store ssl_verify /path/to/ca.pem", "ssl_verify false");
    }
    // ssl_verify false accepts it, as Python's unverified context
    remote(url, "ssl_verify = False");
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(2), false).transferred());
    }
    // a bundle that is not PEM, a missing one
    Files.writeString(root.resolve("bad.pem"), "not a certificate\n");
    MlopsException bad = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "ssl_verify", "bad.pem")));
    assertOneLine(bad, "holds no PEM certificate");
    MlopsException missing = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "ssl_verify", "nowhere/ca.pem")));
    assertOneLine(missing, "cannot be read");
  }

  @Test
  void httpsTrustsTheCasOfSslCertFileAndSslCertDirLikeOpenSsl() throws IOException {
    Map<String, byte[]> files = workspace();
    String url = nginx.tlsEndpoint() + "/dav/" + prefix;
    remote(url, "method = PUT");
    // as DVC's default TLS context reads OpenSSL's environment: a bundle file...
    env.put("SSL_CERT_FILE", nginx.caCertificate().toString());
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
    }
    wipe();
    env.remove("SSL_CERT_FILE");
    // ... or a directory of certificates
    Path dir = Files.createDirectories(root.resolve("certs"));
    Files.copy(nginx.caCertificate(), dir.resolve("test-ca.pem"));
    env.put("SSL_CERT_DIR", dir.toString());
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    assertWorkspace(files);
    // a directory without the server's CA: the message names the directory and counts its files, not each one
    Path others = Files.createDirectories(root.resolve("other-certs"));
    NginxServer.openssl(others, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", root.resolve("other-ca.key").toString(), "-out", "other-ca.pem", "-days", "2", "-subj",
        "/CN=another CA");
    env.put("SSL_CERT_DIR", others.toString());
    wipe();
    try (Repo repo = open()) {
      MlopsException untrusted = assertThrows(MlopsException.class, () -> new Sync(repo).pull(req(1), false));
      assertOneLine(untrusted, "the server's TLS certificate is not trusted",
          "checked against the JDK's trusted CAs and $SSL_CERT_DIR (" + others + ", 1 file))");
    }
    env.remove("SSL_CERT_DIR");
    // an untrusted certificate names what was checked
    wipe();
    env.put("SSL_CERT_FILE", root.resolve("other.pem").toString());
    Files.writeString(root.resolve("other.pem"), "no certificate here\n");
    MlopsException bad = assertThrows(MlopsException.class, () -> remoteOf(Map.of("url", url)));
    assertOneLine(bad, "$SSL_CERT_FILE names " + root.resolve("other.pem") + ", which holds no PEM certificate",
        "point $SSL_CERT_FILE at PEM files of CA certificates, or unset it");
    env.remove("SSL_CERT_FILE");
  }

  @Test
  void missingObjectIsReportedByNameAndUrl() throws IOException {
    workspace();
    String url = nginx.endpoint() + "/dav/" + prefix;
    remote(url, "method = PUT");
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    Files.delete(nginx.data().resolve("dav/" + prefix).resolve(key(md5("a\n"))));
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      System.out.println(e.getMessage() + "\n  hint: " + e.hint());
      assertTrue(e.getMessage().contains("1 object(s) missing from remote 'store' (" + url + ")"), e.getMessage());
      assertTrue(e.getMessage().contains("data/a.txt (" + url + "/" + key(md5("a\n")) + ")"), e.getMessage());
      assertTrue(e.hint().contains("push them"), e.hint());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("a\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("b\n"))), "the other objects were fetched");
    }
  }

  @Test
  void postUploadsWithDigestAuthentication() throws IOException {
    Map<String, byte[]> files = workspace();
    try (ObjectHttpServer server = new ObjectHttpServer().auth(ObjectHttpServer.Auth.DIGEST, "dora", "d1gest!")) {
      String url = server.endpoint() + "/store";
      remote(url, "auth = digest");
      local("user = dora", "password = d1gest!");
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(1)).transferred());
      }
      assertTrue(lines.stream().anyMatch(l -> l.contains("DVC 3.67.1 does not")), lines.toString());
      Map<String, String> stored = new TreeMap<>();
      server.objects().forEach((k, v) -> stored.put(k.substring("/store/".length()), v));
      assertEquals(cacheObjects(), stored, "POSTed bodies stored at <url>/files/md5/xx/rest");
      List<ObjectHttpServer.Request> requests = server.requests();
      assertEquals(1, requests.stream().filter(r -> r.authorization() == null).count(),
          "one unsigned request, then signed ahead with the server's nonce: " + requests);
      assertTrue(requests.stream().filter(r -> r.method().equals("POST")).allMatch(r -> r.authorization() != null
          && r.authorization().startsWith("Digest ")), requests.toString());

      // a new nonce: the request signed with the old one is answered stale=true, signed again, and passes
      server.renewNonce();
      wipe();
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).pull(req(2), false).transferred());
      }
      assertWorkspace(files);

      local("user = dora", "password = wrong");
      wipe();
      try (Repo repo = open()) {
        MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(1), false));
        assertOneLine(e, "HTTP 401", "refused the credentials (auth digest, user 'dora')");
      }
    }
  }

  @Test
  void digestWithQopAuthIntSignsEachBody() throws IOException {
    Map<String, byte[]> files = workspace();
    try (ObjectHttpServer server = new ObjectHttpServer().auth(ObjectHttpServer.Auth.DIGEST_AUTH_INT, "ida", "1nt!")) {
      remote(server.endpoint() + "/store", "auth = digest", "method = PUT");
      local("user = ida", "password = 1nt!");
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(2)).transferred());
      }
      Map<String, String> stored = new TreeMap<>();
      server.objects().forEach((k, v) -> stored.put(k.substring("/store/".length()), v));
      assertEquals(cacheObjects(), stored, "each PUT's body hash was signed and checked by the server");
      assertTrue(server.requests().stream().filter(r -> r.method().equals("PUT"))
          .allMatch(r -> r.authorization() != null && r.authorization().contains("qop=auth-int")),
          server.requests().toString());
      wipe();
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).pull(req(2), false).transferred());
      }
      assertWorkspace(files);
    }
  }

  @Test
  void refusedHeadFallsBackToGetOnce() throws IOException {
    workspace();
    try (ObjectHttpServer server = new ObjectHttpServer().headAllowed(false)) {
      remote(server.endpoint() + "/s");
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(1)).transferred());
        server.clearRequests();
        assertEquals(0, new Sync(repo).push(req(1)).transferred());
      }
      List<String> methods = server.requests().stream().map(ObjectHttpServer.Request::method).toList();
      assertEquals("HEAD", methods.get(0), methods.toString());
      assertEquals(1, methods.stream().filter(m -> m.equals("HEAD")).count(), methods.toString());
      assertTrue(methods.subList(1, methods.size()).stream().allMatch(m -> m.equals("GET")), methods.toString());
    }
  }

  @Test
  void customAuthHeaderCarriesThePassword() throws IOException {
    workspace();
    try (ObjectHttpServer server = new ObjectHttpServer().recordHeader("X-Api-Token")) {
      remote(server.endpoint() + "/s", "auth = custom", "custom_auth_header = X-Api-Token");
      local("password = tok-123456789");
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(2)).transferred());
      }
      assertTrue(server.requests().stream().allMatch(r -> "tok-123456789".equals(r.customHeader())),
          server.requests().toString());
      MlopsException noHeader = assertThrows(MlopsException.class,
          () -> remoteOf(Map.of("url", server.endpoint(), "auth", "custom", "password", "x")));
      assertOneLine(noHeader, "HTTP 'custom' authentication require both 'custom_auth_header' and 'password'");
    }
  }

  @Test
  void throttlingIsRetried() throws IOException {
    workspace();
    try (ObjectHttpServer server = new ObjectHttpServer()) {
      remote(server.endpoint() + "/s");
      server.failNext(3);
      try (Repo repo = open()) {
        var s = new Sync(repo).push(req(1));
        assertEquals(5, s.transferred());
        assertEquals(3, s.retries());
      }
      server.failNext(1000);
      try (HttpRemote r = remoteOf(Map.of("url", server.endpoint() + "/s"))) {
        IOException e = assertThrows(IOException.class, () -> r.exists(key(md5("a\n"))));
        assertInstanceOf(Retry.TransientException.class, e);
        assertTrue(e.getMessage().contains("HTTP 503 Service Unavailable"), e.getMessage());
      }
    }
  }

  @Test
  void redirectsAreFollowedWithoutTakingTheCredentialsElsewhere() throws IOException {
    Map<String, byte[]> files = workspace();
    try (ObjectHttpServer mirror = new ObjectHttpServer();
        ObjectHttpServer front = new ObjectHttpServer().auth(ObjectHttpServer.Auth.BASIC, "u", "pw-123456")) {
      remote(mirror.endpoint() + "/s");
      try (Repo repo = open()) {
        new Sync(repo).push(req(2));
      }
      front.redirectTo(mirror.endpoint());
      mirror.clearRequests();
      remote(front.endpoint() + "/s", "auth = basic", "user = u", "password = pw-123456");
      wipe();
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).pull(req(2), false).transferred());
      }
      assertWorkspace(files);
      assertTrue(front.requests().stream().allMatch(r -> r.authorization() != null), front.requests().toString());
      assertFalse(mirror.requests().isEmpty());
      assertTrue(mirror.requests().stream().allMatch(r -> r.authorization() == null), mirror.requests().toString());
    }
  }

  @Test
  void proxiesComeFromTheEnvironment() throws IOException {
    try (ObjectHttpServer proxy = new ObjectHttpServer()) {
      proxy.put("/s/" + key(md5("a\n")), "a\n".getBytes(StandardCharsets.UTF_8));
      // the server's port is closed: only the proxy can answer
      String url = "http://127.0.0.1:1/s";
      env.put("HTTP_PROXY", "http://127.0.0.1:9");
      env.put("http_proxy", proxy.endpoint());
      try (HttpRemote r = remoteOf(Map.of("url", url))) {
        assertTrue(r.exists(key(md5("a\n"))));
        Path back = root.resolve("back");
        r.download(key(md5("a\n")), back);
        assertEquals("a\n", Files.readString(back));
      }
      assertEquals("http://127.0.0.1:1/s/" + key(md5("a\n")), proxy.requests().get(0).target(),
          "an absolute request target, as sent to a proxy");
      env.put("no_proxy", "localhost, .127.0.0.1");
      try (HttpRemote r = remoteOf(Map.of("url", url))) {
        IOException e = assertThrows(IOException.class, () -> r.exists(key(md5("a\n"))));
        assertInstanceOf(Retry.TransientException.class, e, "a refused direct connection");
      }
    }
  }

  @Test
  void aStalledDownloadTimesOutAsTransient() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (java.net.Socket c = server.accept()) {
          c.getInputStream().read(new byte[8192]);
          c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
              .getBytes(StandardCharsets.US_ASCII));
          c.getOutputStream().flush();
          Thread.sleep(20_000);
        } catch (Exception e) {
          // the client gave up
        }
      });
      t.setDaemon(true);
      t.start();
      try (HttpRemote r = remoteOf(Map.of("url", "http://127.0.0.1:" + server.getLocalPort() + "/s",
          "read_timeout", "1.5", "connect_timeout", "2"))) {
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> r.download("files/md5/00/0000", root.resolve("x")));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        System.out.println("stalled download: " + e);
        assertInstanceOf(Retry.TransientException.class, e, e.toString());
        assertTrue(e.getMessage().contains("read_timeout 1.5 s"), e.getMessage());
        assertTrue(seconds < 10, "gave up after " + seconds + " s");
      }
    }
  }

  @Test
  void optionsAreCheckedAsDvcChecksThem() {
    String url = "http://127.0.0.1:1/s";
    MlopsException unknown = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "token", "x")));
    assertOneLine(unknown, "options that DVC's http remotes do not have: [token]");
    MlopsException method = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "method", "PATCH")));
    assertOneLine(method, "it has to be either 'post' or 'put'");
    MlopsException auth = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "auth", "ntlm")));
    assertOneLine(auth, "not one of basic, digest, custom");
    MlopsException basic = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "auth", "basic", "user", "u")));
    assertOneLine(basic, "HTTP 'basic' authentication require both 'user' and 'password'");
    MlopsException timeout = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "read_timeout", "-1")));
    assertOneLine(timeout, "read_timeout is '-1', not a number of seconds");
    MlopsException flag = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url, "ask_password", "yes", "auth", "basic", "user", "u")));
    assertOneLine(flag, "expected true or false");
    MlopsException query = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", url + "?token=abc")));
    assertOneLine(query, "has a query or a fragment");
    MlopsException both = assertThrows(MlopsException.class,
        () -> remoteOf(Map.of("url", "http://u:secret-1234@127.0.0.1:1/s", "auth", "basic", "user", "u",
            "password", "p")));
    assertOneLine(both, "credentials both in its url and in auth basic");
    assertFalse(both.getMessage().contains("secret-1234") || both.hint().contains("secret-1234"));
    // 0 is no limit, as in aiohttp; a DVC default otherwise
    try (HttpRemote r = remoteOf(Map.of("url", url + "/", "read_timeout", "0", "connect_timeout", "0"))) {
      assertEquals(url, r.url());
      assertEquals("POST", r.method());
    }
  }

  @Test
  void environmentProxiesAndNetrcAsPythonReadsThem() throws IOException {
    Map<String, String> e = new HashMap<>();
    e.put("HTTPS_PROXY", "http://upper:8080");
    e.put("https_proxy", "lower:3128");
    e.put("HTTP_PROXY", "http://user:p%40ss@proxy.local:8000");
    e.put("NO_PROXY", "internal.example, .corp");
    e.put("HOME", home.toString());
    HttpEnvironment env = new HttpEnvironment(e);
    HttpEnvironment.Proxy https = env.proxyFor(java.net.URI.create("https://data.example/x"));
    assertEquals("lower", https.host(), "lower case wins");
    assertEquals(3128, https.port());
    HttpEnvironment.Proxy http = env.proxyFor(java.net.URI.create("http://data.example/x"));
    assertEquals("user", http.user());
    assertEquals("p@ss", http.password());
    assertEquals("http://proxy.local:8000", http.toString());
    assertNull(env.proxyFor(java.net.URI.create("http://internal.example/x")));
    assertNull(env.proxyFor(java.net.URI.create("http://a.b.corp/x")));
    assertNull(env.proxyFor(java.net.URI.create("http://corp/x")));
    assertTrue(env.proxyFor(java.net.URI.create("http://notcorp/x")) != null);
    e.put("REQUEST_METHOD", "GET");
    assertNull(new HttpEnvironment(e).proxyFor(java.net.URI.create("http://data.example/x")), "CGI: no HTTP_PROXY");
    e.remove("REQUEST_METHOD");
    e.put("no_proxy", "*");
    assertNull(new HttpEnvironment(e).proxyFor(java.net.URI.create("https://data.example/x")));
    assertNull(new HttpEnvironment(Map.of("https_proxy", "https://secure:443"))
        .proxyFor(java.net.URI.create("https://data.example/x")), "HTTPS proxies are ignored, as in aiohttp");

    Path netrc = home.resolve("other-netrc");
    Files.writeString(netrc, "machine a.example login alice password \"with space\"\n"
        + "machine b.example account acct password pw2 # trailing comment\n"
        + "macdef init\ncd /pub\n\n"
        + "default login anonymous password guest\n");
    HttpEnvironment n = new HttpEnvironment(Map.of("NETRC", netrc.toString(), "HOME", home.toString()));
    assertArrayEquals(new String[] {"alice", "with space"}, n.netrc("a.example"));
    assertArrayEquals(new String[] {"acct", "pw2"}, n.netrc("b.example"), "account when there is no login");
    assertArrayEquals(new String[] {"anonymous", "guest"}, n.netrc("c.example"), "the default entry");
    assertNull(new HttpEnvironment(Map.of("HOME", home.toString())).netrc("a.example"), "no ~/.netrc");
  }

  @Test
  void remotesKnowsTheScheme() throws IOException {
    remote("https://127.0.0.1:1/x");
    try (Repo repo = open(); RemoteStorage r = Remotes.open(repo, null)) {
      assertInstanceOf(HttpRemote.class, r);
      assertEquals("https://127.0.0.1:1/x", r.url());
    }
    remote("webdav://127.0.0.1:1/x");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Remotes.open(repo, null));
      assertTrue(e.hint().contains("http(s)://") && e.hint().contains("ssh://"), e.hint());
    }
  }
}
