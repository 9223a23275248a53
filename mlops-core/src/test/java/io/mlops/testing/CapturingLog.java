package io.mlops.testing;

import io.mlops.api.EngineLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An engine log that keeps every line ({@code WARN }, {@code ERROR }, {@code DEBUG } prefixes) for assertions. */
public final class CapturingLog implements EngineLog {
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final boolean debugEnabled;

  /** @param debugEnabled what {@link #isDebugEnabled()} answers (debug lines are kept either way) */
  public CapturingLog(boolean debugEnabled) {
    this.debugEnabled = debugEnabled;
  }

  /** The lines so far, live. */
  public List<String> lines() {
    return lines;
  }

  @Override
  public void info(String m) {
    lines.add(m);
  }

  @Override
  public void warn(String m) {
    lines.add("WARN " + m);
  }

  @Override
  public void error(String m) {
    lines.add("ERROR " + m);
  }

  @Override
  public void debug(String m) {
    lines.add("DEBUG " + m);
  }

  @Override
  public boolean isDebugEnabled() {
    return debugEnabled;
  }
}
