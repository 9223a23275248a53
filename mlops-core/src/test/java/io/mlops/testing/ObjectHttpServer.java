package io.mlops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP object server on 127.0.0.1 for what nginx cannot do: it stores what is POSTed or PUT at a path
 * (the whole request body, as DVC's http remote expects of a server), answers GET and HEAD from what it stores,
 * and can ask for Basic or Digest credentials (RFC 7616 MD5 with {@code qop=auth}, or {@code qop=auth-int} only, which signs the body's hash too; its nonce
 * can be made stale),
 * refuse HEAD with 405, answer the next requests with 503, and redirect GETs elsewhere. It records each request
 * (method, request target as sent, which may be absolute when it is used as a proxy, and the Authorization header).
 */
public final class ObjectHttpServer implements AutoCloseable {
  /** Which credentials the server asks for. */
  public enum Auth { NONE, BASIC, DIGEST, DIGEST_AUTH_INT }

  /** One request as received. */
  public record Request(String method, String target, String authorization, String customHeader) {}

  private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]+))");
  private static final String REALM = "mlops-test";

  private final HttpServer server;
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failNext = new AtomicInteger();
  private final Set<String> staleNonces = ConcurrentHashMap.newKeySet();
  private volatile Auth auth = Auth.NONE;
  private volatile String user;
  private volatile String password;
  private volatile boolean headAllowed = true;
  private volatile Set<String> uploadMethods = Set.of("POST", "PUT");
  private volatile String redirectTo;
  private volatile String customHeader;
  private volatile String nonce = UUID.randomUUID().toString();

  public ObjectHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "object-http-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Asks for credentials of {@code kind}. */
  public ObjectHttpServer auth(Auth kind, String user, String password) {
    this.auth = kind;
    this.user = user;
    this.password = password;
    return this;
  }

  /** Records the value of this header with each request (for {@code auth custom}). */
  public ObjectHttpServer recordHeader(String name) {
    this.customHeader = name;
    return this;
  }

  /** Whether HEAD is answered (else 405 Method Not Allowed, as some servers do). */
  public ObjectHttpServer headAllowed(boolean allowed) {
    this.headAllowed = allowed;
    return this;
  }

  /** Which upload methods are taken (others get 405). */
  public ObjectHttpServer uploadMethods(String... methods) {
    this.uploadMethods = Set.of(methods);
    return this;
  }

  /** Redirects GET and HEAD to the same path under {@code endpoint} (302), or stops when null. */
  public ObjectHttpServer redirectTo(String endpoint) {
    this.redirectTo = endpoint;
    return this;
  }

  /** Answers the next {@code n} requests with 503. */
  public void failNext(int n) {
    failNext.set(n);
  }

  /** Makes the current Digest nonce stale: the next request signed with it gets a new one ({@code stale=true}). */
  public void renewNonce() {
    staleNonces.add(nonce);
    nonce = UUID.randomUUID().toString();
  }

  /** Stores an object at a path (starting with {@code /}). */
  public void put(String path, byte[] data) {
    objects.put(path, data);
  }

  /** The stored objects, path → bytes as ISO-8859-1 text, sorted. */
  public Map<String, String> objects() {
    Map<String, String> out = new TreeMap<>();
    objects.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.ISO_8859_1)));
    return out;
  }

  public byte[] object(String path) {
    return objects.get(path);
  }

  public void delete(String path) {
    objects.remove(path);
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public void clearRequests() {
    requests.clear();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      String target = x.getRequestURI().toString();
      String path = x.getRequestURI().getRawPath();
      String authorization = x.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(method, target, authorization,
          customHeader == null ? null : x.getRequestHeaders().getFirst(customHeader)));
      byte[] body = x.getRequestBody().readAllBytes();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(x, 503, "busy\n");
        return;
      }
      if (!authorized(x, method, authorization, body)) {
        return;
      }
      if (method.equals("HEAD") && !headAllowed) {
        send(x, 405, "");
        return;
      }
      String redirect = redirectTo;
      if (redirect != null && (method.equals("GET") || method.equals("HEAD"))) {
        x.getResponseHeaders().set("Location", redirect + path);
        send(x, 302, "");
        return;
      }
      switch (method) {
        case "GET", "HEAD" -> {
          byte[] data = objects.get(path);
          if (data == null) {
            send(x, 404, "not found\n");
            return;
          }
          x.getResponseHeaders().set("Content-Type", "application/octet-stream");
          if (method.equals("HEAD")) {
            x.sendResponseHeaders(200, -1);
            return;
          }
          x.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(data);
          }
        }
        case "POST", "PUT" -> {
          if (!uploadMethods.contains(method)) {
            send(x, 405, "");
            return;
          }
          boolean existed = objects.put(path, body) != null;
          send(x, existed ? 200 : 201, "");
        }
        default -> send(x, 405, "");
      }
    }
  }

  private boolean authorized(HttpExchange x, String method, String authorization, byte[] body) throws IOException {
    switch (auth) {
      case NONE -> {
        return true;
      }
      case BASIC -> {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8));
        if (expected.equals(authorization)) {
          return true;
        }
        x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        send(x, 401, "");
        return false;
      }
      default -> {
        boolean stale = false;
        if (authorization != null && authorization.startsWith("Digest ")) {
          Map<String, String> p = new HashMap<>();
          Matcher m = PARAM.matcher(authorization.substring(7));
          while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
          }
          String ha1 = md5(p.get("username") + ":" + REALM + ":" + password);
          String qop = auth == Auth.DIGEST_AUTH_INT ? "auth-int" : "auth";
          String ha2 = md5(method + ":" + p.get("uri") + (qop.equals("auth-int") ? ":" + md5(body) : ""));
          String expected = md5(ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":" + qop
              + ":" + ha2);
          boolean valid = user.equals(p.get("username")) && expected.equals(p.get("response"))
              && qop.equals(p.get("qop")) && x.getRequestURI().toString().equals(p.get("uri"));
          if (valid && nonce.equals(p.get("nonce"))) {
            return true;
          }
          stale = valid && staleNonces.contains(p.get("nonce"));
        }
        x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        x.getResponseHeaders().add("WWW-Authenticate", "Digest realm=\"" + REALM + "\", qop=\""
            + (auth == Auth.DIGEST_AUTH_INT ? "auth-int" : "auth") + "\", nonce=\"" + nonce + "\", opaque=\"0pa9ue\", algorithm=MD5" + (stale ? ", stale=true" : ""));
        send(x, 401, "");
        return false;
      }
    }
  }

  private static String md5(String s) {
    return md5(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange x, int status, String text) throws IOException {
    byte[] b = x.getRequestMethod().equals("HEAD") ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
