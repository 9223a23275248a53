package io.mlops.interop;

import io.mlops.api.EngineLog;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds test workspaces and compares them. */
final class Workspaces {
  private Workspaces() {}

  /** Writes files (path → content) under root. */
  static void write(Path root, Map<String, String> files) {
    try {
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path f = root.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** git init + dvc init (by real DVC) in a new directory. */
  static Path initRepo(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DvcOracle.Result git = DvcOracle.run(List.of("git", "init", "-q"), dir, 60);
    if (git.exitCode() != 0) {
      throw new AssertionError("git init failed: " + git.stdout());
    }
    DvcOracle.dvc(dir, "init", "-q");
    DvcOracle.dvc(dir, "config", "core.analytics", "false");
    return dir;
  }

  /** Copies a directory tree (symlinks copied as links). */
  static void copy(Path from, Path to) {
    Trees.copy(from, to);
  }

  /** Every file under dir (relative path → bytes as text), skipping the given top-level names. */
  static Map<String, String> snapshot(Path dir, String... skip) {
    Map<String, String> out = new TreeMap<>();
    List<String> skips = List.of(skip);
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
          String rel = PathUtil.posix(dir.relativize(d));
          return skips.contains(rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          String rel = PathUtil.posix(dir.relativize(f));
          if (!skips.contains(rel)) {
            out.put(rel, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The cache objects of a repository (path under files/ → bytes). */
  static Map<String, String> cacheFiles(Path repo) {
    return snapshot(repo.resolve(".dvc/cache/files"));
  }

  /** Real DVC finds the workspace up to date and the cache in sync with remote {@code remote}. */
  static void assertDvcFindsItClean(Path repo, String remote) {
    String status = DvcOracle.dvc(repo, "status");
    org.junit.jupiter.api.Assertions.assertTrue(status.contains("Data and pipelines are up to date."), status);
    String cloud = DvcOracle.dvc(repo, "status", "-c");
    org.junit.jupiter.api.Assertions.assertTrue(
        cloud.contains("Cache and remote '" + remote + "' are in sync."), cloud);
  }

  /** Relative paths of the cache objects (files/md5/...) of a repository. */
  static List<String> cacheObjects(Path repo) {
    Path files = repo.resolve(".dvc/cache/files");
    if (!Files.isDirectory(files)) {
      return List.of();
    }
    return new ArrayList<>(snapshot(files).keySet());
  }

  /** Relative paths of run-cache entries. */
  static List<String> runCache(Path repo) {
    Path runs = repo.resolve(".dvc/cache/runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    return new ArrayList<>(snapshot(runs).keySet());
  }

  /** An engine log that records lines (and echoes them for test output). */
  static final class RecordingLog implements EngineLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String message) {
      lines.add(message);
      System.out.println("[mlops] " + message);
    }

    @Override
    public synchronized void warn(String message) {
      lines.add("WARNING: " + message);
      System.out.println("[mlops] WARNING: " + message);
    }

    @Override
    public synchronized void error(String message) {
      lines.add("ERROR: " + message);
      System.out.println("[mlops] ERROR: " + message);
    }

    @Override
    public void debug(String message) {}

    String text() {
      return String.join("\n", lines);
    }
  }
}
