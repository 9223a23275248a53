package io.mlops.internal.remote;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.Md5FileSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * A DVC remote in an S3 bucket ({@code s3://bucket/prefix}), or any S3-compatible store through
 * {@code endpointurl}: objects live at {@code prefix/files/md5/xx/rest}, exactly where DVC puts them.
 *
 * <p>Small files go up in one PUT, larger ones in parts read from the file one at a time (boto's
 * {@code multipart_threshold}/{@code multipart_chunksize}, 8 MiB by default, at most
 * {@link #MAX_REQUEST_BODY}), so a big file is never held in memory whole; downloads stream to the target. The SDK's own retries are off: throttling, 5xx and timeouts become {@link Retry.TransientException}
 * so that {@link Retry} alone decides. Missing objects are {@link NoSuchFileException}s; a missing bucket,
 * refused credentials and denied access are {@link MlopsException}s that say what to do. No message carries
 * a secret.
 */
public final class S3Remote implements RemoteStorage {
  private static final Pattern MD5_KEY = Pattern.compile("files/md5/([0-9a-f]{2})/([0-9a-f]{30})(\\.dir)?");
  private static final int MAX_PARTS = 10_000;
  /**
   * The java.net HTTP client holds a request body in memory while it sends it, so no single PUT or part is
   * larger than this (unless a file needs bigger parts to stay within 10,000 of them).
   */
  static final long MAX_REQUEST_BODY = 64 * S3Settings.MIB;

  private final S3Settings settings;
  private final S3Client s3;
  private final SdkHttpClient http;
  private final ObjectCannedACL acl;
  private final String sseCustomerKeyMd5;
  private volatile boolean bucketChecked;

  private S3Remote(S3Settings settings, Map<String, String> env) {
    this.settings = settings;
    this.acl = settings.acl == null ? null : ObjectCannedACL.fromValue(settings.acl);
    if (acl == ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
      throw settings.error("remote '" + settings.remoteName + "' acl '" + settings.acl + "' is not a canned S3 ACL",
          "use one of " + ObjectCannedACL.knownValues());
    }
    this.sseCustomerKeyMd5 = settings.sseCustomerKey == null ? null
        : Base64.getEncoder().encodeToString(md5(Base64.getDecoder().decode(settings.sseCustomerKey)));
    this.http = httpClient(settings);
    ProfileFile files = S3Credentials.profileFile(settings.credentialsFile, settings.awsConfigFile);
    try {
      S3ClientBuilder b = S3Client.builder()
          .httpClient(http)
          .region(Region.of(settings.region != null ? settings.region : "us-east-1"))
          .crossRegionAccessEnabled(settings.region == null && settings.endpoint == null)
          .forcePathStyle(settings.pathStyle)
          .credentialsProvider(S3Credentials.provider(settings, env, files))
          // S3-compatible stores often reject the SDK's newer default checksums; every object is md5-checked
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .overrideConfiguration(o -> o
              .retryStrategy(AwsRetryStrategy.doNotRetry())
              .defaultProfileFile(files)
              .defaultProfileName(settings.profile != null ? settings.profile : "default"));
      if (settings.endpoint != null) {
        b.endpointOverride(settings.endpoint);
      }
      this.s3 = b.build();
    } catch (SdkException e) {
      http.close();
      throw settings.error("cannot set up the S3 client for remote '" + settings.remoteName + "': "
          + settings.redact(e.getMessage()), "check the remote's region, endpointurl and profile");
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /** Opens the S3 remote {@code name} of a repository, whose options are {@code opts}. */
  public static S3Remote open(Repo repo, String name, Map<String, String> opts) {
    WireLogs.quiet();
    String section = "remote \"" + name + "\"";
    S3Settings s = new S3Settings(name, opts, repo.env(), key -> repo.config().getPath(section, key),
        repo.root().resolve(Repo.DVC_DIR).resolve("config"));
    return new S3Remote(s, repo.env());
  }

  @Override
  public String url() {
    return settings.url;
  }

  /** The bucket holding the remote. */
  public String bucket() {
    return settings.bucket;
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(head(key));
      return true;
    } catch (SdkException e) {
      IOException f = failure(e, "HEAD", key);
      if (f instanceof MissingObject) {
        checkBucket();
        return false;
      }
      throw f;
    }
  }

  @Override
  public Set<String> list(String prefix) throws IOException {
    Set<String> keys = new HashSet<>();
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(settings.bucket).prefix(settings.root + prefix)
        .build();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
        String k = o.key();
        if (k.startsWith(settings.root) && !k.endsWith("/")) {
          keys.add(k.substring(settings.root.length()));
        }
      }
    } catch (SdkException e) {
      IOException f = failure(e, "LIST", prefix);
      if (f instanceof MissingObject) {
        checkBucket();
        return keys;
      }
      throw f;
    }
    return keys;
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    long size = Files.size(source);
    if (size < Math.min(settings.multipartThreshold, MAX_REQUEST_BODY)) {
      PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket).key(settings.root + key)
          .contentLength(size).contentType("application/octet-stream");
      String md5 = contentMd5(key);
      if (md5 != null) {
        req.contentMD5(md5);
      }
      applyWriteOptions(req);
      try {
        s3.putObject(req.build(), RequestBody.fromFile(source));
      } catch (SdkException e) {
        throw failure(e, "PUT", key);
      }
      return;
    }
    uploadInParts(source, key, size);
  }

  /**
   * A multipart upload, parts read from the file one at a time; each part is retried on its own, so a failure
   * that outlives the retries is final (the whole file is not retried again on top) and the upload is aborted.
   */
  private void uploadInParts(Path source, String key, long size) throws IOException {
    long partSize = Math.max(Math.min(settings.multipartChunkSize, MAX_REQUEST_BODY),
        (size + MAX_PARTS - 1) / MAX_PARTS);
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
        .bucket(settings.bucket).key(settings.root + key).contentType("application/octet-stream");
    applyWriteOptions(create);
    String uploadId = Retry.run(() -> {
      try {
        return s3.createMultipartUpload(create.build()).uploadId();
      } catch (SdkException e) {
        throw failure(e, "PUT (multipart start)", key);
      }
    });
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += partSize, number++) {
        long len = Math.min(partSize, size - offset);
        int n = number;
        long off = offset;
        String etag = Retry.run(() -> {
          UploadPartRequest.Builder part = UploadPartRequest.builder().bucket(settings.bucket)
              .key(settings.root + key).uploadId(uploadId).partNumber(n).contentLength(len);
          if (sseCustomerKeyMd5 != null) {
            part.sseCustomerAlgorithm(settings.sseCustomerAlgorithm).sseCustomerKey(settings.sseCustomerKey)
                .sseCustomerKeyMD5(sseCustomerKeyMd5);
          }
          try (FileSlice slice = new FileSlice(source, off, len)) {
            return s3.uploadPart(part.build(), RequestBody.fromContentProvider(slice, len, "application/octet-stream"))
                .eTag();
          } catch (SdkException e) {
            throw failure(e, "PUT (part " + n + ")", key);
          } catch (UncheckedIOException e) {
            throw e.getCause();
          }
        });
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      Retry.run(() -> {
        try {
          return s3.completeMultipartUpload(c -> c.bucket(settings.bucket).key(settings.root + key)
              .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
          throw failure(e, "PUT (multipart end)", key);
        }
      });
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(a -> a.bucket(settings.bucket).key(settings.root + key).uploadId(uploadId));
      } catch (SdkException ignored) {
        // best effort: the bucket's lifecycle rules clean up what is left
      }
      if (e instanceof Retry.TransientException) {
        throw new IOException(e.getMessage() + " (gave up after " + Retry.ATTEMPTS + " attempts)", e);
      }
      throw e;
    }
  }

  @Override
  public void download(String key, Path target) throws IOException {
    downloadMd5(key, target);
  }

  @Override
  public String downloadMd5(String key, Path target) throws IOException {
    GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(settings.bucket).key(settings.root + key);
    if (sseCustomerKeyMd5 != null) {
      req.sseCustomerAlgorithm(settings.sseCustomerAlgorithm).sseCustomerKey(settings.sseCustomerKey)
          .sseCustomerKeyMD5(sseCustomerKeyMd5);
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(req.build());
    } catch (SdkException e) {
      IOException f = failure(e, "GET", key);
      if (f instanceof MissingObject) {
        checkBucket();
      }
      throw f;
    }
    try (in; Md5FileSink out = Md5FileSink.create(target)) {
      byte[] buf = new byte[1 << 16];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException | SdkException e) {
          in.abort();
          throw new Retry.TransientException("GET " + where(key) + " broke off: " + settings.redact(e.getMessage()),
              e);
        }
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
      }
      return out.md5();
    }
  }

  @Override
  public boolean isNotFound(IOException e) {
    return e instanceof MissingObject;
  }

  @Override
  public void close() {
    s3.close();
    http.close();
  }

  @Override
  public String toString() {
    return "S3Remote[" + settings.remoteName + " " + settings.url + "]";
  }

  /** After a 404: a missing bucket is a configuration error, not a missing object. Checked once. */
  private void checkBucket() throws IOException {
    if (bucketChecked) {
      return;
    }
    try {
      s3.headBucket(b -> b.bucket(settings.bucket));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        throw noSuchBucket();
      }
      if (e.statusCode() != 403 && e.statusCode() != 301) { // 403: no s3:ListBucket; objects may still be readable
        throw failure(e, "HEAD bucket", null);
      }
    } catch (SdkException e) {
      throw failure(e, "HEAD bucket", null);
    }
    bucketChecked = true;
  }

  private HeadObjectRequest head(String key) {
    HeadObjectRequest.Builder b = HeadObjectRequest.builder().bucket(settings.bucket).key(settings.root + key);
    if (sseCustomerKeyMd5 != null) {
      b.sseCustomerAlgorithm(settings.sseCustomerAlgorithm).sseCustomerKey(settings.sseCustomerKey)
          .sseCustomerKeyMD5(sseCustomerKeyMd5);
    }
    return b.build();
  }

  private void applyWriteOptions(PutObjectRequest.Builder b) {
    if (settings.sse != null) {
      b.serverSideEncryption(settings.sse);
    }
    if (settings.sseKmsKeyId != null) {
      b.ssekmsKeyId(settings.sseKmsKeyId);
    }
    if (sseCustomerKeyMd5 != null) {
      b.sseCustomerAlgorithm(settings.sseCustomerAlgorithm).sseCustomerKey(settings.sseCustomerKey)
          .sseCustomerKeyMD5(sseCustomerKeyMd5);
    }
    if (acl != null) {
      b.acl(acl);
    }
    settings.grants.forEach((k, v) -> {
      switch (k) {
        case "grant_full_control" -> b.grantFullControl(v);
        case "grant_read" -> b.grantRead(v);
        case "grant_read_acp" -> b.grantReadACP(v);
        default -> b.grantWriteACP(v);
      }
    });
  }

  private void applyWriteOptions(CreateMultipartUploadRequest.Builder b) {
    if (settings.sse != null) {
      b.serverSideEncryption(settings.sse);
    }
    if (settings.sseKmsKeyId != null) {
      b.ssekmsKeyId(settings.sseKmsKeyId);
    }
    if (sseCustomerKeyMd5 != null) {
      b.sseCustomerAlgorithm(settings.sseCustomerAlgorithm).sseCustomerKey(settings.sseCustomerKey)
          .sseCustomerKeyMD5(sseCustomerKeyMd5);
    }
    if (acl != null) {
      b.acl(acl);
    }
    settings.grants.forEach((k, v) -> {
      switch (k) {
        case "grant_full_control" -> b.grantFullControl(v);
        case "grant_read" -> b.grantRead(v);
        case "grant_read_acp" -> b.grantReadACP(v);
        default -> b.grantWriteACP(v);
      }
    });
  }

  /** Content-MD5 of a 3.x object, known from its key: S3 then refuses a body that does not match. */
  private static String contentMd5(String key) {
    Matcher m = MD5_KEY.matcher(key);
    if (!m.matches()) {
      return null;
    }
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(m.group(1) + m.group(2)));
  }

  private String where(String key) {
    return settings.url + (key == null ? "" : "/" + key) + " (remote '" + settings.remoteName + "')";
  }

  private MlopsException noSuchBucket() {
    return settings.error("bucket '" + settings.bucket + "' of remote '" + settings.remoteName + "' ("
            + settings.url + ") does not exist" + (settings.endpoint != null ? " at " + settings.endpoint : ""),
        "create it (`aws s3 mb s3://" + settings.bucket + "`), or fix the url with `dvc remote modify "
            + settings.remoteName + " url s3://<bucket>/<path>`"
            + (settings.endpoint != null ? " and check endpointurl" : ""));
  }

  /**
   * What an SDK failure means for the caller: a {@link MissingObject}, a {@link Retry.TransientException}, a
   * plain {@link IOException}, or (thrown) an {@link MlopsException} for what only the user can fix.
   */
  private IOException failure(SdkException e, String action, String key) {
    String what = action + " " + where(key);
    if (e instanceof AwsServiceException ase) {
      int status = ase.statusCode();
      String code = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorCode() != null
          ? ase.awsErrorDetails().errorCode() : "";
      String detail = (code.isEmpty() ? "" : code + ", ") + "HTTP " + status
          + (ase.requestId() != null ? ", request id " + ase.requestId() : "");
      if (code.equals("NoSuchBucket")) {
        throw noSuchBucket();
      }
      if (status == 404 || code.equals("NoSuchKey") || code.equals("NoSuchUpload")) {
        return new MissingObject(settings.url + "/" + key);
      }
      if (status == 429 || status >= 500 || code.equals("SlowDown") || code.equals("RequestTimeout")
          || code.equals("Throttling") || code.equals("ThrottlingException")
          || code.equals("RequestThrottled") || code.equals("InternalError")) {
        return new Retry.TransientException(what + " failed: " + detail + " (a temporary error)", e);
      }
      if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch")
          || code.equals("InvalidToken") || code.equals("ExpiredToken") || code.equals("TokenRefreshRequired")) {
        throw settings.error("S3 rejected the credentials of remote '" + settings.remoteName + "' for bucket '"
                + settings.bucket + "' (" + detail + ")",
            code.contains("Token") ? "refresh the session token (session_token, AWS_SESSION_TOKEN or the profile)"
                : "check access_key_id/secret_access_key (`dvc remote modify --local " + settings.remoteName
                    + " access_key_id ...`), the profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                    + (settings.endpoint != null ? "; they must be keys of " + settings.endpoint : ""));
      }
      if (status == 403) {
        throw settings.error("access denied to bucket '" + settings.bucket + "' of remote '" + settings.remoteName
                + "' (" + action + " " + settings.url + (key == null ? "" : "/" + key) + ": " + detail + ")",
            "check the credentials (access_key_id/secret_access_key in .dvc/config.local, the profile, or "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), and give them s3:ListBucket on arn:aws:s3:::"
                + settings.bucket + " and s3:GetObject/s3:PutObject on arn:aws:s3:::" + settings.bucket + "/"
                + settings.root + "*");
      }
      if (status == 301 || code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed")
          || code.equals("IllegalLocationConstraintException")) {
        throw settings.error("bucket '" + settings.bucket + "' is not in region "
                + (settings.region == null ? "us-east-1" : settings.region) + " (" + detail + ")",
            "set the bucket's region with `dvc remote modify " + settings.remoteName + " region <region>`");
      }
      return new IOException(what + " failed: " + detail + ": "
          + settings.redact(ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorMessage() : ""));
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new Retry.TransientException(what + " timed out", e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        throw settings.error("the TLS certificate of " + (settings.endpoint != null ? settings.endpoint : "S3")
                + " is not trusted (remote '" + settings.remoteName + "'): " + settings.redact(t.getMessage()),
            "if the server uses a private CA, point ssl_verify at its PEM bundle (`dvc remote modify "
                + settings.remoteName + " ssl_verify /path/to/ca.pem`); `ssl_verify false` turns the check off");
      }
    }
    Throwable io = e;
    while (io != null && !(io instanceof IOException)) {
      io = io.getCause();
    }
    if (io != null) {
      return new Retry.TransientException(what + " failed: cannot reach "
          + (settings.endpoint != null ? settings.endpoint : "S3") + ": " + settings.redact(String.valueOf(io)), e);
    }
    if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
      throw settings.error("no AWS credentials for remote '" + settings.remoteName + "' (bucket '"
              + settings.bucket + "')",
          "set them with `dvc remote modify --local " + settings.remoteName + " access_key_id ...` and "
              + "`... secret_access_key ...`, or a profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
              + "(in CI: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)");
    }
    return new IOException(what + " failed: " + settings.redact(e.getMessage()));
  }

  private static SdkHttpClient httpClient(S3Settings s) {
    UrlConnectionHttpClient.Builder b = UrlConnectionHttpClient.builder()
        .socketTimeout(Duration.ofSeconds(s.readTimeoutSeconds != null ? s.readTimeoutSeconds : 60))
        .connectionTimeout(Duration.ofSeconds(s.connectTimeoutSeconds != null ? s.connectTimeoutSeconds : 60));
    if (s.sslVerify.equals("false")) {
      return b.buildWithDefaults(
          AttributeMap.builder().put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
    }
    if (!s.sslVerify.equals("true")) {
      TrustManager[] managers = trustManagers(s, Path.of(s.sslVerify));
      b.tlsTrustManagersProvider(() -> managers);
    }
    return b.build();
  }

  /** Trust managers for a PEM CA bundle (ssl_verify = path). */
  private static TrustManager[] trustManagers(S3Settings s, Path bundle) {
    try (InputStream in = Files.newInputStream(bundle)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw s.error("ssl_verify bundle " + bundle + " of remote '" + s.remoteName + "' holds no certificate",
            "point ssl_verify at a PEM file of CA certificates");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw s.error("cannot read the ssl_verify CA bundle " + bundle + " of remote '" + s.remoteName + "': " + e,
          "point ssl_verify at a PEM file of CA certificates");
    }
  }

  private static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key that is not in the bucket. */
  static final class MissingObject extends NoSuchFileException {
    MissingObject(String url) {
      super(url);
    }
  }

  /** One part of a file, opened anew each time the SDK asks (signing and resends read it again). */
  private static final class FileSlice implements ContentStreamProvider, AutoCloseable {
    private final Path file;
    private final long offset;
    private final long length;
    private final List<InputStream> opened = new ArrayList<>();

    FileSlice(Path file, long offset, long length) {
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
      try {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        InputStream bounded = new FilterInputStream(in) {
          private long left = length;

          @Override
          public int read() throws IOException {
            if (left <= 0) {
              return -1;
            }
            int b = super.read();
            if (b >= 0) {
              left--;
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
              return -1;
            }
            int n = super.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
              left -= n;
            }
            return n;
          }

          @Override
          public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, left));
            left -= s;
            return s;
          }

          @Override
          public int available() throws IOException {
            return (int) Math.min(super.available(), left);
          }

          @Override
          public boolean markSupported() {
            return false;
          }
        };
        opened.add(bounded);
        return bounded;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      for (InputStream in : opened) {
        in.close();
      }
      opened.clear();
    }
  }
}
