package io.mlops.internal.pipeline;

import io.mlops.api.MlopsException;
import java.nio.file.Path;

/**
 * A dvc.yaml that cannot be loaded, with what DVC would say about it: the Python exception's class name and its
 * {@code str()} (e.g. {@code YAMLValidationError}, {@code './dvc.yaml' validation failed}), so that commands which
 * only warn about a broken pipeline ({@code metrics show/diff}, {@code params diff}) can word the warning as DVC
 * does. The message, file, line and hint are those of the detailed error it wraps.
 */
public final class InvalidPipelineException extends MlopsException {
  private final transient MlopsException detail;
  private final String dvcType;
  private final String dvcMessage;
  private final String dvcSuffix;

  /**
   * @param detail our error, naming the file, line and fix
   * @param dvcType the class name of DVC's exception
   * @param dvcMessage DVC's message, up to where a Git revision would be inserted
   * @param dvcSuffix the rest of DVC's message ("" or e.g. {@code ": 2 errors"})
   */
  InvalidPipelineException(MlopsException detail, String dvcType, String dvcMessage, String dvcSuffix) {
    super(detail.kind(), detail.getMessage(), detail.getCause());
    this.detail = detail;
    this.dvcType = dvcType;
    this.dvcMessage = dvcMessage;
    this.dvcSuffix = dvcSuffix;
    setStackTrace(detail.getStackTrace());
  }

  /** The class name of DVC's exception, as {@code --json} reports it. */
  public String dvcType() {
    return dvcType;
  }

  /**
   * DVC's {@code str(exc)}.
   *
   * @param commit the commit the file was read at, or null in the workspace (DVC's schema errors name the first
   *     7 characters of it: {@code './dvc.yaml' validation failed in revision '01293f2'})
   */
  public String dvcMessage(String commit) {
    boolean inRevision = commit != null && "YAMLValidationError".equals(dvcType);
    return dvcMessage + (inRevision ? " in revision '" + commit.substring(0, Math.min(7, commit.length())) + "'" : "")
        + dvcSuffix;
  }

  @Override
  public Path file() {
    return detail.file();
  }

  @Override
  public int line() {
    return detail.line();
  }

  @Override
  public String hint() {
    return detail.hint();
  }

  /** DVC's {@code make_relpath}: {@code ./} before a path inside the working directory. */
  static String dotRelative(String relpath) {
    return relpath.startsWith("..") ? relpath : "./" + relpath;
  }
}
