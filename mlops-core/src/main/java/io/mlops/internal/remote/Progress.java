package io.mlops.internal.remote;

import io.mlops.api.EngineLog;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain progress lines for long transfers: at most one line per 10% and per 2 seconds. */
final class Progress {
  private final EngineLog log;
  private final String what;
  private final int total;
  private final AtomicInteger done = new AtomicInteger();
  private volatile long lastPrint = System.nanoTime();
  private volatile int lastDecile;

  Progress(EngineLog log, String what, int total) {
    this.log = log;
    this.what = what;
    this.total = total;
  }

  void step() {
    int d = done.incrementAndGet();
    if (total < 100) {
      return;
    }
    int decile = d * 10 / total;
    long now = System.nanoTime();
    if (decile > lastDecile && (now - lastPrint > 2_000_000_000L || d == total)) {
      synchronized (this) {
        if (decile > lastDecile) {
          lastDecile = decile;
          lastPrint = now;
          log.info(what + ": " + d + "/" + total + " files (" + (decile * 10) + "%)");
        }
      }
    }
  }
}
