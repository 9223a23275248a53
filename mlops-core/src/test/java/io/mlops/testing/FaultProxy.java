package io.mlops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A reverse proxy on 127.0.0.1 in front of a server on 127.0.0.1 that can answer chosen requests with an error
 * status, or delay them, before forwarding the rest. It records every request it sees (method, URI, Authorization
 * header) so tests can count retries. {@code Location} headers pointing at the server are rewritten to the proxy,
 * so resumable uploads come back through it.
 */
public final class FaultProxy implements AutoCloseable {
  /** A request as the proxy saw it, and what it answered. */
  public record Seen(String method, String uri, String authorization, int status, boolean injected) {}

  private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");

  private final String target;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final List<Seen> arrived = Collections.synchronizedList(new ArrayList<>());

  private final Object lock = new Object();
  private Predicate<Seen> failWhen = r -> false;
  private int failuresLeft;
  private int failStatus;
  private Predicate<Seen> delayWhen = r -> false;
  private int delaysLeft;
  private Duration delay = Duration.ZERO;
  private final AtomicInteger injected = new AtomicInteger();
  private final AtomicInteger delayed = new AtomicInteger();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger random503s = new AtomicInteger();
  private double randomRate;
  private java.util.Random random;

  /** Starts a proxy for {@code target} (e.g. {@code http://127.0.0.1:4443}). */
  public FaultProxy(String target) throws IOException {
    this.target = target.replaceAll("/+$", "");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** The proxy's base URL. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next {@code n} requests matching {@code which} with {@code status} instead of forwarding them. */
  public void failNext(int n, int status, Predicate<Seen> which) {
    synchronized (lock) {
      failuresLeft = n;
      failStatus = status;
      failWhen = which;
      injected.set(0);
    }
  }

  /**
   * From now on answers a random share {@code rate} of all requests (seeded) itself: half with {@code 503}, half by
   * closing the connection without an answer (a reset as the client sees it).
   */
  public void failRandomly(double rate, long seed) {
    synchronized (lock) {
      randomRate = rate;
      random = new java.util.Random(seed);
    }
  }

  /** How many connections {@link #failRandomly} closed without an answer. */
  public int resets() {
    return resets.get();
  }

  /** How many random 503 answers {@link #failRandomly} gave. */
  public int random503s() {
    return random503s.get();
  }

  /** Holds the next {@code n} requests matching {@code which} for {@code d} before forwarding them. */
  public void delayNext(int n, Duration d, Predicate<Seen> which) {
    synchronized (lock) {
      delaysLeft = n;
      delay = d;
      delayWhen = which;
      delayed.set(0);
    }
  }

  /** How many error answers were injected since the last {@link #failNext}. */
  public int injected() {
    return injected.get();
  }

  /** How many requests were delayed since the last {@link #delayNext}. */
  public int delayed() {
    return delayed.get();
  }

  /** Every request seen so far. */
  public List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** Every request received so far, recorded on arrival (before any delay), without the answer. */
  public List<Seen> arrived() {
    synchronized (arrived) {
      return List.copyOf(arrived);
    }
  }

  public void clearSeen() {
    seen.clear();
    arrived.clear();
  }

  /** Matches media uploads (simple, multipart and resumable, start and chunks). */
  public static Predicate<Seen> uploads() {
    return r -> r.uri().startsWith("/upload/");
  }

  /** Matches object downloads ({@code alt=media}). */
  public static Predicate<Seen> downloads() {
    return r -> r.method().equals("GET") && r.uri().contains("alt=media");
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String uri = ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Seen probe = new Seen(ex.getRequestMethod(), uri, auth, 0, false);
      arrived.add(probe);
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      boolean fail;
      int status;
      Duration hold = Duration.ZERO;
      boolean reset = false;
      synchronized (lock) {
        fail = failuresLeft > 0 && failWhen.test(probe);
        status = failStatus;
        if (!fail && random != null && random.nextDouble() < randomRate) {
          reset = random.nextBoolean();
          fail = !reset;
          status = 503;
          if (fail) {
            random503s.incrementAndGet();
          }
        }
        if (fail) {
          failuresLeft--;
        }
        if (!fail && delaysLeft > 0 && delayWhen.test(probe)) {
          delaysLeft--;
          hold = delay;
        }
      }
      if (reset) {
        resets.incrementAndGet();
        seen.add(new Seen(probe.method(), uri, auth, 0, true));
        return; // closing the exchange before any answer closes the connection
      }
      if (fail) {
        injected.incrementAndGet();
        seen.add(new Seen(probe.method(), uri, auth, status, true));
        byte[] err = ("{\"error\":{\"code\":" + status + ",\"message\":\"injected by the test proxy\"}}")
            .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, err.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(err);
        }
        return;
      }
      if (!hold.isZero()) {
        delayed.incrementAndGet();
        try {
          Thread.sleep(hold.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target + uri)).timeout(Duration.ofSeconds(60))
          .method(ex.getRequestMethod(),
              body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
        if (HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (String v : h.getValue()) {
          rb.header(h.getKey(), v);
        }
      }
      HttpResponse<byte[]> resp;
      try {
        resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      seen.add(new Seen(probe.method(), uri, auth, resp.statusCode(), false));
      for (Map.Entry<String, List<String>> h : resp.headers().map().entrySet()) {
        String k = h.getKey().toLowerCase(Locale.ROOT);
        if (HOP.contains(k) || k.equals(":status")) {
          continue;
        }
        for (String v : h.getValue()) {
          ex.getResponseHeaders().add(h.getKey(), k.equals("location") ? v.replace(target, endpoint()) : v);
        }
      }
      byte[] out = resp.body();
      boolean noBody = ex.getRequestMethod().equals("HEAD") || resp.statusCode() == 204 || resp.statusCode() == 304
          || out.length == 0;
      ex.sendResponseHeaders(resp.statusCode(), noBody ? -1 : out.length);
      if (!noBody) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
