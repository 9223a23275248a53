package io.mlops.internal.remote;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.Md5FileSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DVC remote in an Azure Blob Storage container, {@code azure://container/path}: blobs live at
 * {@code path/files/md5/xx/rest}, the names DVC 3 writes through dvc-azure and adlfs.
 *
 * <p>Options, as DVC 3.67.1's config schema has them for {@code azure}: {@code connection_string},
 * {@code account_name}, {@code account_key}, {@code sas_token}, {@code allow_anonymous_login},
 * {@code connection_timeout}, {@code read_timeout}, {@code timeout}, {@code verify}, and for the credentials of
 * Microsoft Entra ID (not supported here, refused with a message) {@code tenant_id}, {@code client_id},
 * {@code client_secret} and the {@code exclude_*_credential} flags.
 *
 * <p>Each of {@code connection_string}, {@code account_name}, {@code account_key} and {@code sas_token} is taken
 * from the remote's option, else from {@code AZURE_STORAGE_CONNECTION_STRING}, {@code AZURE_STORAGE_ACCOUNT},
 * {@code AZURE_STORAGE_KEY}, {@code AZURE_STORAGE_SAS_TOKEN}, else from the {@code [storage]} section of the
 * Azure CLI's config ({@code $AZURE_CONFIG_DIR/config}, by default {@code ~/.azure/config}: {@code
 * connection_string}, {@code account}, {@code key}, {@code sas_token}), as dvc-azure reads them; adlfs then also
 * reads {@code AZURE_STORAGE_ACCOUNT_KEY}, {@code AZURE_STORAGE_CLIENT_ID}/{@code _SECRET}/{@code _TENANT_ID} and
 * {@code AZURE_STORAGE_ANON}. Which credential is used, in adlfs' order: a connection string; else, with an
 * account name, a service principal (client id without key or SAS: refused here), the account key, the SAS
 * token, anonymous access ({@code allow_anonymous_login} or {@code AZURE_STORAGE_ANON}), and last
 * DefaultAzureCredential (refused here). Without a connection string or an account name it fails as DVC does.
 *
 * <p>The SDK's retries are off; 408, 429, 5xx, timeouts and broken connections are
 * {@link Retry.TransientException}s. A missing blob is a {@link NoSuchFileException}; a missing container and
 * refused credentials are {@link MlopsException}s naming the remote and the fix. Files up to
 * {@link Settings#singleUploadMax} go up in one Put Blob request, bigger ones in blocks read from the file one at a
 * time; downloads stream into the target. No message carries a key, SAS signature or connection string.
 */
public final class AzureRemote implements RemoteStorage {
  /** Keys of DVC's {@code azure} remote schema, {@code REMOTE_COMMON} included. */
  static final Set<String> KNOWN = Set.of(
      "url", "connection_string", "sas_token", "account_name", "account_key", "tenant_id", "client_id",
      "client_secret", "allow_anonymous_login", "exclude_environment_credential",
      "exclude_visual_studio_code_credential", "exclude_shared_token_cache_credential",
      "exclude_managed_identity_credential", "verify", "timeout", "read_timeout", "connection_timeout",
      "checksum_jobs", "jobs", "worktree", "no_traverse", "version_aware");
  private static final Pattern MD5_KEY = Pattern.compile("files/md5/([0-9a-f]{2})/([0-9a-f]{30})(\\.dir)?");
  private static final Pattern SECRET_SHAPES = Pattern.compile(
      "(?i)((?:sig|AccountKey|SharedAccessSignature|SharedAccessKey)=)[^&;\\s\"']+");
  private static final int MAX_BLOCKS = 50_000;
  private static final long MIB = 1024L * 1024;

  /** Transfer settings; tests shrink them. */
  record Settings(Duration connectTimeout, Duration readTimeout, long singleUploadMax, long blockSize) {
    static Settings defaults() {
      // azure-core's Python transport defaults (connection 20 s, read 60 s); 8 MiB puts and blocks
      return new Settings(Duration.ofSeconds(20), Duration.ofSeconds(60), 8 * MIB, 8 * MIB);
    }
  }

  private enum Kind { CONNECTION_STRING, ACCOUNT_KEY, SAS_TOKEN, ANONYMOUS }

  private final String name;
  private final String container;
  /** The path inside the container with a trailing slash, or empty. */
  private final String root;
  private final String url;
  private final String account;
  private final String credentialSource;
  private final Kind kind;
  private final Path configFile;
  private final Redactor redactor;
  private final Settings settings;
  private final BlobContainerClient client;
  private volatile boolean containerChecked;

  private AzureRemote(String name, String container, String root, String account, Kind kind,
      String credentialSource, Path configFile, Redactor redactor, Settings settings, BlobContainerClient client) {
    this.name = name;
    this.container = container;
    this.root = root;
    this.url = "azure://" + container + (root.isEmpty() ? "" : "/" + root.substring(0, root.length() - 1));
    this.account = account;
    this.kind = kind;
    this.credentialSource = credentialSource;
    this.configFile = configFile;
    this.redactor = redactor;
    this.settings = settings;
    this.client = client;
  }

  /** Opens the azure remote {@code name} of a repository, whose options are {@code opts}. */
  public static AzureRemote open(Repo repo, String name, Map<String, String> opts) {
    return open(name, opts, repo.env(), repo.root().resolve(Repo.DVC_DIR).resolve("config"), Settings.defaults(),
        null);
  }

  /**
   * Opens the remote.
   *
   * @param accountUrl the blob endpoint for account_name credentials, or null for
   *     {@code https://<account>.blob.core.windows.net} (DVC has no option for it; tests point it at Azurite)
   */
  static AzureRemote open(String name, Map<String, String> opts, Map<String, String> env, Path configFile,
      Settings settings, String accountUrl) {
    WireLogs.quiet();
    Set<String> unknown = new TreeSet<>(opts.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new MlopsException("remote '" + name + "' has options that DVC's azure remotes do not have: " + unknown,
          configFile, 0, "remove them with `dvc remote modify --unset " + name + " <option>`; see "
              + "https://dvc.org/doc/user-guide/data-management/remote-storage/azure");
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
    Map<String, String> cli = cliStorageConfig(env);

    // url: azure://container/path (no container: the Azure CLI's storage.container_name, as dvc-azure)
    String u = opts.get("url").strip();
    if (u.contains("?")) {
      throw new MlopsException("remote '" + name + "' url has a query (" + u.substring(u.indexOf('?'))
          + "), which is only meaningful to version-aware remotes", configFile, 0,
          "write the url as azure://<container>/<path>");
    }
    String rest = u.replaceFirst("(?i)^azure://", "");
    int slash = rest.indexOf('/');
    String container = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/{2,}", "/").replaceAll("^/|/$", "");
    if (container.isEmpty()) {
      container = first(env.get("AZURE_STORAGE_CONTAINER_NAME"), cli.get("container_name"));
    }
    if (container == null || container.isEmpty()) {
      throw new MlopsException("remote '" + name + "' has url " + u + ", which names no container", configFile, 0,
          "write it as azure://<container>/<path> with `dvc remote modify " + name
              + " url azure://<container>/<path>`");
    }

    // dvc-azure's _prepare_credentials: option, else the Azure CLI's config (environment first, then its file)
    String[] connection = source(opts, "connection_string", env, "AZURE_STORAGE_CONNECTION_STRING", cli,
        "connection_string");
    String[] accountName = source(opts, "account_name", env, "AZURE_STORAGE_ACCOUNT", cli, "account");
    String[] key = source(opts, "account_key", env, "AZURE_STORAGE_KEY", cli, "key");
    String[] sas = source(opts, "sas_token", env, "AZURE_STORAGE_SAS_TOKEN", cli, "sas_token");
    // adlfs' own fallbacks for what DVC left unset
    if (key == null && nonBlank(env.get("AZURE_STORAGE_ACCOUNT_KEY")) != null) {
      key = new String[] {env.get("AZURE_STORAGE_ACCOUNT_KEY").strip(), "AZURE_STORAGE_ACCOUNT_KEY"};
    }
    String clientId = first(opts.get("client_id"), env.get("AZURE_STORAGE_CLIENT_ID"));
    String clientSecret = first(opts.get("client_secret"), env.get("AZURE_STORAGE_CLIENT_SECRET"));
    String tenantId = first(opts.get("tenant_id"), env.get("AZURE_STORAGE_TENANT_ID"));
    boolean anonymous = bool(name, opts, "allow_anonymous_login", configFile)
        || !List.of("", "false", "0", "f").contains(env.getOrDefault("AZURE_STORAGE_ANON", "false").strip()
            .toLowerCase(Locale.ROOT));

    List<String> secrets = new ArrayList<>();
    for (String[] s : new String[][] {connection, key, sas}) {
      if (s != null) {
        secrets.add(s[0]);
      }
    }
    if (clientSecret != null) {
      secrets.add(clientSecret);
    }
    if (connection != null) {
      Map<String, String> parts = connectionParts(connection[0]);
      secrets.add(parts.get("accountkey"));
      secrets.add(parts.get("sharedaccesssignature"));
    }
    Redactor redactor = Redactor.of(secrets);

    if (connection == null && accountName == null) {
      throw new MlopsException("remote '" + name + "' (" + u + ") has no Azure account: authentication to Azure Blob "
          + "Storage requires either account_name or connection_string", configFile, 0,
          "set one with `dvc remote modify --local " + name + " connection_string '...'` or `dvc remote modify "
              + name + " account_name <account>` (or AZURE_STORAGE_CONNECTION_STRING / AZURE_STORAGE_ACCOUNT)");
    }
    Kind kind;
    String source;
    String account;
    if (connection != null) {
      kind = Kind.CONNECTION_STRING;
      source = "connection string from " + connection[1];
      account = first(connectionParts(connection[0]).get("accountname"), "(from the connection string)");
    } else {
      account = accountName[0];
      if (clientId != null && key == null && sas == null) {
        throw new MlopsException("remote '" + name + "' uses a service principal (client_id"
            + (tenantId == null ? "" : ", tenant_id") + (clientSecret == null ? "" : ", client_secret")
            + "), which this version cannot use yet", configFile, 0,
            "use account_key, sas_token or connection_string (`dvc remote modify --local " + name
                + " sas_token ...`), or run `dvc push`/`dvc pull` for this remote");
      }
      if (key != null) {
        kind = Kind.ACCOUNT_KEY;
        source = "account key from " + key[1];
      } else if (sas != null) {
        kind = Kind.SAS_TOKEN;
        source = "SAS token from " + sas[1];
      } else if (anonymous) {
        kind = Kind.ANONYMOUS;
        source = "anonymous access";
      } else {
        throw new MlopsException("remote '" + name + "' names account '" + account + "' without a key, SAS token "
            + "or connection string; DVC would then try Azure's default credentials (az login, managed identity, "
            + "AZURE_CLIENT_* variables), which this version cannot use yet", configFile, 0,
            "set `dvc remote modify --local " + name + " account_key ...` or `... sas_token ...` or "
                + "`... connection_string ...` (or AZURE_STORAGE_KEY / AZURE_STORAGE_SAS_TOKEN), or `dvc remote "
                + "modify " + name + " allow_anonymous_login true` for a public container");
      }
    }

    Settings s = new Settings(
        seconds(name, opts, "connection_timeout", configFile, settings.connectTimeout()),
        seconds(name, opts, "read_timeout", configFile, settings.readTimeout()),
        settings.singleUploadMax(), settings.blockSize());
    seconds(name, opts, "timeout", configFile, null); // checked; DVC does not pass it on either
    BlobContainerClientBuilder b = new BlobContainerClientBuilder()
        .httpClient(new AzureHttp(s.connectTimeout(), s.readTimeout()))
        // one try: Retry alone decides (no nested retry storms)
        .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null, null))
        .containerName(container);
    String endpoint = accountUrl != null ? accountUrl : "https://" + account + ".blob.core.windows.net";
    try {
      switch (kind) {
        case CONNECTION_STRING -> b.connectionString(connection[0]);
        case ACCOUNT_KEY -> b.endpoint(endpoint).credential(new StorageSharedKeyCredential(account, key[0]));
        case SAS_TOKEN -> b.endpoint(endpoint).sasToken(sas[0].startsWith("?") ? sas[0].substring(1) : sas[0]);
        default -> b.endpoint(endpoint);
      }
      BlobContainerClient client = b.buildClient();
      return new AzureRemote(name, container, path.isEmpty() ? "" : path + "/", account, kind, source, configFile,
          redactor, s, client);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new MlopsException("cannot set up the Azure client for remote '" + name + "' (" + source + "): "
          + redact(redactor, String.valueOf(e.getMessage())), configFile, 0,
          kind == Kind.CONNECTION_STRING
              ? "check the connection string (as the Azure portal shows it: DefaultEndpointsProtocol=https;"
                  + "AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net)"
              : "check account_name and the key or SAS token", redactor.sanitize(e));
    }
  }

  @Override
  public String url() {
    return url;
  }

  /** The container's name. */
  public String container() {
    return container;
  }

  /** Which credential is used and where it came from (never the secret itself). */
  public String credentialsDescription() {
    return credentialSource;
  }

  private String where(String key) {
    return url + (key == null || key.isEmpty() ? "" : "/" + key) + " (remote '" + name + "')";
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      client.getBlobClient(root + key).getPropertiesWithResponse(null, null, Context.NONE);
      return true;
    } catch (RuntimeException e) {
      BlobStorageException bse = find(e, BlobStorageException.class);
      if (bse != null && bse.getStatusCode() == 403) {
        // a HEAD's 403 has no body to tell a rejected key (Azurite: AuthorizationFailure) from missing
        // permissions: the same question as a listing, whose error has one, decides which failure to report
        list(key);
      }
      IOException f = failure(e, "HEAD", key);
      if (f instanceof MissingBlob) {
        checkContainer();
        return false;
      }
      throw f;
    }
  }

  @Override
  public Set<String> list(String prefix) throws IOException {
    Set<String> keys = new HashSet<>();
    ListBlobsOptions o = new ListBlobsOptions().setPrefix(root + prefix).setMaxResultsPerPage(5000);
    try {
      for (BlobItem item : client.listBlobs(o, null)) {
        String n = item.getName();
        if (!Boolean.TRUE.equals(item.isPrefix()) && n.startsWith(root) && !n.endsWith("/")) {
          keys.add(n.substring(root.length()));
        }
      }
    } catch (RuntimeException e) {
      throw failure(e, "LIST", prefix);
    }
    return keys;
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    long size = Files.size(source);
    BlockBlobClient blob = client.getBlobClient(root + key).getBlockBlobClient();
    BlobHttpHeaders headers = new BlobHttpHeaders().setContentType("application/octet-stream");
    if (size <= settings.singleUploadMax()) {
      BlockBlobSimpleUploadOptions o = new BlockBlobSimpleUploadOptions(BinaryData.fromFile(source, 0L, size))
          .setHeaders(headers).setContentMd5(md5Of(key));
      try {
        blob.uploadWithResponse(o, null, Context.NONE);
      } catch (RuntimeException e) {
        throw failure(e, "PUT", key);
      }
      return;
    }
    long blockSize = Math.max(settings.blockSize(), (size + MAX_BLOCKS - 1) / MAX_BLOCKS);
    // block ids: one length per blob; a fresh prefix so that an interrupted upload's blocks are not reused
    String upload = UUID.randomUUID().toString();
    List<String> ids = new ArrayList<>();
    int n = 0;
    for (long offset = 0; offset < size; offset += blockSize, n++) {
      long len = Math.min(blockSize, size - offset);
      String id = Base64.getEncoder().encodeToString(String.format("%s-%06d", upload, n)
          .getBytes(StandardCharsets.US_ASCII));
      long off = offset;
      int number = n + 1;
      try {
        Retry.run(() -> {
          try {
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, BinaryData.fromFile(source, off, len)),
                null, Context.NONE);
            return null;
          } catch (RuntimeException e) {
            throw failure(e, "PUT (block " + number + ")", key);
          }
        });
      } catch (Retry.TransientException e) {
        throw new IOException(e.getMessage() + " (gave up after " + Retry.ATTEMPTS + " attempts)", e);
      }
      ids.add(id);
    }
    try {
      Retry.run(() -> {
        try {
          blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids).setHeaders(headers), null,
              Context.NONE);
          return null;
        } catch (RuntimeException e) {
          throw failure(e, "PUT (block list)", key);
        }
      });
    } catch (Retry.TransientException e) {
      throw new IOException(e.getMessage() + " (gave up after " + Retry.ATTEMPTS + " attempts)", e);
    }
  }

  @Override
  public void download(String key, Path target) throws IOException {
    downloadMd5(key, target);
  }

  @Override
  public String downloadMd5(String key, Path target) throws IOException {
    BlobClient blob = client.getBlobClient(root + key);
    try (Md5FileSink out = Md5FileSink.create(target)) {
      blob.downloadStreamWithResponse(out, null, new DownloadRetryOptions().setMaxRetryRequests(0), null, false, null,
          Context.NONE);
      return out.md5();
    } catch (RuntimeException e) {
      IOException f = failure(e, "GET", key);
      if (f instanceof MissingBlob) {
        checkContainer();
      }
      throw f;
    }
  }

  @Override
  public boolean isNotFound(IOException e) {
    return e instanceof MissingBlob;
  }

  @Override
  public String toString() {
    return "AzureRemote[" + name + " " + url + "]";
  }

  /** After a 404 without an error code (HEAD): a missing container is a configuration error. Checked once. */
  private void checkContainer() throws IOException {
    if (containerChecked) {
      return;
    }
    try {
      if (!client.exists()) {
        throw noSuchContainer();
      }
    } catch (BlobStorageException e) {
      // no permission to read the container's properties (a SAS for blobs only): cannot tell
    } catch (RuntimeException e) {
      if (e instanceof MlopsException) {
        throw e;
      }
      throw failure(e, "HEAD (container)", null);
    }
    containerChecked = true;
  }

  private MlopsException noSuchContainer() {
    return new MlopsException("container '" + container + "' of remote '" + name + "' (" + url
        + ") does not exist in storage account '" + account + "'", configFile, 0,
        "create it (`az storage container create --name " + container + " --account-name " + account
            + "`), or fix the url with `dvc remote modify " + name + " url azure://<container>/<path>`");
  }

  /**
   * What a client failure means for the caller: a {@link MissingBlob}, a {@link Retry.TransientException}, a plain
   * {@link IOException}, or (thrown) an {@link MlopsException} for what only the user can fix.
   */
  private IOException failure(RuntimeException e, String action, String key) {
    String what = action + " " + where(key);
    Throwable cause = redactor.sanitize(e);
    BlobStorageException bse = find(e, BlobStorageException.class);
    if (bse != null) {
      int status = bse.getStatusCode();
      String code = bse.getErrorCode() == null ? "" : bse.getErrorCode().toString();
      String detail = (code.isEmpty() ? "" : code + ", ") + "HTTP " + status
          + (bse.getResponse() != null && bse.getResponse().getHeaderValue("x-ms-request-id") != null
              ? ", request id " + bse.getResponse().getHeaderValue("x-ms-request-id") : "");
      if (code.equals("ContainerNotFound")) {
        throw noSuchContainer();
      }
      if (status == 404) {
        MissingBlob m = new MissingBlob(url + "/" + key);
        m.initCause(cause);
        return m;
      }
      if (status == 408 || status == 429 || status >= 500 || code.equals("ServerBusy")
          || code.equals("OperationTimedOut") || code.equals("InternalError")) {
        return new Retry.TransientException(what + " failed: " + detail + " (a temporary error)", cause);
      }
      // Azure says AuthenticationFailed for a bad signature or key; Azurite says AuthorizationFailure with the
      // same "Server failed to authenticate the request" message
      String serviceMessage = String.valueOf(bse.getServiceMessage());
      if (code.equals("AuthenticationFailed") || code.equals("InvalidAuthenticationInfo") || status == 401
          || (status == 403 && serviceMessage.contains("failed to authenticate"))) {
        throw new MlopsException("Azure rejected the credentials of remote '" + name + "' for storage account '"
            + account + "' (" + credentialSource + "; " + detail + ")", configFile, 0, credentialsHint(), cause);
      }
      if (status == 403) {
        throw new MlopsException("access denied to container '" + container + "' of remote '" + name + "' ("
            + action + " " + url + (key == null ? "" : "/" + key) + ": " + detail + ", " + credentialSource + ")",
            configFile, 0, "give the credentials read access to pull and write access to push (a SAS token needs "
                + "sp=rl to pull and sp=racwl to push, on container '" + container + "')", cause);
      }
      String m = bse.getServiceMessage() != null ? redact(redactor, bse.getServiceMessage().strip()) : reason(bse);
      int nl = m.indexOf('\n');
      return new IOException(what + " failed: " + detail + ": " + (nl > 0 ? m.substring(0, nl).strip() : m), cause);
    }
    if (find(e, UnknownHostException.class) != null) {
      return new IOException(what + " failed: unknown host " + reason(find(e, UnknownHostException.class))
          + " (check the account name)", cause);
    }
    if (find(e, HttpTimeoutException.class) != null || find(e, InterruptedIOException.class) != null
        || find(e, java.util.concurrent.TimeoutException.class) != null) {
      return new Retry.TransientException(what + " timed out", cause);
    }
    if (find(e, ConnectException.class) != null || find(e, SocketException.class) != null
        || find(e, IOException.class) != null) {
      return new Retry.TransientException(what + " failed: " + reason(e), cause);
    }
    return new IOException(what + " failed: " + reason(e), cause);
  }

  private String credentialsHint() {
    return switch (kind) {
      case CONNECTION_STRING -> "check the connection string (`dvc remote modify --local " + name
          + " connection_string '...'` or AZURE_STORAGE_CONNECTION_STRING): its AccountName and AccountKey or "
          + "SharedAccessSignature must be current";
      case ACCOUNT_KEY -> "check the account key (`dvc remote modify --local " + name
          + " account_key ...`, AZURE_STORAGE_KEY or AZURE_STORAGE_ACCOUNT_KEY) and account_name";
      case SAS_TOKEN -> "check the SAS token (`dvc remote modify --local " + name
          + " sas_token ...` or AZURE_STORAGE_SAS_TOKEN): it may have expired or be for another account";
      default -> "the container is not public: set account_key, sas_token or connection_string for remote '"
          + name + "'";
    };
  }

  private String reason(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    m = redact(redactor, m.strip());
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl).strip();
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  /** The redactor's exact secrets, then anything shaped like a SAS signature or an account key. */
  private static String redact(Redactor redactor, String text) {
    String out = redactor.redact(text);
    return out == null ? null : SECRET_SHAPES.matcher(out).replaceAll("$1" + Redactor.MASK);
  }

  /** The blob's MD5, known from a DVC 3 key: Azure then refuses a body that does not match. */
  private static byte[] md5Of(String key) {
    Matcher m = MD5_KEY.matcher(key);
    return m.matches() ? HexFormat.of().parseHex(m.group(1) + m.group(2)) : null;
  }

  private static <T> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The {@code [storage]} section of the Azure CLI's config file (knack's CLIConfig, as dvc-azure reads it). */
  static Map<String, String> cliStorageConfig(Map<String, String> env) {
    String dir = nonBlank(env.get("AZURE_CONFIG_DIR"));
    Path file = dir != null ? Path.of(dir).resolve("config")
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".azure", "config");
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      String section = "";
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
          continue;
        }
        if (l.startsWith("[") && l.endsWith("]")) {
          section = l.substring(1, l.length() - 1).strip();
          continue;
        }
        int eq = indexOfSeparator(l);
        if (section.equals("storage") && eq > 0) {
          out.put(l.substring(0, eq).strip().toLowerCase(Locale.ROOT), l.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      // unreadable: as if absent
    }
    return out;
  }

  private static int indexOfSeparator(String l) {
    int eq = l.indexOf('=');
    int colon = l.indexOf(':');
    return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  }

  /** {value, where it came from}, or null: the option, else the environment variable, else the CLI config. */
  private static String[] source(Map<String, String> opts, String option, Map<String, String> env, String var,
      Map<String, String> cli, String cliKey) {
    if (nonBlank(opts.get(option)) != null) {
      return new String[] {opts.get(option).strip(), "option " + option};
    }
    if (env.containsKey(var) && nonBlank(env.get(var)) != null) {
      return new String[] {env.get(var).strip(), var};
    }
    if (nonBlank(cli.get(cliKey)) != null) {
      return new String[] {cli.get(cliKey).strip(), "the Azure CLI config (storage." + cliKey + ")"};
    }
    return null;
  }

  /** A connection string's parts, keys lower-cased. */
  private static Map<String, String> connectionParts(String cs) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String p : cs.split(";")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
      }
    }
    return parts;
  }

  private static boolean bool(String name, Map<String, String> opts, String key, Path configFile) {
    String v = opts.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off", "" -> false;
      default -> throw new MlopsException("remote '" + name + "' option " + key + " is '" + v
          + "', not a boolean", configFile, 0, "set it with `dvc remote modify " + name + " " + key + " true` "
              + "(or false)");
    };
  }

  private static Duration seconds(String name, Map<String, String> opts, String key, Path configFile,
      Duration fallback) {
    String v = nonBlank(opts.get(key));
    if (v == null) {
      return fallback;
    }
    try {
      int s = Integer.parseInt(v);
      if (s > 0) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new MlopsException("remote '" + name + "' option " + key + " is '" + v + "', not a positive number of "
        + "seconds", configFile, 0, "set it with `dvc remote modify " + name + " " + key + " <seconds>`");
  }

  private static String first(String... values) {
    for (String v : values) {
      if (nonBlank(v) != null) {
        return v.strip();
      }
    }
    return null;
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public void close() {
    // the JDK client's connections are released when it is collected; nothing else is held
  }

  /** A blob that is not in the container. */
  static final class MissingBlob extends NoSuchFileException {
    MissingBlob(String url) {
      super(url);
    }
  }
}
