package io.mlops.internal.remote;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Retries transient remote failures with exponential backoff (0.5 s, 1 s, 2 s, 4 s). */
final class Retry {
  static final int ATTEMPTS = 5;

  interface Call<T> {
    T call() throws IOException;
  }

  private Retry() {}

  static <T> T run(Call<T> call) throws IOException {
    return run(call, null);
  }

  /** As {@link #run(Call)}, counting each retry in {@code retries} (may be null). */
  static <T> T run(Call<T> call, java.util.concurrent.atomic.LongAdder retries) throws IOException {
    long delay = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= ATTEMPTS || !(e instanceof TransientException)) {
          throw e;
        }
        if (retries != null) {
          retries.increment();
        }
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay *= 2;
      }
    }
  }

  /** Thrown by remotes for failures worth retrying (timeouts, 429, 5xx). */
  static class TransientException extends IOException {
    TransientException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
