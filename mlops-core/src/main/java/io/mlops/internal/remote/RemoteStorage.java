package io.mlops.internal.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * An object store holding a DVC remote: keys are paths relative to the remote URL, such as
 * {@code files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8}. Implementations must be thread-safe.
 */
public interface RemoteStorage extends AutoCloseable {
  /** The remote URL as configured, for messages (never with credentials). */
  String url();

  boolean exists(String key) throws IOException;

  /** All keys under a prefix (e.g. {@code files/md5/00}). */
  Set<String> list(String prefix) throws IOException;

  /** Uploads a file to a key (an existing object is replaced). */
  void upload(Path source, String key) throws IOException;

  /** Downloads a key to {@code target} (the caller verifies and moves it into place). */
  void download(String key, Path target) throws IOException;

  /**
   * Downloads a key to {@code target} and returns the md5 (hex) of the bytes written, computed as they passed
   * (see {@link io.mlops.internal.hash.Md5FileSink}), so the caller verifies without reading the file again; null
   * when this remote does not compute it (the caller then hashes the file).
   */
  default String downloadMd5(String key, Path target) throws IOException {
    download(key, target);
    return null;
  }

  /**
   * Whether listing keys by prefix is cheap enough to replace per-object checks on big transfers (object stores);
   * file systems answer single checks quickly and say no.
   */
  default boolean canTraverse() {
    return true;
  }

  /** Whether a missing key was the cause of this exception. */
  default boolean isNotFound(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException;
  }

  @Override
  default void close() {}
}
