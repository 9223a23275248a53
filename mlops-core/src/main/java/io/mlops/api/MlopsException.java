package io.mlops.api;

import java.nio.file.Path;

/**
 * An error the user can act on: it names the file (and line, where there is one) and says what to do.
 * The Maven adapter turns it into a build failure without a stack trace at the default log level.
 */
public class MlopsException extends RuntimeException {
  private final Path file;
  private final int line;
  private final String hint;

  public MlopsException(String message) {
    this(message, null, 0, null, null);
  }

  public MlopsException(String message, Throwable cause) {
    this(message, null, 0, null, cause);
  }

  public MlopsException(String message, Path file, int line, String hint) {
    this(message, file, line, hint, null);
  }

  public MlopsException(String message, Path file, int line, String hint, Throwable cause) {
    super(format(message, file, line, hint), cause);
    this.file = file;
    this.line = line;
    this.hint = hint;
  }

  private static String format(String message, Path file, int line, String hint) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    }
    sb.append(message);
    if (hint != null && !hint.isEmpty()) {
      sb.append("\n  Fix: ").append(hint);
    }
    return sb.toString();
  }

  /** The file the error is about, or null. */
  public Path file() {
    return file;
  }

  /** 1-based line in {@link #file()}, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** What the user should do, or null. */
  public String hint() {
    return hint;
  }
}
