package io.mlops.internal.remote;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps HTTP wire logging out of every log. google-http-client logs request and response bodies at CONFIG (the
 * OAuth token exchange included: the signed JWT assertion and the access token), and the JDK's
 * {@code HttpURLConnection}, which both the Google and the AWS clients use here, logs request headers at FINE
 * ({@code Authorization: Bearer …}, {@code X-Amz-Security-Token}). Whatever levels a build's logging
 * configuration sets, those loggers are held at INFO while remotes are in use (GcsSecretsTest).
 */
final class WireLogs {
  /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
  private static final List<Logger> LOGGERS = List.of(
      Logger.getLogger("com.google.api.client.http.HttpTransport"),
      Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection"),
      Logger.getLogger("sun.net.www.protocol.https.HttpsURLConnectionImpl"));

  private WireLogs() {}

  /** Raises each wire logger to INFO unless it is already at INFO or above. */
  static void quiet() {
    for (Logger l : LOGGERS) {
      Level level = l.getLevel();
      if (level == null || level.intValue() < Level.INFO.intValue()) {
        l.setLevel(Level.INFO);
      }
    }
  }
}
