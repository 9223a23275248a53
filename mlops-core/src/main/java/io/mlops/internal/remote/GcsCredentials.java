package io.mlops.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.Credentials;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import io.mlops.api.MlopsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Finds the credentials of a {@code gs://} remote. The first source that applies wins:
 *
 * <ol>
 *   <li>{@code allow_anonymous_login = true} in the remote's section: anonymous access, as DVC does (it then
 *       ignores {@code credentialpath} too);
 *   <li>{@code credentialpath}: a credential file (service-account key, or any file type below), resolved against
 *       the directory of the config file that set it;
 *   <li>the <em>content</em> of a service-account key in an environment variable, raw JSON or base64 of the
 *       JSON, for CI systems that hold secrets as variables: {@value #KEY_ENV_DEFAULT}, or the variable named by
 *       {@value #KEY_ENV_OVERRIDE} (it is an environment setting rather than a remote option because DVC refuses
 *       unknown options in a remote's section);
 *   <li>Application Default Credentials from files: the file named by {@code GOOGLE_APPLICATION_CREDENTIALS}
 *       (service_account, authorized_user, external_account for workload identity federation,
 *       impersonated_service_account...), then gcloud's {@code application_default_credentials.json} (in
 *       {@code $CLOUDSDK_CONFIG}, else {@code ~/.config/gcloud});
 *   <li>anonymous access when the remote talks to an emulator: {@code endpointurl} is set, or
 *       {@value #EMULATOR_ENV} is (which is then also the endpoint);
 *   <li>the metadata server of Compute Engine, GKE, Cloud Run or Cloud Build (the last step of Application
 *       Default Credentials); it is asked for a token only when the first request is made.
 * </ol>
 *
 * <p>Every variable is read from the environment the repository was opened with, not from the process. Key
 * material, key ids and tokens never appear in a message or a log line: a key that cannot be read is reported by
 * the name of the variable or file only, and {@link Resolved#redactor()} masks the key's secrets in any text the
 * Google client produces.
 */
public final class GcsCredentials {
  /** The variable holding a service-account key's content unless {@value #KEY_ENV_OVERRIDE} names another. */
  public static final String KEY_ENV_DEFAULT = "GOOGLE_SERVICE_ACCOUNT_KEY";
  /** Names the variable that holds the key content instead of {@value #KEY_ENV_DEFAULT}. */
  public static final String KEY_ENV_OVERRIDE = "MLOPS_GCS_KEY_ENV";
  /** Host (and port) of a storage emulator, read by Google's Python, Go and Node clients and by gcsfs. */
  public static final String EMULATOR_ENV = "STORAGE_EMULATOR_HOST";
  static final String ADC_ENV = "GOOGLE_APPLICATION_CREDENTIALS";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SECRET_FIELDS =
      List.of("private_key", "private_key_id", "client_secret", "refresh_token", "access_token");

  /** Where the credentials came from. */
  public enum Source {
    ANONYMOUS_LOGIN,
    CREDENTIALPATH,
    KEY_ENV,
    APPLICATION_CREDENTIALS,
    GCLOUD_DEFAULT,
    EMULATOR,
    METADATA_SERVER
  }

  /**
   * The outcome of {@link #resolve}.
   *
   * @param credentials for the storage client
   * @param source which rule applied
   * @param description the source for messages: a variable or file name, never its content
   * @param projectId the project of the key, or null
   * @param redactor masks this key's secrets
   */
  record Resolved(Credentials credentials, Source source, String description, String projectId,
      Redactor redactor) {
    public boolean anonymous() {
      return credentials instanceof NoCredentials;
    }
  }

  private GcsCredentials() {}

  /**
   * Applies the rules of the class comment.
   *
   * @param remote the remote's name, for messages
   * @param opts the remote's options (lower-cased keys)
   * @param credentialPath {@code credentialpath} resolved against its config file, or null
   * @param emulator whether the remote's endpoint is an emulator ({@code endpointurl} or {@value #EMULATOR_ENV})
   * @param env the environment
   */
  static Resolved resolve(String remote, Map<String, String> opts, Path credentialPath, boolean emulator,
      Map<String, String> env) {
    if ("true".equalsIgnoreCase(opts.getOrDefault("allow_anonymous_login", "").strip())) {
      return anonymous(Source.ANONYMOUS_LOGIN, "anonymous (allow_anonymous_login)");
    }
    if (credentialPath != null) {
      String what = credentialPath + " (credentialpath of remote '" + remote + "')";
      if (!Files.isRegularFile(credentialPath)) {
        throw new MlopsException("credentialpath of remote '" + remote + "' names " + credentialPath
            + ", which is not a file", null, 0,
            "point it at a service-account key with `dvc remote modify --local " + remote
                + " credentialpath <key.json>`");
      }
      return load(read(credentialPath, what), Source.CREDENTIALPATH, "credentialpath " + credentialPath, what,
          List.of());
    }
    String keyVar = nonBlank(env.get(KEY_ENV_OVERRIDE)) ? env.get(KEY_ENV_OVERRIDE).strip() : KEY_ENV_DEFAULT;
    String keyValue = env.get(keyVar);
    if (nonBlank(keyValue)) {
      byte[] json = decodeKey(keyVar, keyValue);
      return load(json, Source.KEY_ENV, "environment variable " + keyVar, keyVar, List.of(keyValue));
    }
    String adc = env.get(ADC_ENV);
    if (nonBlank(adc)) {
      Path file = Path.of(adc.strip());
      String what = file + " (" + ADC_ENV + ")";
      if (!Files.isRegularFile(file)) {
        throw new MlopsException(ADC_ENV + " names " + file + ", which is not a file", null, 0,
            "point it at a credential file, or unset it");
      }
      return load(read(file, what), Source.APPLICATION_CREDENTIALS, ADC_ENV + " " + file, what, List.of());
    }
    Path gcloud = gcloudDefault(env);
    if (gcloud != null && Files.isRegularFile(gcloud)) {
      String what = gcloud + " (gcloud application default credentials)";
      return load(read(gcloud, what), Source.GCLOUD_DEFAULT, "gcloud application default credentials " + gcloud,
          what, List.of());
    }
    if (emulator) {
      return anonymous(Source.EMULATOR, "anonymous (emulator endpoint)");
    }
    return new Resolved(ComputeEngineCredentials.create(), Source.METADATA_SERVER, "the metadata server", null,
        Redactor.none());
  }

  private static Resolved anonymous(Source source, String description) {
    return new Resolved(NoCredentials.getInstance(), source, description, null, Redactor.none());
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static Path gcloudDefault(Map<String, String> env) {
    String config = env.get("CLOUDSDK_CONFIG");
    if (nonBlank(config)) {
      return Path.of(config.strip(), "application_default_credentials.json");
    }
    String appData = env.get("APPDATA");
    if (nonBlank(appData) && System.getProperty("os.name", "").startsWith("Windows")) {
      return Path.of(appData, "gcloud", "application_default_credentials.json");
    }
    String home = env.get("HOME");
    return nonBlank(home) ? Path.of(home, ".config", "gcloud", "application_default_credentials.json") : null;
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MlopsException("cannot read " + what + ": " + e.getClass().getSimpleName(), null, 0,
          "check the file's permissions");
    }
  }

  /** The JSON of a key given as raw JSON or base64 of it; the value itself is never put in a message. */
  static byte[] decodeKey(String var, String value) {
    String v = value.strip();
    if (v.startsWith("{")) {
      if (isJsonObject(v.getBytes(StandardCharsets.UTF_8))) {
        return v.getBytes(StandardCharsets.UTF_8);
      }
      throw malformedKey(var);
    }
    String compact = v.replaceAll("\\s+", "");
    byte[] decoded;
    try {
      decoded = (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(compact);
    } catch (IllegalArgumentException e) {
      throw malformedKey(var);
    }
    if (!isJsonObject(decoded)) {
      throw malformedKey(var);
    }
    return decoded;
  }

  private static MlopsException malformedKey(String var) {
    return new MlopsException(var + " does not hold a service-account key (neither JSON nor base64 JSON)", null, 0,
        "set it to the content of the key file (e.g. `base64 -w0 key.json`), or unset it");
  }

  private static boolean isJsonObject(byte[] bytes) {
    try {
      JsonNode n = JSON.readTree(bytes);
      return n != null && n.isObject();
    } catch (IOException e) {
      return false;
    }
  }

  private static Resolved load(byte[] json, Source source, String description, String what, List<String> extra) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      if (source == Source.KEY_ENV) {
        throw malformedKey(what);
      }
      throw new MlopsException(what + " is not a Google credential file (JSON)", null, 0,
          "download a service-account key, or run `gcloud auth application-default login`");
    }
    List<String> secrets = new ArrayList<>(extra);
    for (String f : SECRET_FIELDS) {
      JsonNode v = node.get(f);
      if (v != null && v.isTextual()) {
        secrets.add(v.asText());
      }
    }
    Redactor redactor = Redactor.of(secrets);
    String type = node.path("type").asText("");
    if (type.isEmpty()) {
      throw new MlopsException(what + " is not a Google credential (it has no \"type\")", null, 0,
          "use a service-account key file as downloaded from the Cloud console");
    }
    if ("service_account".equals(type)) {
      for (String f : List.of("client_email", "private_key", "private_key_id", "client_id")) {
        if (!node.path(f).isTextual()) {
          throw new MlopsException(what + " holds a service-account key without \"" + f + "\"", null, 0,
              "use the key file exactly as downloaded from the Cloud console");
        }
      }
    }
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.fromStream(new ByteArrayInputStream(json));
    } catch (IOException | RuntimeException e) {
      // the library's message may quote the file: only the kind of failure is reported
      throw new MlopsException(what + " holds a \"" + type + "\" credential that cannot be used ("
          + e.getClass().getSimpleName() + ")", null, 0,
          "check that the private key is an unmodified PKCS#8 PEM key and the file is complete");
    }
    String project = credentials instanceof ServiceAccountCredentials sa ? sa.getProjectId()
        : node.path("quota_project_id").asText(null);
    return new Resolved(credentials, source, description, project, redactor);
  }
}
