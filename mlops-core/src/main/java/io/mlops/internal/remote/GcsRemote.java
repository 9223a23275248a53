package io.mlops.internal.remote;

import com.google.api.gax.paging.Page;
import com.google.auth.Credentials;
import com.google.auth.Retryable;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.Md5FileSink;
import io.mlops.internal.json.PyJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DVC remote in Google Cloud Storage, {@code gs://bucket/path}: objects live at {@code path/files/md5/xx/rest}
 * (and {@code path/xx/rest} for DVC 2 objects), the keys DVC 3 writes through dvc-gs and gcsfs.
 *
 * <p>Options of the remote's section, as DVC's config schema has them for {@code gs}: {@code url},
 * {@code projectname}, {@code credentialpath}, {@code endpointurl} (an emulator or private endpoint, with its
 * {@code http://} or {@code https://} scheme) and {@code allow_anonymous_login}. When {@code endpointurl} is
 * absent, {@value GcsCredentials#EMULATOR_ENV} is honoured as the endpoint (the Java client does not read it
 * itself; gcsfs does). Credentials: see {@link GcsCredentials}.
 *
 * <p>The client speaks JSON over HTTP with its own retries off, so that {@link Retry} alone retries (no nested
 * retry storms), with connect and read timeouts. Files up to {@value #RESUMABLE_THRESHOLD_MIB} MiB are uploaded in
 * one multipart request; larger ones through a resumable upload streamed from the file in chunks of
 * {@value #CHUNK_MIB} MiB, so memory use does not grow with the file. Downloads stream into the target file.
 *
 * <p>Failures: HTTP 408, 429 and 5xx, timeouts and broken connections are {@link Retry.TransientException}s;
 * 404 is a {@link NoSuchFileException} naming the {@code gs://} key, unless the bucket itself is missing, which is
 * one {@link MlopsException} naming the bucket; 401 and 403 are {@link MlopsException}s that say which
 * credentials were refused. Messages and causes pass through a {@link Redactor}: no key material or token in
 * them.
 */
public final class GcsRemote implements RemoteStorage {
  static final int RESUMABLE_THRESHOLD_MIB = 8;
  static final int CHUNK_MIB = 8;
  private static final Pattern SCHEME = Pattern.compile("(?i)https?://.+");
  private static final String USER_AGENT = "mlops";

  /** Transport settings; tests shrink them. */
  record Settings(int connectTimeoutMillis, int readTimeoutMillis, long resumableThreshold, int chunkSize) {
    static Settings defaults() {
      return new Settings(20_000, 60_000, RESUMABLE_THRESHOLD_MIB << 20, CHUNK_MIB << 20);
    }
  }

  private enum Op { EXISTS, LIST, UPLOAD, DOWNLOAD }

  private final String name;
  private final String bucket;
  /** The path inside the bucket with a trailing slash, or empty. */
  private final String root;
  private final String url;
  private final Storage storage;
  private final GcsCredentials.Resolved credentials;
  private final Settings settings;
  /** The credentials with the storage scopes, as the client sends them. */
  private final Credentials scopedCredentials;
  /** {@code <host>/upload/storage/v1/b/<bucket>/o?uploadType=multipart}. */
  private final String uploadUrl;
  private volatile Boolean bucketExists;

  private GcsRemote(String name, String bucket, String root, Storage storage, GcsCredentials.Resolved credentials,
      Settings settings) {
    this.name = name;
    this.bucket = bucket;
    this.root = root;
    this.url = "gs://" + bucket + (root.isEmpty() ? "" : "/" + root.substring(0, root.length() - 1));
    this.storage = storage;
    this.credentials = credentials;
    this.settings = settings;
    StorageOptions options = storage.getOptions();
    this.scopedCredentials = options.getCredentials() instanceof NoCredentials || options.getScopedCredentials() == null
        ? NoCredentials.getInstance() : options.getScopedCredentials();
    this.uploadUrl = options.getHost().replaceAll("/+$", "") + "/upload/storage/v1/b/"
        + URLEncoder.encode(bucket, StandardCharsets.UTF_8) + "/o?uploadType=multipart&fields=name";
  }

  /**
   * Opens the remote.
   *
   * @param name the remote's name, for messages
   * @param url its {@code gs://bucket/path} URL
   * @param opts its options (lower-cased keys)
   * @param credentialPath {@code credentialpath} resolved against the config file that set it, or null
   * @param env the environment the repository was opened with
   * @param log for a debug line naming the endpoint and the source of the credentials
   */
  public static GcsRemote open(String name, String url, Map<String, String> opts, Path credentialPath,
      Map<String, String> env, EngineLog log) {
    return open(name, url, opts, credentialPath, env, log, Settings.defaults());
  }

  static GcsRemote open(String name, String url, Map<String, String> opts, Path credentialPath,
      Map<String, String> env, EngineLog log, Settings settings) {
    WireLogs.quiet();
    String rest = url.strip().replaceFirst("(?i)^gs://", "");
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/{2,}", "/").replaceAll("^/|/$", "");
    if (bucket.isEmpty()) {
      throw new MlopsException("remote '" + name + "' has url " + url + ", which names no bucket", null, 0,
          "write it as gs://<bucket>/<path> with `dvc remote modify " + name + " url gs://<bucket>/<path>`");
    }
    for (String flag : new String[] {"version_aware", "worktree"}) {
      if ("true".equalsIgnoreCase(opts.getOrDefault(flag, "").strip())) {
        throw new MlopsException("remote '" + name + "' is " + flag + ", which this version does not support "
            + "(it would read and write content-addressed keys where DVC expects files by path)", null, 0,
            "use a plain content-addressed remote (`dvc remote modify --unset " + name + " " + flag
                + "`) or run `dvc push` for it");
      }
    }
    String endpoint = endpoint(name, opts, env);
    GcsCredentials.Resolved creds = GcsCredentials.resolve(name, opts, credentialPath, endpoint != null, env);
    String project = first(opts.get("projectname"), creds.projectId(), env.get("GOOGLE_CLOUD_PROJECT"),
        env.get("CLOUDSDK_CORE_PROJECT"));
    HttpStorageOptions.Builder b = StorageOptions.http()
        // always explicit: a missing project id makes the client ask the metadata server for one
        .setProjectId(project == null ? "" : project)
        .setCredentials(creds.credentials())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .setTransportOptions(HttpTransportOptions.newBuilder()
            .setConnectTimeout(settings.connectTimeoutMillis())
            .setReadTimeout(settings.readTimeoutMillis())
            .build());
    if (endpoint != null) {
      b.setHost(endpoint);
    }
    Storage storage = b.build().getService();
    log.debug("remote '" + name + "': gs://" + bucket + "/" + path + " via "
        + (endpoint == null ? "storage.googleapis.com" : endpoint) + ", credentials: " + creds.description());
    return new GcsRemote(name, bucket, path.isEmpty() ? "" : path + "/", storage, creds, settings);
  }

  /** {@code endpointurl}, else {@value GcsCredentials#EMULATOR_ENV} (as gcsfs reads it), else null. */
  static String endpoint(String name, Map<String, String> opts, Map<String, String> env) {
    String configured = opts.get("endpointurl");
    if (configured != null && !configured.isBlank()) {
      String e = configured.strip();
      if (!SCHEME.matcher(e).matches()) {
        throw new MlopsException("endpointurl of remote '" + name + "' is " + e + ", without http:// or https://",
            null, 0, "write it as e.g. http://127.0.0.1:4443 with `dvc remote modify " + name + " endpointurl <url>`");
      }
      return e.replaceAll("/+$", "");
    }
    String emulator = env.get(GcsCredentials.EMULATOR_ENV);
    if (emulator == null || emulator.isBlank() || "default".equals(emulator.strip())) {
      return null;
    }
    String e = emulator.strip();
    return (SCHEME.matcher(e).matches() ? e : "http://" + e).replaceAll("/+$", "");
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  @Override
  public String url() {
    return url;
  }

  /** The bucket's name. */
  public String bucket() {
    return bucket;
  }

  /** Where the credentials came from (a variable or file name, never a secret). */
  public String credentialsDescription() {
    return credentials.description();
  }

  private BlobId blob(String key) {
    return BlobId.of(bucket, root + key);
  }

  private String where(String key) {
    return "gs://" + bucket + "/" + root + key;
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      return storage.get(blob(key), Storage.BlobGetOption.fields(Storage.BlobField.NAME)) != null;
    } catch (RuntimeException e) {
      throw failure(e, key, Op.EXISTS);
    }
  }

  @Override
  public Set<String> list(String prefix) throws IOException {
    Set<String> keys = new HashSet<>();
    try {
      Page<Blob> page = storage.list(bucket, Storage.BlobListOption.prefix(root + prefix),
          Storage.BlobListOption.pageSize(1000), Storage.BlobListOption.fields(Storage.BlobField.NAME));
      for (Blob b : page.iterateAll()) {
        String n = b.getName();
        if (n.startsWith(root) && !n.endsWith("/")) {
          keys.add(n.substring(root.length()));
        }
      }
    } catch (RuntimeException e) {
      throw failure(e, prefix, Op.LIST);
    }
    return keys;
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    long size = Files.size(source);
    if (size <= settings.resumableThreshold()) {
      byte[] bytes = Files.readAllBytes(source);
      try {
        multipartUpload(root + key, bytes);
      } catch (IOException | RuntimeException e) {
        throw failure(e, key, Op.UPLOAD);
      }
      return;
    }
    BlobInfo info = BlobInfo.newBuilder(blob(key)).build();
    try {
      storage.createFrom(info, source, settings.chunkSize(), Storage.BlobWriteOption.disableGzipContent());
    } catch (IOException | RuntimeException e) {
      throw failure(e, key, Op.UPLOAD);
    }
  }

  /**
   * Uploads a small object in one multipart request of the JSON API ({@code uploadType=multipart}), as gcsfs does
   * for DVC: the object's metadata (its name and the md5 of the bytes, which the server checks and refuses on a
   * mismatch) then the bytes, sent with the client's credentials and timeouts over the JDK's HTTP connection pool.
   * The client library's {@code Storage.create} does the same request, but through request, response and metadata
   * objects that cost about 1.5 ms of CPU and thousands of JIT compilations per short push; the push of many small
   * files is bound by that CPU (see benchmarks/transfer.sh). Failures become the {@link StorageException}s or
   * {@link IOException}s the client would raise, so {@link #failure} maps both alike.
   */
  private void multipartUpload(String object, byte[] bytes) throws IOException {
    String boundary = "mlops_" + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    StringBuilder meta = new StringBuilder(200).append("--").append(boundary)
        .append("\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":");
    PyJson.writeJsonString(meta, object);
    meta.append(",\"md5Hash\":\"").append(Base64.getEncoder().encodeToString(FileHasher.md5().digest(bytes)))
        .append("\"}\r\n--").append(boundary).append("\r\nContent-Type: application/octet-stream\r\n\r\n");
    byte[] head = meta.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    URI uri = URI.create(uploadUrl);
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try {
      c.setConnectTimeout(settings.connectTimeoutMillis());
      c.setReadTimeout(settings.readTimeoutMillis());
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setRequestProperty("Content-Type", "multipart/related; boundary=" + boundary);
      c.setRequestProperty("User-Agent", USER_AGENT);
      Credentials creds = scopedCredentials;
      if (!(creds instanceof NoCredentials) && creds.hasRequestMetadata()) { // anonymous: no header, as the client
        Map<String, List<String>> headers = creds.getRequestMetadata(uri);
        if (headers != null) {
          headers.forEach((h, values) -> values.forEach(v -> c.addRequestProperty(h, v)));
        }
      }
      c.setFixedLengthStreamingMode((long) head.length + bytes.length + tail.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(head);
        out.write(bytes);
        out.write(tail);
      }
      int code = c.getResponseCode();
      byte[] body;
      try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
        body = in == null ? new byte[0] : in.readAllBytes(); // read to the end: the connection is then reused
      }
      if (code < 200 || code >= 300) {
        throw new StorageException(code, errorMessage(code, body));
      }
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
  }

  private static final Pattern ERROR_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The {@code error.message} of a JSON API error body, else the start of the body, else the status. */
  static String errorMessage(int code, byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    Matcher m = ERROR_MESSAGE.matcher(text);
    if (m.find()) {
      return m.group(1).replace("\\\"", "\"");
    }
    text = text.strip();
    return text.isEmpty() ? "HTTP " + code : text;
  }

  @Override
  public void download(String key, Path target) throws IOException {
    downloadMd5(key, target);
  }

  @Override
  public String downloadMd5(String key, Path target) throws IOException {
    try (Md5FileSink sink = Md5FileSink.create(target)) {
      storage.downloadTo(blob(key), sink);
      return sink.md5();
    } catch (RuntimeException e) {
      throw failure(e, key, Op.DOWNLOAD);
    }
  }

  /**
   * Turns a failure of the client into what {@link Retry} and {@link DataCloud} act on; throws the errors that no
   * retry or other object can fix (missing bucket, refused credentials).
   */
  private IOException failure(Throwable e, String key, Op op) {
    String where = where(key);
    int code = e instanceof BaseServiceException se ? se.getCode() : 0;
    Throwable cause = credentials.redactor().sanitize(e);
    if (code == 404) {
      requireBucket();
      if (op == Op.DOWNLOAD || op == Op.EXISTS) {
        NoSuchFileException nf = new NoSuchFileException(where);
        nf.initCause(cause);
        return nf;
      }
      return new IOException(where + ": not found (HTTP 404)", cause);
    }
    if (code == 401) {
      throw new MlopsException("the credentials of remote '" + name + "' (" + credentials.description()
          + ") were not accepted for " + where + " (HTTP 401)", null, 0,
          "check that the key is valid and not revoked, or set other credentials (credentialpath, "
              + GcsCredentials.KEY_ENV_DEFAULT + ", " + GcsCredentials.ADC_ENV + ")", cause);
    }
    if (code == 403) {
      throw new MlopsException("no permission on " + where + "; check the service account's roles (remote '"
          + name + "', credentials: " + credentials.description() + ", HTTP 403)", null, 0,
          "grant the account roles/storage.objectViewer on bucket '" + bucket + "' to pull and "
              + "roles/storage.objectAdmin to push", cause);
    }
    if (code == 408 || code == 429 || code >= 500) {
      return new Retry.TransientException(where + ": HTTP " + code + " " + reason(e), cause);
    }
    Retryable auth = find(e, Retryable.class);
    if (auth != null) {
      if (auth.isRetryable()) {
        return new Retry.TransientException(where + ": getting an access token failed: " + reason((Throwable) auth),
            cause);
      }
      throw new MlopsException("remote '" + name + "': cannot get an access token with the credentials from "
          + credentials.description() + ": " + reason((Throwable) auth), null, 0,
          "check that the key is valid and not revoked, and that its token endpoint can be reached", cause);
    }
    if (find(e, UnknownHostException.class) != null) {
      return new IOException(where + ": unknown host " + reason(find(e, UnknownHostException.class)), cause);
    }
    if (find(e, InterruptedIOException.class) != null || find(e, ConnectException.class) != null
        || find(e, SocketException.class) != null || find(e, EOFException.class) != null
        || (e instanceof BaseServiceException se && se.isRetryable())) {
      return new Retry.TransientException(where + ": " + reason(e), cause);
    }
    return new IOException(where + ": " + reason(e), cause);
  }

  /** Throws the clear error for a missing bucket; a bucket that cannot be looked up is assumed to exist. */
  private void requireBucket() {
    Boolean known = bucketExists;
    if (known == null) {
      try {
        known = storage.get(bucket, Storage.BucketGetOption.fields(Storage.BucketField.NAME)) != null;
        bucketExists = known;
      } catch (RuntimeException e) {
        // no storage.buckets.get permission (object roles only), or a passing failure: cannot tell
        return;
      }
    }
    if (!known) {
      throw new MlopsException("bucket '" + bucket + "' of remote '" + name + "' (" + url + ") does not exist",
          null, 0, "create it (e.g. `gcloud storage buckets create gs://" + bucket + "`) or fix the url with "
              + "`dvc remote modify " + name + " url gs://<bucket>/<path>`");
    }
  }

  private String reason(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    m = credentials.redactor().redact(m.strip());
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl).strip();
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  private static <T> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      // nothing to release that matters
    }
  }

  @Override
  public String toString() {
    return "GcsRemote[" + name + ", " + url + "]";
  }
}
