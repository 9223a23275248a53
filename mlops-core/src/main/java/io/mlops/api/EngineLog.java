package io.mlops.api;

/**
 * Where the engine reports what it does. The Maven adapter maps it onto Maven's logger; tests collect it.
 * Implementations must be thread-safe: stages and transfers report from worker threads.
 */
public interface EngineLog {
  void info(String message);

  void warn(String message);

  void error(String message);

  void debug(String message);

  default boolean isDebugEnabled() {
    return false;
  }

  /** A log that prints to standard output and standard error (used by tests and command-line tools). */
  static EngineLog console() {
    return new EngineLog() {
      @Override
      public synchronized void info(String message) {
        System.out.println(message);
      }

      @Override
      public synchronized void warn(String message) {
        System.err.println("WARNING: " + message);
      }

      @Override
      public synchronized void error(String message) {
        System.err.println("ERROR: " + message);
      }

      @Override
      public void debug(String message) {}
    };
  }
}
