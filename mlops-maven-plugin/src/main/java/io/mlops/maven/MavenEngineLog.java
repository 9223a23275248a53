package io.mlops.maven;

import io.mlops.api.EngineLog;
import org.apache.maven.plugin.logging.Log;

/** Routes engine messages to Maven's logger; serialised so parallel stages never interleave a line. */
final class MavenEngineLog implements EngineLog {
  private final Log log;

  MavenEngineLog(Log log) {
    this.log = log;
  }

  @Override
  public synchronized void info(String message) {
    log.info(message);
  }

  @Override
  public synchronized void warn(String message) {
    log.warn(message);
  }

  @Override
  public synchronized void error(String message) {
    log.error(message);
  }

  @Override
  public synchronized void debug(String message) {
    if (log.isDebugEnabled()) {
      log.debug(message);
    }
  }

  @Override
  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }
}
