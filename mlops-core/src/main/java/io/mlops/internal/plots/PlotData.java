package io.mlops.internal.plots;

import java.util.Optional;

/**
 * Where plot data comes from: the bytes of a repository-relative file at a revision. {@link #WORKSPACE} is
 * the working tree; other names (a branch, tag or commit such as {@code main}) need a revision reader that
 * looks into Git and the DVC cache.
 */
@FunctionalInterface
public interface PlotData {
  /** The revision name DVC uses for the working tree. */
  String WORKSPACE = "workspace";

  /**
   * The content of {@code path} ('/'-separated, relative to the repository root) at {@code rev}, or empty
   * when the file does not exist there.
   *
   * @throws io.mlops.api.MlopsException when the revision cannot be read at all (e.g. an unknown revision)
   */
  Optional<byte[]> read(String rev, String path);
}
