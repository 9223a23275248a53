package io.mlops.internal.remote;

import io.mlops.api.MlopsException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The options of an {@code s3://} remote, named and checked as DVC 3.67.1's config schema names them
 * ({@code dvc/config_schema.py}, section {@code s3}; their meaning is dvc-s3's {@code _prepare_credentials}),
 * plus the AWS environment variables and shared config/credentials files that boto reads.
 *
 * <p>Everything DVC accepts is either honoured or refused with a message saying what to do; nothing is
 * silently dropped, except {@code listobjects}, which DVC itself marks obsolete and ignores.
 */
final class S3Settings {
  /** Keys of DVC's {@code s3} remote schema, {@code REMOTE_COMMON} included. */
  static final Set<String> KNOWN = Set.of(
      "url", "region", "profile", "credentialpath", "configpath", "endpointurl", "access_key_id",
      "secret_access_key", "session_token", "listobjects", "use_ssl", "allow_anonymous_login", "ssl_verify",
      "sse", "sse_kms_key_id", "sse_customer_algorithm", "sse_customer_key", "acl", "grant_read",
      "grant_read_acp", "grant_write_acp", "grant_full_control", "cache_regions", "read_timeout",
      "connect_timeout", "verify", "checksum_jobs", "jobs", "worktree", "no_traverse", "version_aware");

  static final long MIB = 1024L * 1024;

  final String remoteName;
  final Path configFile;
  final String url;
  final String bucket;
  /** Key prefix of the remote root inside the bucket: empty, or ending with '/'. */
  final String root;
  final URI endpoint;
  /** Region, or null to start at us-east-1 and follow the bucket's region. */
  final String region;
  final boolean pathStyle;
  final String profile;
  final Path credentialsFile;
  final Path awsConfigFile;
  final String accessKeyId;
  final String secretAccessKey;
  final String sessionToken;
  final boolean anonymous;
  /** Web identity (CI OIDC): token file and role, from the environment. */
  final String webIdentityTokenFile;
  final String roleArn;
  final String roleSessionName;
  /** {@code true}, {@code false} or a CA bundle path. */
  final String sslVerify;
  final Integer readTimeoutSeconds;
  final Integer connectTimeoutSeconds;
  final String sse;
  final String sseKmsKeyId;
  final String sseCustomerAlgorithm;
  /** Base64 of the SSE-C key, as configured. */
  final String sseCustomerKey;
  final String acl;
  final Map<String, String> grants;
  final long multipartThreshold;
  final long multipartChunkSize;
  /** Values that must never appear in a message. */
  final List<String> secrets;

  private final Map<String, String> opts;

  /**
   * @param remoteName the remote's name, for messages
   * @param opts the remote's section of the merged DVC config (lower-cased keys)
   * @param env the environment the repository was opened with
   * @param pathOption resolves a path-valued option relative to the config file that set it, as DVC does
   * @param configFile the repository's config file, for messages
   */
  S3Settings(String remoteName, Map<String, String> opts, Map<String, String> env,
      Function<String, Optional<Path>> pathOption, Path configFile) {
    this.remoteName = remoteName;
    this.configFile = configFile;
    this.opts = opts;
    List<String> hidden = new ArrayList<>();
    for (String k : new String[] {"secret_access_key", "session_token", "sse_customer_key"}) {
      String v = nonBlank(opts.get(k));
      if (v != null && v.length() >= 4) {
        hidden.add(v);
      }
    }
    this.secrets = List.copyOf(hidden);
    Set<String> unknown = new TreeSet<>(opts.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw error("remote '" + remoteName + "' has options that DVC's s3 remotes do not have: " + unknown,
          "remove them with `dvc remote modify --unset " + remoteName + " <option>`; see "
              + "https://dvc.org/doc/user-guide/data-management/remote-storage/amazon-s3");
    }
    if (bool("version_aware", false) || bool("worktree", false)) {
      throw error("remote '" + remoteName + "' is version_aware/worktree, which this version does not support",
          "use a plain content-addressed remote (unset version_aware and worktree) or run `dvc push` for it");
    }
    bool("listobjects", false); // obsolete in DVC: checked, then ignored as DVC does
    bool("no_traverse", false);
    bool("verify", false); // downloads are always verified against their md5
    bool("cache_regions", true);

    // url: s3://bucket/some/prefix
    String u = opts.get("url").strip();
    if (u.contains("?")) {
      throw error("remote '" + remoteName + "' url has a query (" + u.substring(u.indexOf('?')) + "), which is "
          + "only meaningful to version-aware remotes", "write the url as s3://<bucket>/<path>");
    }
    String rest = u.substring("s3://".length());
    int slash = rest.indexOf('/');
    this.bucket = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (bucket.isEmpty()) {
      throw error("remote '" + remoteName + "' url '" + u + "' names no bucket",
          "write it as s3://<bucket>/<path> with `dvc remote modify " + remoteName + " url s3://<bucket>/<path>`");
    }
    this.root = path.isEmpty() ? "" : path + "/";
    this.url = "s3://" + bucket + (path.isEmpty() ? "" : "/" + path);

    // shared files: the environment wins over credentialpath/configpath (dvc-s3 uses os.environ.setdefault)
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    this.credentialsFile = firstPath(env.get("AWS_SHARED_CREDENTIALS_FILE"), pathOption.apply("credentialpath"),
        Path.of(home, ".aws", "credentials"));
    this.awsConfigFile = firstPath(env.get("AWS_CONFIG_FILE"), pathOption.apply("configpath"),
        Path.of(home, ".aws", "config"));
    String p = opts.get("profile");
    this.profile = p != null && !p.isBlank() ? p.strip() : nonBlank(env.get("AWS_PROFILE"));
    Map<String, String> profileProps = S3Credentials.profileProperties(awsConfigFile, profile);

    // endpoint, ssl
    boolean useSsl = bool("use_ssl", true);
    String e = nonBlank(opts.get("endpointurl"));
    if (e == null) {
      e = nonBlank(env.get("AWS_ENDPOINT_URL_S3"));
    }
    if (e == null) {
      e = nonBlank(env.get("AWS_ENDPOINT_URL"));
    }
    String addressing = profileProps.getOrDefault("s3.addressing_style", "auto").strip().toLowerCase(Locale.ROOT);
    if (!Set.of("auto", "path", "virtual").contains(addressing)) {
      throw error("s3 addressing_style '" + addressing + "' in " + awsConfigFile + " is not auto, path or virtual",
          "fix it in " + awsConfigFile);
    }
    String regionValue = firstNonBlank(opts.get("region"), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
        profileProps.get("region"));
    this.region = regionValue;
    if (e != null) {
      URI uri;
      try {
        uri = URI.create(e.strip());
      } catch (IllegalArgumentException ex) {
        throw error("remote '" + remoteName + "' endpointurl '" + e + "' is not a URL",
            "set it like `dvc remote modify " + remoteName + " endpointurl https://host:port`");
      }
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw error("remote '" + remoteName + "' endpointurl '" + e + "' is not an http(s) URL",
            "set it like `dvc remote modify " + remoteName + " endpointurl https://host:port`");
      }
      this.endpoint = uri;
      // custom endpoints (MinIO, Ceph, moto...) need path-style addressing unless told otherwise
      this.pathStyle = !addressing.equals("virtual");
    } else {
      this.endpoint = useSsl ? null
          : URI.create("http://s3." + (regionValue == null ? "us-east-1" : regionValue) + ".amazonaws.com");
      this.pathStyle = addressing.equals("path");
    }
    String verify = nonBlank(opts.get("ssl_verify"));
    if (verify != null && (verify.equalsIgnoreCase("true") || verify.equalsIgnoreCase("false"))) {
      verify = verify.toLowerCase(Locale.ROOT);
    } else if (verify != null && !Files.isRegularFile(Path.of(verify))) {
      throw error("remote '" + remoteName + "' ssl_verify is neither true, false nor an existing CA bundle file: "
          + verify, "set it to true, false or the path of a PEM CA bundle");
    }
    this.sslVerify = verify == null ? "true" : verify;
    this.readTimeoutSeconds = intOption("read_timeout");
    this.connectTimeoutSeconds = intOption("connect_timeout");

    // credentials: static keys from the config > profile > the environment's chain
    this.accessKeyId = nonBlank(opts.get("access_key_id"));
    this.secretAccessKey = nonBlank(opts.get("secret_access_key"));
    this.sessionToken = nonBlank(opts.get("session_token"));
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw error("remote '" + remoteName + "' sets only one of access_key_id and secret_access_key",
          "set both (usually in .dvc/config.local: `dvc remote modify --local " + remoteName
              + " access_key_id ...` and `... secret_access_key ...`), or neither to use the AWS credential chain");
    }
    this.anonymous = bool("allow_anonymous_login", false);
    this.webIdentityTokenFile = nonBlank(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"));
    this.roleArn = nonBlank(env.get("AWS_ROLE_ARN"));
    this.roleSessionName = nonBlank(env.get("AWS_ROLE_SESSION_NAME"));

    // encryption and ACLs, as dvc-s3 passes them to every upload
    this.sse = nonBlank(opts.get("sse"));
    if (sse != null && !Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(sse)) {
      throw error("remote '" + remoteName + "' sse '" + sse + "' is not AES256, aws:kms or aws:kms:dsse",
          "fix it with `dvc remote modify " + remoteName + " sse AES256`");
    }
    this.sseKmsKeyId = nonBlank(opts.get("sse_kms_key_id"));
    this.sseCustomerKey = nonBlank(opts.get("sse_customer_key"));
    String alg = nonBlank(opts.get("sse_customer_algorithm"));
    if (sseCustomerKey != null) {
      if (sseKmsKeyId != null) {
        throw error("`sse_kms_key_id` and `sse_customer_key` AWS S3 config options are mutually exclusive",
            "unset one of them for remote '" + remoteName + "'");
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(sseCustomerKey);
      } catch (IllegalArgumentException ex) {
        throw error("remote '" + remoteName + "' sse_customer_key is not base64", "set the base64 of the 256-bit key");
      }
      if (key.length != 32) {
        throw error("remote '" + remoteName + "' sse_customer_key is " + key.length + " bytes, not 32",
            "set the base64 of a 256-bit key");
      }
      alg = alg == null ? "AES256" : alg;
    }
    this.sseCustomerAlgorithm = alg;
    this.acl = nonBlank(opts.get("acl"));
    Map<String, String> g = new LinkedHashMap<>();
    for (String k : List.of("grant_full_control", "grant_read", "grant_read_acp", "grant_write_acp")) {
      String v = nonBlank(opts.get(k));
      if (v != null) {
        if (acl != null) {
          throw error("`acl` and `grant_*` AWS S3 config options are mutually exclusive",
              "unset acl or the grant_* options of remote '" + remoteName + "'");
        }
        g.put(k, v);
      }
    }
    this.grants = Map.copyOf(g);

    // multipart sizes from the profile's `s3 =` block, as boto3's TransferConfig reads them (8 MiB defaults)
    this.multipartThreshold = size(profileProps.get("s3.multipart_threshold"), 8 * MIB, "multipart_threshold");
    this.multipartChunkSize = size(profileProps.get("s3.multipart_chunksize"), 8 * MIB, "multipart_chunksize");
    if (multipartChunkSize < 5 * MIB) {
      throw error("multipart_chunksize in " + awsConfigFile + " is below S3's 5 MiB minimum part size",
          "set it to 5MB or more");
    }

  }

  /** Removes every secret from a text before it goes into a message. */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, "****");
    }
    return out;
  }

  MlopsException error(String message, String hint) {
    return new MlopsException(redact(message), configFile, 0, redact(hint));
  }

  private boolean bool(String key, boolean dflt) {
    String v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    String l = v.strip().toLowerCase(Locale.ROOT);
    if (!l.equals("true") && !l.equals("false")) {
      throw error("remote '" + remoteName + "' option " + key + " = '" + v + "': expected true or false",
          "fix it with `dvc remote modify " + remoteName + " " + key + " true` (or false)");
    }
    return l.equals("true");
  }

  private Integer intOption(String key) {
    String v = nonBlank(opts.get(key));
    if (v == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error("remote '" + remoteName + "' option " + key + " = '" + v + "' is not a number of seconds",
        "fix it with `dvc remote modify " + remoteName + " " + key + " 60`");
  }

  /** boto's human-readable sizes: 8MB, 8MiB (both 1024-based), or bytes. */
  private long size(String v, long dflt, String what) {
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String s = v.strip().toLowerCase(Locale.ROOT);
    long mult = 1;
    for (String[] unit : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
        {"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}}) {
      if (s.endsWith(unit[0])) {
        mult = Long.parseLong(unit[1]);
        s = s.substring(0, s.length() - unit[0].length());
        break;
      }
    }
    try {
      return Long.parseLong(s.strip()) * mult;
    } catch (NumberFormatException e) {
      throw error(what + " '" + v + "' in " + awsConfigFile + " is not a size", "write it like 8MB");
    }
  }

  private static Path firstPath(String env, Optional<Path> configured, Path dflt) {
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return configured.orElse(dflt);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  private static String nonBlank(String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
