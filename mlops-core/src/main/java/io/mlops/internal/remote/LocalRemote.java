package io.mlops.internal.remote;

import io.mlops.internal.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** A remote that is a directory on a local or mounted file system; writes go through a temp file. */
public final class LocalRemote implements RemoteStorage {
  private final Path dir;
  private final String url;

  public LocalRemote(Path dir, String url) {
    this.dir = dir.toAbsolutePath().normalize();
    this.url = url;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public boolean canTraverse() {
    return false;
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(dir.resolve(key));
  }

  @Override
  public Set<String> list(String prefix) throws IOException {
    Set<String> keys = new HashSet<>();
    Path start = dir.resolve(prefix);
    Path base = Files.isDirectory(start) ? start : start.getParent();
    if (base == null || !Files.isDirectory(base)) {
      return keys;
    }
    try (Stream<Path> s = Files.walk(base)) {
      s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix) && !k.substring(k.lastIndexOf('/') + 1).startsWith("."))
          .forEach(keys::add);
    }
    return keys;
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    Path target = dir.resolve(key);
    Files.createDirectories(target.getParent());
    Path tmp = AtomicFiles.tempSibling(target);
    try {
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void download(String key, Path target) throws IOException {
    Path src = dir.resolve(key);
    if (!Files.isRegularFile(src)) {
      throw new NoSuchFileException(src.toString());
    }
    Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
