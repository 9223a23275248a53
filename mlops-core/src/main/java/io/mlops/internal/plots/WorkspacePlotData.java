package io.mlops.internal.plots;

import io.mlops.api.MlopsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Plot data of the working tree: plain files under the repository root. Other revisions need the Git and
 * cache revision reader; until one is passed in, asking for them fails with a message saying so.
 */
public final class WorkspacePlotData implements PlotData {
  private final Path root;
  private final PlotData revisions;

  /** Reads the workspace under {@code root}; other revisions are an error. */
  public WorkspacePlotData(Path root) {
    this(root, null);
  }

  /** Reads the workspace under {@code root} and delegates other revisions to {@code revisions} (may be null). */
  public WorkspacePlotData(Path root, PlotData revisions) {
    this.root = root.toAbsolutePath().normalize();
    this.revisions = revisions;
  }

  @Override
  public Optional<byte[]> read(String rev, String path) {
    if (!WORKSPACE.equals(rev)) {
      if (revisions == null) {
        throw new MlopsException(
            "cannot read plot data at revision '" + rev + "': this build has no Git/cache revision reader",
            null,
            0,
            "Leave mlops.rev unset to render the workspace only, or use a plugin version that reads revisions.");
      }
      return revisions.read(rev, path);
    }
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root) || Files.isDirectory(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
