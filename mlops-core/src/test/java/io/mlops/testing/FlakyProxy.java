package io.mlops.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP proxy on 127.0.0.1 in front of a local HTTP server that answers the first {@code failures} requests
 * itself with {@code 503 SlowDown} (S3's throttling answer, one request per connection, then closes it) and
 * pipes every later connection through unchanged. It counts what it refused and what it passed. It can also
 * speak TLS with a self-signed certificate ({@link #selfSigned}), to test certificate checks.
 */
public final class FlakyProxy implements AutoCloseable {
  private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
      + "<Message>Please reduce your request rate.</Message><RequestId>flaky-proxy</RequestId></Error>")
      .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger failuresLeft;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger passed = new AtomicInteger();
  private final List<String> refusedRequests = Collections.synchronizedList(new ArrayList<>());
  private final Thread acceptor;
  private final String scheme;

  public FlakyProxy(int targetPort, int failures) throws IOException {
    this(targetPort, failures, null);
  }

  /** With {@code tls}, the proxy speaks HTTPS to its clients (and plain HTTP to the server behind it). */
  public FlakyProxy(int targetPort, int failures, SSLContext tls) throws IOException {
    this.targetPort = targetPort;
    this.failuresLeft = new AtomicInteger(failures);
    this.server = tls == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.scheme = tls == null ? "http" : "https";
    this.acceptor = new Thread(this::acceptLoop, "flaky-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return scheme + "://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests answered with 503. */
  public int refused() {
    return refused.get();
  }

  /** Connections piped to the server. */
  public int passed() {
    return passed.get();
  }

  /** Request lines of the refused requests, e.g. {@code HEAD /bucket/key HTTP/1.1}. */
  public List<String> refusedRequests() {
    return List.copyOf(refusedRequests);
  }

  /** Refuse this many more requests from now on. */
  public void failNext(int n) {
    failuresLeft.set(n);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      Thread t = new Thread(() -> {
        if (fail) {
          refuse(client);
        } else {
          pipe(client);
        }
      }, "flaky-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void refuse(Socket client) {
    try (client) {
      client.setSoTimeout(30_000);
      InputStream in = client.getInputStream();
      String head = readHead(in);
      String requestLine = head.lines().findFirst().orElse("");
      boolean expectContinue = false;
      long length = 0;
      boolean chunked = false;
      for (String line : head.lines().skip(1).toList()) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          default -> { }
        }
      }
      if (!expectContinue) {
        // drain the body so the client reads our answer instead of a reset
        if (chunked) {
          drainChunked(in);
        } else {
          in.skipNBytes(length);
        }
      }
      boolean isHead = requestLine.startsWith("HEAD ");
      // counted before answering: a client that has read the answer must find it counted
      refusedRequests.add(requestLine);
      refused.incrementAndGet();
      OutputStream out = client.getOutputStream();
      out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
          + SLOW_DOWN_BODY.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      if (!isHead) {
        out.write(SLOW_DOWN_BODY);
      }
      out.flush();
      shutdownOutput(client);
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the request head");
      }
      buf.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1 : (b == '\r' ? 1 : 0);
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  private static void drainChunked(InputStream in) throws IOException {
    while (true) {
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (b != '\r') {
          line.append((char) b);
        }
      }
      String size = line.toString().split(";")[0].strip();
      long n = size.isEmpty() ? 0 : Long.parseLong(size, 16);
      if (n == 0) {
        // trailers until an empty line
        String t;
        do {
          StringBuilder tl = new StringBuilder();
          while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
              tl.append((char) b);
            }
          }
          t = tl.toString();
        } while (!t.isEmpty() && b >= 0);
        return;
      }
      in.skipNBytes(n + 2);
    }
  }

  private void pipe(Socket client) {
    try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
      passed.incrementAndGet();
      Thread back = new Thread(() -> copy(upstream, client), "flaky-proxy-back");
      back.setDaemon(true);
      back.start();
      copy(client, upstream);
      back.join(60_000);
    } catch (IOException | InterruptedException e) {
      // connection over
    }
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      shutdownOutput(to);
    } catch (IOException e) {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static void shutdownOutput(Socket s) throws IOException {
    if (s instanceof SSLSocket) {
      s.close(); // TLS has no half-close
    } else {
      s.shutdownOutput();
    }
  }

  /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
  public record SelfSigned(SSLContext serverContext, Path caPem) {}

  public static SelfSigned selfSigned(Path dir) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path ks = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    run(List.of(keytool.toString(), "-genkeypair", "-alias", "s3", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", ks.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit"), dir);
    run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "s3", "-keystore", ks.toString(),
        "-storepass", "changeit", "-file", pem.toString()), dir);
    try (InputStream in = Files.newInputStream(ks)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, "changeit".toCharArray());
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, "changeit".toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return new SelfSigned(ctx, pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test certificate", e);
    }
  }

  private static void run(List<String> cmd, Path dir) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
