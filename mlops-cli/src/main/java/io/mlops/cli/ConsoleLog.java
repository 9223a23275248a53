package io.mlops.cli;

import io.mlops.api.EngineLog;
import java.io.PrintStream;

/** DVC's console: progress on standard output, {@code WARNING:}/{@code ERROR:} lines on standard error. */
final class ConsoleLog implements EngineLog {
  /** How much to print: {@code -q} keeps errors only, {@code -v} adds debug lines. */
  enum Level {
    QUIET,
    NORMAL,
    VERBOSE
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Level level;

  ConsoleLog(PrintStream out, PrintStream err, Level level) {
    this.out = out;
    this.err = err;
    this.level = level;
  }

  @Override
  public synchronized void info(String message) {
    if (level != Level.QUIET) {
      out.println(message);
    }
  }

  @Override
  public synchronized void warn(String message) {
    if (level != Level.QUIET) {
      out.flush();
      err.println("WARNING: " + message);
    }
  }

  @Override
  public synchronized void error(String message) {
    out.flush();
    err.println("ERROR: " + message);
  }

  @Override
  public synchronized void debug(String message) {
    if (level == Level.VERBOSE) {
      out.flush();
      err.println("DEBUG: " + message);
    }
  }

  @Override
  public boolean isDebugEnabled() {
    return level == Level.VERBOSE;
  }

  /** Text printed as it is (tables, JSON, graphs), unless quiet. */
  synchronized void print(String text) {
    if (level != Level.QUIET) {
      out.print(text);
      out.flush();
    }
  }
}
