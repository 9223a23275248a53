package io.mlops.internal.remote;

import io.mlops.internal.hash.FileHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP Digest access authentication for one user (RFC 7616, compatible with RFC 2617): reads a server's
 * {@code WWW-Authenticate: Digest ...} challenge and signs requests with it, {@code qop=auth} when the server offers
 * it, else {@code qop=auth-int} (the request body's hash signed too: the upload's file is read once more for it), else
 * RFC 2069's form without qop; algorithms MD5 (the default), MD5-sess, SHA-256 and SHA-256-sess. The
 * last challenge is kept so that later requests are signed up front, each with the next nonce count.
 * Thread-safe.
 */
final class HttpDigest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A server's Digest challenge; {@code qop} is {@code "auth"}, {@code "auth-int"} or null (RFC 2069). */
  record Challenge(String realm, String nonce, String opaque, String algorithm, String qop, boolean stale) {}

  private final String user;
  private final String password;
  private volatile Challenge challenge;
  private final AtomicInteger count = new AtomicInteger();

  HttpDigest(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** Whether a challenge is known, so that requests can be signed before the server asks. */
  boolean ready() {
    return challenge != null;
  }

  /**
   * Adopts the Digest challenge among a response's {@code WWW-Authenticate} headers.
   *
   * @return false when there is none this class can answer (no Digest challenge, only unknown qop values, or
   *     an unknown algorithm)
   */
  synchronized boolean accept(List<String> wwwAuthenticate) {
    Challenge c = parse(wwwAuthenticate);
    if (c == null) {
      return false;
    }
    if (challenge == null || !c.nonce().equals(challenge.nonce())) {
      count.set(0);
    }
    challenge = c;
    return true;
  }

  /**
   * The {@code Authorization} header for a request whose body is the file {@code body} (null: none), signed with
   * the current challenge (null when none).
   */
  String authorization(String method, String uri, Path body) throws IOException {
    Challenge c;
    int nc;
    synchronized (this) {
      c = challenge;
      nc = count.incrementAndGet();
    }
    if (c == null) {
      return null;
    }
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return authorization(c, method, uri, HexFormat.of().formatHex(nonce), nc, body);
  }

  /** The {@code Authorization} header for a request without body, with a given client nonce and nonce count. */
  String authorization(Challenge c, String method, String uri, String cnonce, int nc) {
    try {
      return authorization(c, method, uri, cnonce, nc, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no body: nothing is read
    }
  }

  /** The same for a request whose body is the file {@code body} (null: none), which qop=auth-int signs. */
  String authorization(Challenge c, String method, String uri, String cnonce, int nc, Path body)
      throws IOException {
    String algorithm = c.algorithm();
    String ncValue = String.format("%08x", nc);
    String ha1 = hash(algorithm, user + ":" + c.realm() + ":" + password);
    if (algorithm.toUpperCase(Locale.ROOT).endsWith("-SESS")) {
      ha1 = hash(algorithm, ha1 + ":" + c.nonce() + ":" + cnonce);
    }
    String ha2 = "auth-int".equals(c.qop())
        ? hash(algorithm, method + ":" + uri + ":" + entityHash(algorithm, body))
        : hash(algorithm, method + ":" + uri);
    String response = c.qop() == null
        ? hash(algorithm, ha1 + ":" + c.nonce() + ":" + ha2)
        : hash(algorithm, ha1 + ":" + c.nonce() + ":" + ncValue + ":" + cnonce + ":" + c.qop() + ":" + ha2);
    StringBuilder sb = new StringBuilder("Digest ");
    sb.append("username=").append(quote(user));
    sb.append(", realm=").append(quote(c.realm()));
    sb.append(", nonce=").append(quote(c.nonce()));
    sb.append(", uri=").append(quote(uri));
    sb.append(", algorithm=").append(algorithm);
    sb.append(", response=").append(quote(response));
    if (c.opaque() != null) {
      sb.append(", opaque=").append(quote(c.opaque()));
    }
    if (c.qop() != null) {
      sb.append(", qop=").append(c.qop()).append(", nc=").append(ncValue).append(", cnonce=").append(quote(cnonce));
    }
    return sb.toString();
  }

  /** The first Digest challenge this class can answer among {@code WWW-Authenticate} header values, or null. */
  static Challenge parse(List<String> wwwAuthenticate) {
    for (String header : wwwAuthenticate) {
      for (Map.Entry<String, Map<String, String>> ch : challenges(header)) {
        if (!ch.getKey().equalsIgnoreCase("digest")) {
          continue;
        }
        Map<String, String> p = ch.getValue();
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (p.get("nonce") == null || digestName(algorithm) == null) {
          continue;
        }
        String qop = null;
        if (p.containsKey("qop")) {
          for (String q : p.get("qop").split(",")) {
            if (q.strip().equalsIgnoreCase("auth")) {
              qop = "auth";
            } else if (q.strip().equalsIgnoreCase("auth-int") && qop == null) {
              qop = "auth-int";
            }
          }
          if (qop == null) {
            continue; // only qop values RFC 7616 does not define
          }
        }
        return new Challenge(p.getOrDefault("realm", ""), p.get("nonce"), p.get("opaque"), algorithm, qop,
            "true".equalsIgnoreCase(p.get("stale")));
      }
    }
    return null;
  }

  /**
   * The challenges of one {@code WWW-Authenticate} value, scheme → parameters (names lower-cased), in order: a
   * token not followed by {@code =} starts a new challenge; values are tokens or quoted strings.
   */
  static List<Map.Entry<String, Map<String, String>>> challenges(String header) {
    List<Map.Entry<String, Map<String, String>>> out = new ArrayList<>();
    Map<String, String> params = null;
    int i = 0;
    int n = header.length();
    while (i < n) {
      char c = header.charAt(i);
      if (c == ',' || Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && header.charAt(i) != '=' && header.charAt(i) != ',' && !Character.isWhitespace(header.charAt(i))) {
        i++;
      }
      String token = header.substring(start, i);
      int j = i;
      while (j < n && Character.isWhitespace(header.charAt(j))) {
        j++;
      }
      boolean isParam = j < n && header.charAt(j) == '=' && !(j + 1 < n && header.charAt(j + 1) == '=')
          && params != null;
      if (!isParam) {
        if (j < n && header.charAt(j) == '=') {
          // a token68 (Basic's base64 with padding): belongs to the current challenge, skip it
          while (j < n && header.charAt(j) != ',') {
            j++;
          }
          i = j;
          if (params != null) {
            continue;
          }
        }
        params = new LinkedHashMap<>();
        out.add(Map.entry(token, params));
        continue;
      }
      j++;
      while (j < n && Character.isWhitespace(header.charAt(j))) {
        j++;
      }
      StringBuilder value = new StringBuilder();
      if (j < n && header.charAt(j) == '"') {
        j++;
        while (j < n && header.charAt(j) != '"') {
          if (header.charAt(j) == '\\' && j + 1 < n) {
            j++;
          }
          value.append(header.charAt(j++));
        }
        j++;
      } else {
        while (j < n && header.charAt(j) != ',' && !Character.isWhitespace(header.charAt(j))) {
          value.append(header.charAt(j++));
        }
      }
      params.put(token.toLowerCase(Locale.ROOT), value.toString());
      i = j;
    }
    return out;
  }

  private static String digestName(String algorithm) {
    return switch (algorithm.toUpperCase(Locale.ROOT)) {
      case "MD5", "MD5-SESS" -> "MD5";
      case "SHA-256", "SHA-256-SESS" -> "SHA-256";
      default -> null;
    };
  }

  private static String hash(String algorithm, String text) {
    return HexFormat.of().formatHex(digest(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(digestName(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** H(entity-body): the hash of the file {@code body}, or of nothing, in hex. */
  private static String entityHash(String algorithm, Path body) throws IOException {
    return body == null ? hash(algorithm, "") : FileHasher.digest(digest(algorithm), body);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
