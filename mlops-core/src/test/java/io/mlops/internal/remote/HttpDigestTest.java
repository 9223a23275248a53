package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digest access authentication against the worked examples of RFC 2617 and RFC 7616, and aiohttp for auth-int. */
class HttpDigestTest {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]+)");

  /** The parameters of an Authorization header, unquoted. */
  private static Map<String, String> params(String header) {
    assertTrue(header.startsWith("Digest "), header);
    Map<String, String> out = new java.util.HashMap<>();
    Matcher m = PARAM.matcher(header.substring(7));
    while (m.find()) {
      out.put(m.group(1), m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2));
    }
    return out;
  }

  private static String md5(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rfc2617Example() {
    HttpDigest.Challenge c = HttpDigest.parse(List.of("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
        + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
    assertEquals(new HttpDigest.Challenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        "5ccc069c403ebaf9f0171e9517f40e41", "MD5", "auth", false), c);
    String header = new HttpDigest("Mufasa", "Circle Of Life").authorization(c, "GET", "/dir/index.html",
        "0a4f113b", 1);
    Map<String, String> p = params(header);
    assertEquals("6629fae49393a05397450978507c4ef1", p.get("response"));
    assertEquals("Mufasa", p.get("username"));
    assertEquals("/dir/index.html", p.get("uri"));
    assertEquals("auth", p.get("qop"));
    assertEquals("00000001", p.get("nc"));
    assertEquals("0a4f113b", p.get("cnonce"));
    assertEquals("5ccc069c403ebaf9f0171e9517f40e41", p.get("opaque"));
    assertEquals("MD5", p.get("algorithm"));
  }

  @Test
  void rfc7616ExamplesMd5AndSha256() {
    String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    String opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    // the server offers both; the first one this class can answer is taken
    List<String> headers = List.of(
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, nonce=\"" + nonce
            + "\", opaque=\"" + opaque + "\"",
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, nonce=\"" + nonce
            + "\", opaque=\"" + opaque + "\"");
    HttpDigest d = new HttpDigest("Mufasa", "Circle of Life");
    HttpDigest.Challenge sha = HttpDigest.parse(headers);
    assertEquals("SHA-256", sha.algorithm());
    assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
        params(d.authorization(sha, "GET", "/dir/index.html", cnonce, 1)).get("response"));
    HttpDigest.Challenge md5 = HttpDigest.parse(headers.subList(1, 2));
    assertEquals("MD5", md5.algorithm());
    assertEquals("8ca523f5e9506fed4657c9700eebdbec",
        params(d.authorization(md5, "GET", "/dir/index.html", cnonce, 1)).get("response"));
  }

  @Test
  void withoutQopAndSessionVariants() throws Exception {
    // RFC 2069's form: no qop, nc or cnonce
    HttpDigest.Challenge old = HttpDigest.parse(List.of("Digest realm=\"r\", nonce=\"abc\""));
    assertNull(old.qop());
    HttpDigest d = new HttpDigest("u", "p");
    Map<String, String> p = params(d.authorization(old, "PUT", "/files/md5/ab/cd", "ignored", 1));
    assertEquals(md5(md5("u:r:p") + ":abc:" + md5("PUT:/files/md5/ab/cd")), p.get("response"));
    assertFalse(p.containsKey("nc") || p.containsKey("cnonce") || p.containsKey("qop") || p.containsKey("opaque"));
    // MD5-sess: HA1 is hashed again with both nonces
    HttpDigest.Challenge sess = HttpDigest.parse(List.of("Digest realm=\"r\", nonce=\"abc\", qop=auth, "
        + "algorithm=MD5-sess"));
    Map<String, String> s = params(d.authorization(sess, "GET", "/x", "cn", 2));
    String ha1 = md5(md5("u:r:p") + ":abc:cn");
    assertEquals(md5(ha1 + ":abc:00000002:cn:auth:" + md5("GET:/x")), s.get("response"));
    assertEquals("MD5-sess", s.get("algorithm"));
  }

  /**
   * qop=auth-int signs the hash of the request body: compared with aiohttp's DigestAuthMiddleware (the HTTP client
   * under DVC's venv, which implements auth-int) for the same challenge, request and client nonce.
   */
  @Test
  void authIntSignsTheBodysHashAsAiohttpDoes(@TempDir Path dir) throws Exception {
    byte[] body = new byte[200_000];
    new java.util.Random(3).nextBytes(body);
    Path file = Files.write(dir.resolve("object"), body);
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    for (String algorithm : List.of("MD5", "SHA-256", "MD5-sess")) {
      for (Path upload : new Path[] {file, empty, null}) {
        String method = upload == null ? "GET" : "POST";
        String uri = "/store/files/md5/ab/cdef%20x?q=1";
        String py = String.join("\n",
            "import asyncio",
            "from aiohttp import DigestAuthMiddleware",
            "from yarl import URL",
            "m = DigestAuthMiddleware('Mufasa', 'Circle of Life')",
            "m._challenge = {'realm': 'r@example.org', 'nonce': 'n0nce', 'qop': 'auth-int', 'algorithm': '"
                + algorithm + "', 'opaque': 'op'}",
            "body = " + (upload == file ? "open('" + file + "', 'rb').read()" : "b''"),
            "print(asyncio.run(m._encode('" + method + "', URL('http://127.0.0.1:1" + uri + "', encoded=True), "
                + "body)))");
        String theirs = io.mlops.harness.DvcOracle.python(dir, py).strip();
        Map<String, String> p = params(theirs);
        assertEquals("auth-int", p.get("qop"), theirs);
        HttpDigest.Challenge c = HttpDigest.parse(List.of("Digest realm=\"r@example.org\", nonce=\"n0nce\", "
            + "qop=\"auth-int\", algorithm=" + algorithm + ", opaque=\"op\""));
        String ours = new HttpDigest("Mufasa", "Circle of Life").authorization(c, method, uri, p.get("cnonce"),
            Integer.parseInt(p.get("nc"), 16), upload);
        assertEquals(p.get("response"), params(ours).get("response"), algorithm + " " + method + ": " + theirs
            + "\nours: " + ours);
        assertEquals("auth-int", params(ours).get("qop"));
      }
    }
  }

  @Test
  void challengesAreFoundAmongOthersAndUnanswerableOnesAreSkipped() {
    // several challenges in one header, quoted commas and escaped quotes, a Basic one first
    HttpDigest.Challenge c = HttpDigest.parse(List.of("Basic realm=\"a, b\", Digest realm=\"say \\\"hi\\\", ok\", "
        + "nonce=\"n1\", qop=\"auth\", stale=TRUE"));
    assertEquals("say \"hi\", ok", c.realm());
    assertEquals("n1", c.nonce());
    assertTrue(c.stale());
    assertEquals(List.of("Negotiate", "Digest"), HttpDigest.challenges("Negotiate YWJj==, Digest nonce=x").stream()
        .map(Map.Entry::getKey).toList());
    assertNull(HttpDigest.parse(List.of("Basic realm=\"x\"")));
    assertEquals("auth-int", HttpDigest.parse(List.of("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\""))
        .qop(), "auth-int only: taken");
    assertEquals("auth", HttpDigest.parse(List.of("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int, auth\""))
        .qop(), "auth preferred: the upload is not read twice");
    assertNull(HttpDigest.parse(List.of("Digest realm=\"x\", nonce=\"n\", qop=\"auth-conf\"")), "unknown qop");
    assertNull(HttpDigest.parse(List.of("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256")));
    assertNull(HttpDigest.parse(List.of("Digest realm=\"x\"")), "no nonce");
    assertEquals("n2", HttpDigest.parse(List.of("Digest realm=\"x\", nonce=\"n\", algorithm=UNKNOWN",
        "digest realm=\"x\", nonce=\"n2\"")).nonce());
  }

  @Test
  void signsAheadWithCountingNoncesAndFreshClientNonces() throws Exception {
    HttpDigest d = new HttpDigest("user \"q\"", "pw");
    assertFalse(d.ready());
    assertNull(d.authorization("GET", "/a", null));
    assertFalse(d.accept(List.of("Basic realm=\"x\"")));
    assertTrue(d.accept(List.of("Digest realm=\"x\", nonce=\"n1\", qop=\"auth\"")));
    assertTrue(d.ready());
    Map<String, String> first = params(d.authorization("GET", "/a", null));
    Map<String, String> second = params(d.authorization("HEAD", "/b", null));
    assertEquals("user \"q\"", first.get("username"));
    assertEquals("00000001", first.get("nc"));
    assertEquals("00000002", second.get("nc"));
    assertNotEquals(first.get("cnonce"), second.get("cnonce"));
    assertEquals(32, first.get("cnonce").length());
    // the same nonce again keeps counting; a new one starts over
    assertTrue(d.accept(List.of("Digest realm=\"x\", nonce=\"n1\", qop=\"auth\"")));
    assertEquals("00000003", params(d.authorization("GET", "/a", null)).get("nc"));
    assertTrue(d.accept(List.of("Digest realm=\"x\", nonce=\"n2\", qop=\"auth\", stale=true")));
    Map<String, String> fresh = params(d.authorization("GET", "/a", null));
    assertEquals("00000001", fresh.get("nc"));
    assertEquals("n2", fresh.get("nonce"));
  }
}
