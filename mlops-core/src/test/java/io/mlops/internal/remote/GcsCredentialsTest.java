package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.ServiceAccountCredentials;
import io.mlops.api.MlopsException;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.remote.GcsCredentials.Source;
import io.mlops.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which a gs:// remote finds its credentials, and the errors for unusable ones (no secret in them). */
class GcsCredentialsTest {
  @TempDir Path home;

  final TestKeys.Key key = TestKeys.serviceAccount("http://127.0.0.1:9/token");
  final TestKeys.Key other = TestKeys.serviceAccount("http://127.0.0.1:9/token");

  private Path file(String name, String content) throws IOException {
    Path p = home.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private static String email(GcsCredentials.Resolved r) {
    return ((ServiceAccountCredentials) r.credentials()).getClientEmail();
  }

  @Test
  void anonymousLoginWinsOverEverything() throws IOException {
    Path keyFile = file("key.json", key.json());
    GcsCredentials.Resolved r = GcsCredentials.resolve("store", Map.of("allow_anonymous_login", "True"), keyFile,
        false, GcsTesting.env(home, "GOOGLE_SERVICE_ACCOUNT_KEY", other.json()));
    assertEquals(Source.ANONYMOUS_LOGIN, r.source());
    assertTrue(r.anonymous());
  }

  @Test
  void credentialpathComesBeforeTheKeyVariable() throws IOException {
    Path keyFile = file("key.json", key.json());
    GcsCredentials.Resolved r = GcsCredentials.resolve("store", Map.of(), keyFile, true,
        GcsTesting.env(home, "GOOGLE_SERVICE_ACCOUNT_KEY", other.json()));
    assertEquals(Source.CREDENTIALPATH, r.source());
    assertEquals(key.clientEmail(), email(r));
    assertEquals("test-project", r.projectId());
  }

  @Test
  void theKeyVariableHoldsRawOrBase64JsonAndComesBeforeAdc() throws IOException {
    Path adc = file("adc.json", other.json());
    for (String value : new String[] {key.json(), key.base64(), "  " + key.base64() + "\n",
        Base64.getMimeEncoder().encodeToString(key.json().getBytes(java.nio.charset.StandardCharsets.UTF_8))}) {
      GcsCredentials.Resolved r = GcsCredentials.resolve("store", Map.of(), null, false, GcsTesting.env(home,
          "GOOGLE_SERVICE_ACCOUNT_KEY", value, "GOOGLE_APPLICATION_CREDENTIALS", adc.toString()));
      assertEquals(Source.KEY_ENV, r.source());
      assertEquals(key.clientEmail(), email(r));
      assertEquals("environment variable GOOGLE_SERVICE_ACCOUNT_KEY", r.description());
    }
  }

  @Test
  void anotherVariableCanHoldTheKey() {
    GcsCredentials.Resolved r = GcsCredentials.resolve("store", Map.of(), null, false, GcsTesting.env(home,
        "MLOPS_GCS_KEY_ENV", "GCP_SA_KEY", "GCP_SA_KEY", key.base64(), "GOOGLE_SERVICE_ACCOUNT_KEY", other.json()));
    assertEquals(Source.KEY_ENV, r.source());
    assertEquals(key.clientEmail(), email(r));
    assertEquals("environment variable GCP_SA_KEY", r.description());
  }

  @Test
  void applicationDefaultCredentialsThenGcloudsFile() throws IOException {
    Path adc = file("adc.json", key.json());
    GcsCredentials.Resolved r = GcsCredentials.resolve("store", Map.of(), null, false,
        GcsTesting.env(home, "GOOGLE_APPLICATION_CREDENTIALS", adc.toString()));
    assertEquals(Source.APPLICATION_CREDENTIALS, r.source());
    assertEquals(key.clientEmail(), email(r));

    Path gcloud = home.resolve(".config/gcloud/application_default_credentials.json");
    Files.createDirectories(gcloud.getParent());
    Files.writeString(gcloud, other.json());
    GcsCredentials.Resolved g = GcsCredentials.resolve("store", Map.of(), null, false, GcsTesting.env(home));
    assertEquals(Source.GCLOUD_DEFAULT, g.source());
    assertEquals(other.clientEmail(), email(g));
  }

  @Test
  void anEmulatorWithoutCredentialsIsAnonymousAndOtherwiseTheMetadataServerIsLast() {
    GcsCredentials.Resolved emu = GcsCredentials.resolve("store", Map.of(), null, true, GcsTesting.env(home));
    assertEquals(Source.EMULATOR, emu.source());
    assertTrue(emu.anonymous());
    GcsCredentials.Resolved none = GcsCredentials.resolve("store", Map.of(), null, false, GcsTesting.env(home));
    assertEquals(Source.METADATA_SERVER, none.source());
    assertFalse(none.anonymous());
  }

  @Test
  void aMalformedKeyVariableIsNamedButNeverShown() {
    String broken = key.json().substring(0, key.json().length() / 2);
    for (String value : new String[] {broken, "bm90IGpzb24=", Base64.getEncoder().encodeToString(broken.getBytes())}) {
      MlopsException e = assertThrows(MlopsException.class, () -> GcsCredentials.resolve("store", Map.of(), null,
          false, GcsTesting.env(home, "GOOGLE_SERVICE_ACCOUNT_KEY", value)));
      assertTrue(e.getMessage().contains("GOOGLE_SERVICE_ACCOUNT_KEY"), e.getMessage());
      assertNoSecret(e, value);
    }
  }

  @Test
  void missingFilesAreNamedWithTheFix() {
    MlopsException path = assertThrows(MlopsException.class, () -> GcsCredentials.resolve("store", Map.of(),
        home.resolve("nope.json"), false, GcsTesting.env(home)));
    assertTrue(path.getMessage().contains("credentialpath of remote 'store'")
        && path.getMessage().contains("nope.json")
        && path.getMessage().contains("dvc remote modify --local store credentialpath"), path.getMessage());
    MlopsException adc = assertThrows(MlopsException.class, () -> GcsCredentials.resolve("store", Map.of(), null,
        false, GcsTesting.env(home, "GOOGLE_APPLICATION_CREDENTIALS", home.resolve("gone.json").toString())));
    assertTrue(adc.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS names") && adc.getMessage().contains(
        "gone.json"), adc.getMessage());
  }

  @Test
  void aFileThatIsNoCredentialIsRefusedWithoutItsContent() throws IOException {
    Path notKey = file("notes.json", "{\"type\": \"service_account\", \"private_key\": \"" + key.privateKeyLines().get(1)
        + "\"}");
    MlopsException e = assertThrows(MlopsException.class,
        () -> GcsCredentials.resolve("store", Map.of(), notKey, false, GcsTesting.env(home)));
    assertTrue(e.getMessage().contains("notes.json"), e.getMessage());
    assertNoSecret(e, key.privateKeyLines().get(1));
  }

  /** Neither the message nor any cause's message holds the secret or a line of the key. */
  private void assertNoSecret(Throwable e, String secret) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      assertFalse(m.contains(secret.strip()), "secret in: " + m);
      for (String line : key.privateKeyLines()) {
        assertFalse(m.contains(line), "key material in: " + m);
      }
      assertFalse(m.contains(key.privateKeyId()), "key id in: " + m);
    }
  }
}
