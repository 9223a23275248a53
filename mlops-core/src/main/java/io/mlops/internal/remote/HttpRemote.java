package io.mlops.internal.remote;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.Md5FileSink;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A DVC remote on a plain HTTP(S) server, {@code http://host/path} or {@code https://host/path}, as DVC 3's
 * dvc-http has it: objects are at {@code <url>/files/md5/xx/rest}, read with GET, checked one by one (HTTP cannot
 * list a directory; a HEAD request, or a GET whose body is not read when the server refuses HEAD with 405 or 501),
 * and written with the remote's {@code method}, POST (DVC's default) or PUT (WebDAV servers).
 *
 * <p>Options, as DVC 3.67.1's config schema has them for {@code http} and {@code https}: {@code auth}
 * ({@code basic}, {@code digest} or {@code custom}), {@code user}, {@code password}, {@code ask_password},
 * {@code custom_auth_header} (a header sent with {@code password} as its value), {@code ssl_verify} ({@code true},
 * {@code false} or the path of a PEM bundle of CA certificates trusted besides the JDK's), {@code method},
 * {@code connect_timeout} and {@code read_timeout} (seconds, 60 by default, 0 for no limit) and {@code verify}.
 * Credentials are sent only with {@code auth}, as DVC does; without it, the URL's own {@code user:password@} or
 * the server's entry in {@code $NETRC} or {@code ~/.netrc} are used as Basic credentials, as aiohttp does. Proxies
 * come from {@code http_proxy}, {@code https_proxy} and {@code no_proxy} ({@link HttpEnvironment}). DVC 3.67.1
 * itself refuses {@code auth digest} ("not supported"); this remote implements it ({@link HttpDigest}).
 *
 * <p>Credentials go only to the configured server (not to another host a download is redirected to). 408, 429,
 * 5xx, timeouts and broken connections are {@link Retry.TransientException}s; a missing object is a
 * {@link NoSuchFileException}; refused credentials, an untrusted certificate and a server that does not take
 * uploads are {@link MlopsException}s naming the remote, its URL (never a password) and the fix.
 */
public final class HttpRemote implements RemoteStorage {
  /** Keys of DVC's {@code http} remote schema, {@code REMOTE_COMMON} included. */
  static final Set<String> KNOWN = Set.of(
      "url", "auth", "custom_auth_header", "user", "password", "ask_password", "ssl_verify", "method",
      "connect_timeout", "read_timeout", "verify", "checksum_jobs", "jobs", "worktree", "no_traverse",
      "version_aware");
  /** dvc-http's {@code REQUEST_TIMEOUT}, its default for both timeouts. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_REDIRECTS = 10;
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

  /** Asks the user for a password; null when nobody can be asked. */
  @FunctionalInterface
  interface PasswordPrompt {
    char[] ask(String prompt);
  }

  /** The terminal's console, each (remote URL, user) asked once per process as DVC does. */
  static final PasswordPrompt CONSOLE = new PasswordPrompt() {
    private final Map<String, char[]> answers = new ConcurrentHashMap<>();

    @Override
    public char[] ask(String prompt) {
      Console console = System.console();
      if (console == null) {
        return answers.get(prompt);
      }
      return answers.computeIfAbsent(prompt, p -> console.readPassword("%s", p));
    }
  };

  private final String name;
  private final String url;
  private final String base;
  private final URI origin;
  private final String method;
  private final String credentialSource;
  private final String authHeader;
  private final String authValue;
  private final HttpDigest digest;
  private final String sslVerify;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Path configFile;
  private final Redactor redactor;
  private final HttpClient http;
  private volatile boolean headRefused;

  private HttpRemote(String name, String url, String base, String method, String credentialSource,
      String authHeader, String authValue, HttpDigest digest, String sslVerify, Duration connectTimeout,
      Duration readTimeout, Path configFile, Redactor redactor, HttpClient http) {
    this.name = name;
    this.url = url;
    this.base = base;
    this.origin = URI.create(base);
    this.method = method;
    this.credentialSource = credentialSource;
    this.authHeader = authHeader;
    this.authValue = authValue;
    this.digest = digest;
    this.sslVerify = sslVerify;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.configFile = configFile;
    this.redactor = redactor;
    this.http = http;
  }

  /** Opens the http(s) remote {@code name} of a repository, whose options are {@code opts}. */
  public static HttpRemote open(Repo repo, String name, Map<String, String> opts) {
    return open(name, opts, repo.env(), repo.root(), repo.root().resolve(Repo.DVC_DIR).resolve("config"),
        repo.log(), CONSOLE);
  }

  /**
   * Opens the remote.
   *
   * @param root the directory a relative {@code ssl_verify} path is resolved against (DVC: the working directory)
   * @param prompt asks for the password of an {@code ask_password} remote
   */
  static HttpRemote open(String name, Map<String, String> opts, Map<String, String> env, Path root,
      Path configFile, EngineLog log, PasswordPrompt prompt) {
    Set<String> unknown = new TreeSet<>(opts.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new MlopsException("remote '" + name + "' has options that DVC's http remotes do not have: " + unknown,
          configFile, 0, "remove them with `dvc remote modify --unset " + name + " <option>`; see "
              + "https://dvc.org/doc/user-guide/data-management/remote-storage/http");
    }
    for (String flag : new String[] {"version_aware", "worktree"}) {
      if (bool(name, opts, flag, configFile)) {
        throw new MlopsException("remote '" + name + "' is " + flag + ", which this version does not support",
            configFile, 0, "use a plain content-addressed remote (`dvc remote modify --unset " + name + " " + flag
                + "`) or run `dvc push` for it");
      }
    }
    bool(name, opts, "verify", configFile); // downloads are always verified against their md5
    bool(name, opts, "no_traverse", configFile);

    // url: scheme://[user[:password]@]host[:port]/path, without query or fragment
    String u = opts.get("url").strip();
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new MlopsException("remote '" + name + "' url is not a valid URL: " + e.getReason(), configFile, 0,
          "percent-encode special characters in it (a space is %20)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new MlopsException("remote '" + name + "' url " + Remotes.withoutUserInfo(u) + " names no host", configFile, 0,
          "write it as " + scheme + "://<host>[:<port>]/<path>");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new MlopsException("remote '" + name + "' url " + Remotes.withoutUserInfo(u) + " has a query or a fragment, "
          + "which object paths cannot be appended to", configFile, 0,
          "write it as " + scheme + "://<host>[:<port>]/<path>, and pass a token with `auth custom`");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String base = scheme + "://" + uri.getRawAuthority().replaceFirst("^.*@", "") + path;
    String shown = Remotes.withoutUserInfo(u).replaceAll("/+$", "");
    String urlUser = null;
    String urlPassword = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getUserInfo();
      int colon = info.indexOf(':');
      urlUser = colon < 0 ? info : info.substring(0, colon);
      urlPassword = colon < 0 ? "" : info.substring(colon + 1);
    }

    // credentials: dvc-http's _prepare_credentials, then aiohttp's URL and netrc fallbacks
    String auth = nonBlank(opts.get("auth"));
    auth = auth == null ? null : auth.toLowerCase(Locale.ROOT);
    String user = opts.get("user");
    String password = opts.get("password");
    if (auth != null && password == null && bool(name, opts, "ask_password", configFile)) {
      String forUser = user == null ? "custom" : user;
      char[] answer = prompt.ask("Enter a password for host '" + shown + "' user '" + forUser + "':\n");
      if (answer == null) {
        throw new MlopsException("remote '" + name + "' (" + shown + ") has ask_password set, but there is no "
            + "console to ask for the password on", configFile, 0, "run from a terminal, or store the password with "
                + "`dvc remote modify --local " + name + " password <password>`");
      }
      password = new String(answer);
    }
    HttpEnvironment environment = new HttpEnvironment(env);
    String authHeader = null;
    String authValue = null;
    HttpDigest digest = null;
    String source;
    List<String> secrets = new ArrayList<>();
    secrets.add(password);
    secrets.add(urlPassword);
    if (auth == null) {
      if (user != null || password != null) {
        log.warn("remote '" + name + "' has a user or password but no auth method: they are not sent, as in DVC "
            + "(set one with `dvc remote modify " + name + " auth basic`)");
      }
      String[] netrc = urlUser == null ? environment.netrc(uri.getHost()) : null;
      if (urlUser != null) {
        authHeader = "Authorization";
        authValue = basic(urlUser, urlPassword);
        source = "user '" + urlUser + "' from the url";
      } else if (netrc != null) {
        authHeader = "Authorization";
        authValue = basic(netrc[0], netrc[1]);
        secrets.add(netrc[1]);
        source = "user '" + netrc[0] + "' from " + (env.get("NETRC") != null ? "$NETRC" : "~/.netrc");
      } else {
        source = "no credentials";
      }
    } else {
      if (urlUser != null && !auth.equals("custom")) {
        throw new MlopsException("remote '" + name + "' has credentials both in its url and in auth " + auth,
            configFile, 0, "remove them from the url (`dvc remote modify " + name + " url " + shown + "`)");
      }
      switch (auth) {
        case "basic", "digest" -> {
          if (user == null || password == null) {
            throw new MlopsException("remote '" + name + "': HTTP '" + auth + "' authentication require both "
                + "'user' and 'password'", configFile, 0, "set them with `dvc remote modify --local " + name
                    + " user <user>` and `dvc remote modify --local " + name + " password <password>` (or "
                    + "`... ask_password true`)");
          }
          if (auth.equals("basic")) {
            authHeader = "Authorization";
            authValue = basic(user, password);
          } else {
            digest = new HttpDigest(user, password);
            log.warn("remote '" + name + "' uses digest authentication: the engine supports it, DVC 3.67.1 does not "
                + "(its `dvc push`/`pull` fail with \"Auth method 'digest' is not supported\")");
          }
          source = "auth " + auth + ", user '" + user + "'";
        }
        case "custom" -> {
          String header = nonBlank(opts.get("custom_auth_header"));
          if (header == null || password == null) {
            throw new MlopsException("remote '" + name + "': HTTP 'custom' authentication require both "
                + "'custom_auth_header' and 'password'", configFile, 0, "set them with `dvc remote modify " + name
                    + " custom_auth_header <header>` and `dvc remote modify --local " + name + " password <value>`");
          }
          if (RESTRICTED.contains(header.toLowerCase(Locale.ROOT)) || !header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new MlopsException("remote '" + name + "' custom_auth_header '" + header + "' is not a header "
                + "that can carry credentials", configFile, 0, "use a header name such as Authorization or "
                    + "X-Api-Key");
          }
          authHeader = header;
          authValue = password;
          source = "auth custom, header " + header;
        }
        default -> throw new MlopsException("remote '" + name + "' option auth is '" + auth + "', not one of basic, "
            + "digest, custom", configFile, 0, "set it with `dvc remote modify " + name + " auth basic`");
      }
    }
    if (authValue != null) {
      secrets.add(authValue);
      secrets.add(authValue.replaceFirst("^Basic ", ""));
    }
    String m = nonBlank(opts.get("method"));
    m = m == null ? "POST" : m.toUpperCase(Locale.ROOT);
    if (!m.equals("POST") && !m.equals("PUT")) {
      throw new MlopsException("remote '" + name + "' option method is '" + opts.get("method") + "': it has to be "
          + "either 'post' or 'put'", configFile, 0, "set it with `dvc remote modify " + name + " method PUT` (for "
              + "WebDAV servers) or `... method POST`");
    }
    Duration connect = seconds(name, opts, "connect_timeout", configFile);
    Duration read = seconds(name, opts, "read_timeout", configFile);

    String verify = nonBlank(opts.get("ssl_verify"));
    SSLContext tls;
    String sslVerify;
    if (verify == null || verify.equalsIgnoreCase("true")) {
      // as OpenSSL's default paths do for DVC (aiohttp's default context): $SSL_CERT_FILE, $SSL_CERT_DIR
      List<Path> fromEnv = new ArrayList<>();
      String certFile = nonBlank(env.get("SSL_CERT_FILE"));
      String certDir = nonBlank(env.get("SSL_CERT_DIR"));
      List<String> named = new ArrayList<>();
      if (certFile != null) {
        fromEnv.add(root.resolve(certFile));
        named.add("$SSL_CERT_FILE (" + root.resolve(certFile) + ")");
      }
      if (certDir != null) {
        int before = fromEnv.size();
        List<String> dirs = new ArrayList<>();
        for (String d : certDir.split(java.io.File.pathSeparator)) {
          fromEnv.addAll(pemFilesIn(root.resolve(d)));
          dirs.add(root.resolve(d).toString());
        }
        int n = fromEnv.size() - before;
        named.add("$SSL_CERT_DIR (" + String.join(java.io.File.pathSeparator, dirs) + ", " + n
            + (n == 1 ? " file)" : " files)"));
      }
      if (fromEnv.isEmpty()) {
        tls = null;
        sslVerify = "the JDK's trusted CAs";
      } else {
        String what = certFile != null && certDir != null ? "$SSL_CERT_FILE and $SSL_CERT_DIR"
            : certFile != null ? "$SSL_CERT_FILE" : "$SSL_CERT_DIR";
        tls = context(trustWith(name, fromEnv, what, configFile));
        sslVerify = "the JDK's trusted CAs and " + String.join(" and ", named);
      }
    } else if (verify.equalsIgnoreCase("false")) {
      tls = context(new TrustAll());
      sslVerify = "no certificate check (ssl_verify false)";
    } else {
      Path bundle = root.resolve(verify);
      tls = context(trustWith(name, List.of(bundle), "option ssl_verify", configFile));
      sslVerify = "the JDK's trusted CAs and " + bundle;
    }

    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(new EnvProxies(environment))
        .executor(Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "mlops-http");
          t.setDaemon(true);
          return t;
        }));
    if (connect != null) {
      b.connectTimeout(connect);
    }
    if (tls != null) {
      b.sslContext(tls);
    }
    HttpEnvironment.Proxy proxy = environment.proxyFor(URI.create(base));
    if (proxy != null && proxy.user() != null) {
      // only then: with an authenticator the JDK answers a server's Basic challenge itself ("No credentials")
      b.authenticator(new ProxyCredentials(environment));
      secrets.add(proxy.password());
    }
    Redactor redactor = Redactor.of(secrets);
    return new HttpRemote(name, shown, base, m, source, authHeader, authValue, digest, sslVerify, connect, read,
        configFile, redactor, b.build());
  }

  @Override
  public String url() {
    return url;
  }

  /** Which credentials are sent and where they came from (never the secret itself). */
  public String credentialsDescription() {
    return credentialSource;
  }

  /** The upload method, {@code POST} or {@code PUT}. */
  public String method() {
    return method;
  }

  @Override
  public boolean canTraverse() {
    return false;
  }

  @Override
  public boolean exists(String key) throws IOException {
    if (!headRefused) {
      int status = status("HEAD", key);
      if (status != 405 && status != 501) {
        return found(status, "HEAD", key);
      }
      headRefused = true;
    }
    return found(status("GET", key), "GET", key);
  }

  private boolean found(int status, String action, String key) throws IOException {
    if (status >= 200 && status < 300) {
      return true;
    }
    if (status == 404 || status == 410) {
      return false;
    }
    throw failure(status, action, key);
  }

  /** The status of a request whose response body is not read. */
  private int status(String action, String key) throws IOException {
    HttpResponse<InputStream> r = send(action, key, null);
    r.body().close();
    return r.statusCode();
  }

  /** HTTP has no directory listing: objects are checked one by one ({@link #canTraverse()} is false). */
  @Override
  public Set<String> list(String prefix) {
    throw new MlopsException("remote '" + name + "' (" + url + ") cannot be listed: plain HTTP has no directory "
        + "listing (DVC cannot list it either), so " + prefix + " cannot be enumerated", configFile, 0,
        "transfer what the workspace tracks (push/pull without --run-cache), or use a remote that can be listed");
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    HttpResponse<InputStream> r = send(method, key, source);
    r.body().close();
    int status = r.statusCode();
    if (status < 200 || status >= 300) {
      throw failure(status, method, key);
    }
  }

  @Override
  public void download(String key, Path target) throws IOException {
    downloadMd5(key, target);
  }

  @Override
  public String downloadMd5(String key, Path target) throws IOException {
    HttpResponse<InputStream> r = send("GET", key, null);
    int status = r.statusCode();
    if (status < 200 || status >= 300) {
      r.body().close();
      if (status == 404 || status == 410) {
        throw new MissingObject(url + "/" + key);
      }
      throw failure(status, "GET", key);
    }
    long received;
    String md5;
    try (InputStream in = r.body(); Md5FileSink out = Md5FileSink.create(target)) {
      received = in.transferTo(out);
      md5 = out.md5();
    } catch (IOException e) {
      throw failure(e, "GET", key);
    }
    long expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (expected >= 0 && received != expected && r.headers().firstValue("Content-Encoding").isEmpty()) {
      throw new Retry.TransientException("GET " + where(key) + " ended after " + received + " of " + expected
          + " bytes", null);
    }
    return md5;
  }

  @Override
  public boolean isNotFound(IOException e) {
    return e instanceof MissingObject;
  }

  @Override
  public String toString() {
    return "HttpRemote[" + name + " " + url + "]";
  }

  /**
   * Sends a request for a key and returns the response with its body unread: credentials are added for the
   * configured origin only, a Digest challenge is answered once, GET and HEAD follow up to ten redirects.
   */
  private HttpResponse<InputStream> send(String action, String key, Path body) throws IOException {
    URI target = URI.create(base + "/" + key);
    boolean challenged = false;
    for (int hops = 0; ; ) {
      HttpRequest.Builder b = HttpRequest.newBuilder(target);
      if (readTimeout != null) {
        b.timeout(readTimeout);
      }
      b.method(action, body == null ? BodyPublishers.noBody() : BodyPublishers.ofFile(body));
      if (body != null) {
        b.header("Content-Type", "application/octet-stream");
      }
      boolean sameOrigin = sameOrigin(target);
      if (sameOrigin && authValue != null) {
        b.header(authHeader, authValue);
      }
      if (sameOrigin && digest != null && digest.ready()) {
        String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        b.header("Authorization", digest.authorization(action, path, body));
      }
      HttpResponse<InputStream> r;
      try {
        r = http.send(b.build(), info -> BodySubscribers.mapping(BodySubscribers.ofPublisher(),
            p -> new TimedBody(p, readTimeout)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted: " + action + " " + where(key));
      } catch (IOException | IllegalArgumentException e) {
        throw failure(e instanceof IOException io ? io : new IOException(e), action, key);
      }
      int status = r.statusCode();
      if (status == 401 && sameOrigin && digest != null && !challenged
          && digest.accept(r.headers().allValues("WWW-Authenticate"))) {
        r.body().close();
        challenged = true;
        continue;
      }
      String location = r.headers().firstValue("Location").orElse(null);
      if (body == null && location != null && List.of(301, 302, 303, 307, 308).contains(status)
          && hops < MAX_REDIRECTS) {
        r.body().close();
        target = target.resolve(location);
        hops++;
        challenged = false;
        continue;
      }
      return r;
    }
  }

  private boolean sameOrigin(URI u) {
    return u.getScheme().equalsIgnoreCase(origin.getScheme()) && u.getHost().equalsIgnoreCase(origin.getHost())
        && port(u) == port(origin);
  }

  private static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private String where(String key) {
    return url + (key == null || key.isEmpty() ? "" : "/" + key) + " (remote '" + name + "')";
  }

  /**
   * What an HTTP error status means for the caller: a {@link Retry.TransientException}, a plain
   * {@link IOException}, or (thrown) an {@link MlopsException} for what only the user can fix.
   */
  private IOException failure(int status, String action, String key) {
    String what = action + " " + where(key);
    String code = "HTTP " + status + reason(status);
    boolean upload = action.equals("POST") || action.equals("PUT");
    switch (status) {
      case 401 -> throw new MlopsException(code + " from remote '" + name + "' (" + url + "): the server "
          + (credentialSource.equals("no credentials") ? "asks for credentials" : "refused the credentials ("
              + credentialSource + ")"), configFile, 0, credentialsHint());
      case 403 -> throw new MlopsException(code + " from remote '" + name + "' (" + url + "): access to " + key
          + " is denied (" + action + ", " + credentialSource + ")", configFile, 0,
          "give " + (credentialSource.equals("no credentials") ? "anonymous users" : "these credentials")
              + (upload ? " write access to push" : " read access to pull") + ", or check user and password with "
              + "`dvc remote modify --local " + name + " user ...` / `... password ...`");
      case 407 -> throw new MlopsException(code + " from the proxy of remote '" + name + "' (" + url + "): it wants "
          + "credentials", configFile, 0, "put them in the proxy URL (" + (url.startsWith("https") ? "https_proxy"
              : "http_proxy") + "=http://user:password@host:port) or in ~/.netrc for the proxy's host");
      default -> {
        if (upload && (status == 404 || status == 405 || status == 501)) {
          // nginx answers a POST with 404 where there is no file yet, and with 405 where there is one
          throw new MlopsException(code + ": the server of remote '" + name + "' (" + url + ") does not take "
              + action + " uploads", configFile, 0, action.equals("POST")
                  ? "DVC uploads with POST unless told otherwise; for a WebDAV server (nginx `dav_methods PUT`, "
                      + "Apache mod_dav) set `dvc remote modify " + name + " method PUT`"
                  : "enable PUT on the server (nginx: `dav_methods PUT; create_full_put_path on;`), or set "
                      + "`dvc remote modify " + name + " method POST` if it takes POST uploads");
        }
        if (upload && status == 409) {
          throw new MlopsException(code + ": the server of remote '" + name + "' (" + url + ") cannot create "
              + key, configFile, 0, "let it create the parent directories (nginx: `create_full_put_path on;`)");
        }
        if (upload && status == 413) {
          throw new MlopsException(code + ": the server of remote '" + name + "' (" + url + ") refused " + key
              + " as too large", configFile, 0, "raise the server's limit (nginx: `client_max_body_size 0;`)");
        }
        if (status == 408 || status == 429 || status >= 500) {
          return new Retry.TransientException(what + " failed: " + code + " (a temporary error)", null);
        }
        return new IOException(what + " failed: " + code);
      }
    }
  }

  private String credentialsHint() {
    if (credentialSource.equals("no credentials")) {
      return "set them with `dvc remote modify " + name + " auth basic`, `dvc remote modify --local " + name
          + " user <user>` and `dvc remote modify --local " + name + " password <password>`";
    }
    if (credentialSource.endsWith("netrc")) {
      return "fix the entry for " + origin.getHost() + " in " + credentialSource.replaceFirst("^.* from ", "")
          + ", or set `dvc remote modify " + name + " auth basic` with user and password";
    }
    if (credentialSource.endsWith("from the url")) {
      return "fix the user and password in the url (`dvc remote modify --local " + name + " url ...`), or move them "
          + "to `auth basic` with user and password";
    }
    if (credentialSource.startsWith("auth custom")) {
      return "check the header's value: `dvc remote modify --local " + name + " password <token>`";
    }
    return "check user and password: `dvc remote modify --local " + name + " user <user>` and `dvc remote modify "
        + "--local " + name + " password <password>`";
  }

  /** What a failed exchange means: a TLS refusal (thrown), an unknown host, else a transient failure. */
  private IOException failure(IOException e, String action, String key) {
    String what = action + " " + where(key);
    Throwable cause = redactor.sanitize(e);
    CertificateException cert = find(e, CertificateException.class);
    if (cert != null || (e instanceof SSLException && String.valueOf(e.getMessage()).contains("PKIX"))) {
      String detail = cert != null ? message(cert) : message(e);
      throw new MlopsException("remote '" + name + "' (" + url + "): the server's TLS certificate is not trusted ("
          + detail + "; checked against " + sslVerify + ")", configFile, 0,
          "if the server uses a private CA, point ssl_verify at its certificate: `dvc remote modify " + name
              + " ssl_verify /path/to/ca.pem` (or, insecure, `dvc remote modify " + name + " ssl_verify false`)",
          cause);
    }
    if ("No credentials provided".equals(e.getMessage())) {
      return failure(401, action, key); // the JDK's answer to a Basic challenge without credentials (throws)
    }
    if (e instanceof SSLException) {
      return new IOException(what + " failed: TLS handshake: " + message(e) + " (does the server speak "
          + origin.getScheme() + "?)", cause);
    }
    if (find(e, UnknownHostException.class) != null || find(e, UnresolvedAddressException.class) != null) {
      return new IOException(what + " failed: unknown host " + origin.getHost() + " (check the url)", cause);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return new Retry.TransientException(what + " timed out connecting (connect_timeout " + seconds(connectTimeout)
          + ")", cause);
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return new Retry.TransientException(what + " timed out (read_timeout " + seconds(readTimeout) + ")", cause);
    }
    return new Retry.TransientException(what + " failed: " + message(e), cause);
  }

  private static String seconds(Duration d) {
    return d == null ? "none" : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  private String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    // the JDK's nested class names say nothing to a user
    m = redactor.redact(m.strip()).replaceAll("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl).strip() : m;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> " Bad Request";
      case 401 -> " Unauthorized";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 405 -> " Method Not Allowed";
      case 407 -> " Proxy Authentication Required";
      case 408 -> " Request Timeout";
      case 409 -> " Conflict";
      case 413 -> " Content Too Large";
      case 429 -> " Too Many Requests";
      case 500 -> " Internal Server Error";
      case 501 -> " Not Implemented";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> "";
    };
  }

  private static <T> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** aiohttp's {@code BasicAuth}: latin-1 unless the text needs more (then UTF-8, as RFC 7617 allows). */
  private static String basic(String user, String password) {
    String pair = user + ":" + password;
    boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(pair);
    return "Basic " + Base64.getEncoder().encodeToString(
        pair.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
  }

  /** The files of an OpenSSL certificate directory (hashed links or plain PEM files); none if it is missing. */
  private static List<Path> pemFilesIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * A trust manager for the JDK's CAs and those of PEM bundles, as Python's {@code load_verify_locations}; {@code what}
   * names where the bundles come from (the option or the environment variable), for the errors.
   */
  private static TrustManager trustWith(String name, List<Path> bundles, String what, Path configFile) {
    String fix = what.startsWith("option") ? "point it at a PEM file of CA certificates with `dvc remote modify " + name
        + " ssl_verify <path>` (or true, or false)" : "point " + what + " at PEM files of CA certificates, or unset it";
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      int n = 0;
      for (Path bundle : bundles) {
        String pem;
        try {
          pem = Files.readString(bundle, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          throw new MlopsException("remote '" + name + "': " + what + " names " + bundle + ", which cannot be read ("
              + e.getClass().getSimpleName() + ")", configFile, 0, fix);
        }
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
          byte[] der = Base64.getMimeDecoder().decode(m.group(1));
          store.setCertificateEntry("bundle-" + n++, cf.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
      }
      if (n == 0) {
        throw new MlopsException("remote '" + name + "': " + what + " names " + bundles.stream().map(Path::toString)
            .collect(java.util.stream.Collectors.joining(", ")) + ", which holds no PEM certificate", configFile, 0,
            fix + " (-----BEGIN CERTIFICATE-----)");
      }
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate ca : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, ca);
          }
        }
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new MlopsException("remote '" + name + "': the certificates of " + what + " cannot be read: "
          + e.getMessage(), configFile, 0, fix);
    }
  }

  private static SSLContext context(TrustManager trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trust}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean bool(String name, Map<String, String> opts, String key, Path configFile) {
    String v = opts.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new MlopsException("remote '" + name + "' option " + key + " is '" + v
          + "', expected true or false", configFile, 0, "set it with `dvc remote modify " + name + " " + key
              + " true` (or false)");
    };
  }

  /** A timeout option in seconds (a decimal number, 0 for none); null for no limit, DVC's 60 s when unset. */
  private static Duration seconds(String name, Map<String, String> opts, String key, Path configFile) {
    String v = nonBlank(opts.get(key));
    if (v == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      double s = Double.parseDouble(v);
      if (s >= 0 && !Double.isInfinite(s)) {
        return s == 0 ? null : Duration.ofNanos(Math.max(1, (long) (s * 1e9)));
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new MlopsException("remote '" + name + "' option " + key + " is '" + v + "', not a number of seconds",
        configFile, 0, "set it with `dvc remote modify " + name + " " + key + " <seconds>` (0 for no limit)");
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public void close() {
    // the JDK client's connections are released when it is collected; nothing else is held
  }

  /** An object that is not on the server. */
  static final class MissingObject extends NoSuchFileException {
    MissingObject(String url) {
      super(url);
    }
  }

  /** {@code ssl_verify false}: any certificate, any host name, as Python's unverified context. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** The proxy {@link HttpEnvironment} names for each request, else a direct connection. */
  private static final class EnvProxies extends ProxySelector {
    private final HttpEnvironment environment;

    EnvProxies(HttpEnvironment environment) {
      this.environment = environment;
    }

    @Override
    public List<java.net.Proxy> select(URI uri) {
      HttpEnvironment.Proxy p = environment.proxyFor(uri);
      return List.of(p == null ? java.net.Proxy.NO_PROXY
          : new java.net.Proxy(java.net.Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.host(), p.port())));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      // the request fails and is retried as a whole
    }
  }

  /** Answers a proxy's 407 with the proxy's credentials; never answers the server (credentials are ours). */
  private static final class ProxyCredentials extends Authenticator {
    private final HttpEnvironment environment;

    ProxyCredentials(HttpEnvironment environment) {
      this.environment = environment;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY || getRequestingURL() == null) {
        return null;
      }
      try {
        HttpEnvironment.Proxy p = environment.proxyFor(getRequestingURL().toURI());
        return p == null || p.user() == null ? null : new PasswordAuthentication(p.user(), p.password().toCharArray());
      } catch (URISyntaxException e) {
        return null;
      }
    }
  }
}
