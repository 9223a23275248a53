package io.mlops.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Service-account keys made in the test (a fresh RSA key pair; no real account) and a local OAuth token endpoint
 * that checks the signed assertion with the key's public half and hands out opaque access tokens.
 */
public final class TestKeys {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  /** A generated service-account key. */
  public record Key(String json, String privateKeyPem, String privateKeyId, String clientEmail, PublicKey publicKey) {
    /** The key file's content in base64, as CI secrets often hold it. */
    public String base64() {
      return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The base64 body lines of the PEM private key (the actual key material). */
    public List<String> privateKeyLines() {
      List<String> out = new ArrayList<>();
      for (String l : privateKeyPem.split("\n")) {
        if (!l.startsWith("-----") && !l.isBlank()) {
          out.add(l);
        }
      }
      return out;
    }
  }

  /** A service-account key whose token endpoint is {@code tokenUri}. */
  public static Key serviceAccount(String tokenUri) {
    KeyPair pair;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048, RANDOM);
      pair = gen.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    byte[] id = new byte[20];
    RANDOM.nextBytes(id);
    String keyId = HexFormat.of().formatHex(id);
    String email = "mlops-ci-" + HexFormat.of().formatHex(id, 0, 4) + "@test-project.iam.gserviceaccount.com";
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "service_account");
    n.put("project_id", "test-project");
    n.put("private_key_id", keyId);
    n.put("private_key", pem);
    n.put("client_email", email);
    n.put("client_id", "109876543210987654321");
    n.put("auth_uri", "http://127.0.0.1:9/auth");
    n.put("token_uri", tokenUri);
    n.put("auth_provider_x509_cert_url", "http://127.0.0.1:9/certs");
    n.put("client_x509_cert_url", "http://127.0.0.1:9/certs/" + email);
    n.put("universe_domain", "googleapis.com");
    try {
      return new Key(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n), pem, keyId, email, pair.getPublic());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An OAuth token endpoint on 127.0.0.1 for one key: POST /token with a JWT-bearer grant. */
  public static final class TokenServer implements AutoCloseable {
    private final HttpServer server;
    private volatile PublicKey publicKey;
    private final List<String> issued = Collections.synchronizedList(new ArrayList<>());
    private final List<String> assertions = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean refuse;

    public TokenServer() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/token", this::handle);
      server.start();
    }

    public String tokenUri() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The key whose signatures are accepted. */
    public void trust(PublicKey key) {
      this.publicKey = key;
    }

    /** Answers every request with 400 invalid_grant from now on. */
    public void refuseAll(boolean refuse) {
      this.refuse = refuse;
    }

    /** Access tokens handed out so far. */
    public List<String> issued() {
      synchronized (issued) {
        return List.copyOf(issued);
      }
    }

    /** Signed assertions received so far (they are credentials too). */
    public List<String> assertions() {
      synchronized (assertions) {
        return List.copyOf(assertions);
      }
    }

    private void handle(HttpExchange ex) throws IOException {
      try (ex) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String kv : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0) {
            form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
        String assertion = form.getOrDefault("assertion", "");
        assertions.add(assertion);
        boolean ok = !refuse && "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
            && verify(assertion);
        String body;
        int status;
        if (ok) {
          byte[] t = new byte[24];
          RANDOM.nextBytes(t);
          String token = "opaque-" + HexFormat.of().formatHex(t);
          issued.add(token);
          body = "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}";
          status = 200;
        } else {
          body = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}";
          status = 400;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }

    private boolean verify(String jwt) {
      String[] parts = jwt.split("\\.");
      if (parts.length != 3 || publicKey == null) {
        return false;
      }
      try {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(publicKey);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(parts[2]));
      } catch (Exception e) {
        return false;
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
