package io.mlops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A real nginx for the http(s):// remote tests: Debian's nginx-light ({@code /usr/sbin/nginx}, installed with
 * openssl by {@code bash scripts/test-servers.sh}), run by the test on 127.0.0.1 on free ports, in the foreground
 * and as one process, with its configuration, files, logs and temporary directories in a temporary directory that
 * {@link #close()} removes. It serves one directory of files at these locations:
 *
 * <ul>
 *   <li>{@code http://127.0.0.1:PORT/dav/}: GET and HEAD, and WebDAV PUT ({@code dav_methods PUT;
 *       create_full_put_path on;}); POST is refused with 405, as nginx refuses it everywhere
 *   <li>{@code http://127.0.0.1:PORT/private/}: the same behind {@code auth_basic}, with an htpasswd file made with
 *       {@code openssl passwd -apr1} for {@link #USER}/{@link #PASSWORD}
 *   <li>{@code http://127.0.0.1:PORT/static/}: GET and HEAD only
 *   <li>{@code https://127.0.0.1:TLS_PORT/dav/}: {@code /dav/} over TLS, with a certificate for 127.0.0.1 signed by
 *       a CA made by openssl for this server ({@link #caCertificate()})
 * </ul>
 *
 * <p>Without nginx or openssl the test fails (never skips), naming the command that installs them.
 */
public final class NginxServer implements AutoCloseable {
  public static final String INSTALL =
      "bash scripts/test-servers.sh (as root; or: apt-get install nginx-light openssl)";
  public static final String NGINX = "/usr/sbin/nginx";
  public static final String USER = "alice";
  public static final String PASSWORD = "s3cret-Pa55word";

  private final Process process;
  private final Path dir;
  private final int port;
  private final int tlsPort;

  private NginxServer(Process process, Path dir, int port, int tlsPort) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /** Starts nginx with a fresh data directory, a test CA and a server certificate. */
  public static NginxServer start() {
    if (!Files.isExecutable(Path.of(NGINX))) {
      throw new AssertionError("nginx (for the http(s):// remote tests) is not installed: " + NGINX
          + " is missing. Install it with:\n  " + INSTALL);
    }
    try {
      Path dir = Files.createTempDirectory("nginx-");
      Files.createDirectories(dir.resolve("data/dav"));
      Files.createDirectories(dir.resolve("data/private"));
      Files.createDirectories(dir.resolve("data/static"));
      Files.createDirectories(dir.resolve("tmp"));
      openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=mlops test CA");
      openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
          + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
      openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
      String hash = openssl(dir, "passwd", "-apr1", PASSWORD).strip();
      Files.writeString(dir.resolve("htpasswd"), USER + ":" + hash + "\n");
      int port = LocalServers.freePort();
      int tlsPort = LocalServers.freePort();
      Files.writeString(dir.resolve("nginx.conf"), config(dir, port, tlsPort));
      Path log = dir.resolve("stderr.log");
      Process p = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-e", dir.resolve("error.log").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      NginxServer server = new NginxServer(p, dir, port, tlsPort);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + NGINX, e);
    }
  }

  private static String config(Path dir, int port, int tlsPort) {
    String d = dir.toString();
    String dav = "dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r;";
    return String.join("\n",
        "daemon off;",
        "master_process off;",
        "worker_processes 1;",
        "pid " + d + "/nginx.pid;",
        "error_log " + d + "/error.log info;",
        "events { worker_connections 256; }",
        "http {",
        "  log_format methods '$request_method $request_uri $status';",
        "  access_log " + d + "/access.log methods;",
        "  client_body_temp_path " + d + "/tmp/body;",
        "  proxy_temp_path " + d + "/tmp/proxy;",
        "  fastcgi_temp_path " + d + "/tmp/fastcgi;",
        "  uwsgi_temp_path " + d + "/tmp/uwsgi;",
        "  scgi_temp_path " + d + "/tmp/scgi;",
        "  client_max_body_size 0;",
        "  default_type application/octet-stream;",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    root " + d + "/data;",
        "    location /dav/ { " + dav + " }",
        "    location /private/ { auth_basic \"mlops\"; auth_basic_user_file " + d + "/htpasswd; " + dav + " }",
        "    location /static/ { }",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + tlsPort + " ssl;",
        "    ssl_certificate " + d + "/server.pem;",
        "    ssl_certificate_key " + d + "/server.key;",
        "    root " + d + "/data;",
        "    location /dav/ { " + dav + " }",
        "  }",
        "}",
        "");
  }

  /** Runs openssl in {@code dir} and returns what it printed; fails the test when openssl is missing. */
  public static String openssl(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("openssl (for the http(s):// remote tests) is not installed. Install it with:\n  "
          + INSTALL, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }

  private void awaitReady() {
    LocalServers.awaitReady(process, "nginx", "127.0.0.1:" + port, Duration.ofSeconds(30), Duration.ofMillis(100),
        () -> LocalServers.accepts(port) && LocalServers.accepts(tlsPort), this::log);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code https://127.0.0.1:TLS_PORT}. */
  public String tlsEndpoint() {
    return "https://127.0.0.1:" + tlsPort;
  }

  /** The PEM certificate of the CA that signed the TLS server's certificate. */
  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  /** The directory nginx serves: {@code dav/}, {@code private/} and {@code static/} are in it. */
  public Path data() {
    return dir.resolve("data");
  }

  /** Every file under a location ({@code "dav/prefix"}), relative path → bytes as ISO-8859-1 text, sorted. */
  public Map<String, String> files(String location) {
    Map<String, String> out = new TreeMap<>();
    Path base = data().resolve(location);
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(base)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        out.put(base.relativize(f).toString().replace('\\', '/'),
            new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The access log so far: one {@code METHOD URI STATUS} line per request. */
  public List<String> accessLog() {
    try {
      Path f = dir.resolve("access.log");
      return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What nginx printed and logged as errors so far. */
  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {"stderr.log", "error.log"}) {
      try {
        sb.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
      } catch (IOException e) {
        sb.append("(no ").append(f).append(")\n");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    LocalServers.stop(process);
    LocalServers.deleteTree(dir);
  }
}
