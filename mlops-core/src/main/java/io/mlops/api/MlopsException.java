package io.mlops.api;

import java.nio.file.Path;

/**
 * The one exception the engine's API throws: a message that names the file (and line, where there is one) and says
 * what to do, and its {@link Kind}. The adapters turn it into one line without a stack trace at the default log
 * level: a Maven build failure ({@code USER}) or error ({@code ENVIRONMENT}, {@code INTERNAL}), a command's exit
 * code.
 */
public class MlopsException extends RuntimeException {
  /** Whose move it is. */
  public enum Kind {
    /** the repository or the options need fixing: dvc.yaml, a params file, a target, a threshold... */
    USER,
    /** the machine, a remote, Git or a stage's command failed, or the work was interrupted: retry or repair it */
    ENVIRONMENT,
    /** an unexpected exception inside the engine (a bug) */
    INTERNAL
  }

  private final Kind kind;
  private final Path file;
  private final int line;
  private final String hint;

  public MlopsException(String message) {
    this(Kind.USER, message, null, 0, null, null);
  }

  public MlopsException(String message, Throwable cause) {
    this(Kind.USER, message, null, 0, null, cause);
  }

  public MlopsException(String message, Path file, int line, String hint) {
    this(Kind.USER, message, file, line, hint, null);
  }

  public MlopsException(String message, Path file, int line, String hint, Throwable cause) {
    this(Kind.USER, message, file, line, hint, cause);
  }

  public MlopsException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, 0, null, cause);
  }

  public MlopsException(Kind kind, String message, Path file, int line, String hint, Throwable cause) {
    super(format(message, file, line, hint), cause);
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.hint = hint;
  }

  /** A failure of the environment (remote, network, disk, Git, interruption) with what to do about it. */
  public static MlopsException environment(String message, String hint, Throwable cause) {
    return new MlopsException(Kind.ENVIRONMENT, message, null, 0, hint, cause);
  }

  public Kind kind() {
    return kind;
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
