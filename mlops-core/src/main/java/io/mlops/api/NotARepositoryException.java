package io.mlops.api;

import java.nio.file.Path;

/** The directory given to {@link Mlops#open} holds no {@code .dvc} directory (DVC's {@code NotDvcRepoError}). */
public final class NotARepositoryException extends MlopsException {
  public NotARepositoryException(Path dir, String hint) {
    super("not a DVC repository: no .dvc directory", dir, 0, hint);
  }
}
