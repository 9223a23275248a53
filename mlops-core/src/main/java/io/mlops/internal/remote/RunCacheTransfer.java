package io.mlops.internal.remote;

import io.mlops.api.EngineLog;
import io.mlops.internal.Repo;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import io.mlops.internal.yaml.LoadedYaml;
import io.mlops.internal.yaml.YamlLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code --run-cache} for push, fetch and pull, as DVC does it: the run-cache entries
 * ({@code .dvc/cache/runs/<kk>/<key>/<value>}, each the lock entry of one run) live on the remote at
 * {@code runs/<kk>/<key>/<value>}. Push uploads every local entry (overwriting, as DVC's {@code force=True}) after
 * the objects of the entries' outputs, so that every pushed run can be restored elsewhere; fetch downloads every
 * remote entry, and, as in DVC, the outputs of an entry are fetched only when {@code repro --pull} restores it
 * ({@link Sync#objectFetcher}).
 */
final class RunCacheTransfer {
  static final String REMOTE_PREFIX = "runs/";
  private static final Pattern ENTRY = Pattern.compile("[0-9a-f]{2}/[0-9a-f]{64}/[0-9a-f]{64}");

  private final Repo repo;
  private final EngineLog log;

  RunCacheTransfer(Repo repo) {
    this.repo = repo;
    this.log = repo.log();
  }

  private Path runsDir() {
    return repo.cache().runsDir();
  }

  /** Local entries as {@code kk/key/value} paths relative to the runs directory, sorted. */
  List<String> localEntries() {
    Path runs = runsDir();
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(runs)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(runs)) {
      s.filter(Files::isRegularFile).map(p -> PathUtil.posix(runs.relativize(p)))
          .filter(rel -> ENTRY.matcher(rel).matches()).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the run-cache " + runs, e);
    }
    return out;
  }

  /** The cached outputs recorded by the given local entries (unreadable entries are skipped with a warning). */
  List<DataCloud.Tracked> outputsOf(List<String> entries) {
    List<DataCloud.Tracked> out = new ArrayList<>();
    for (String rel : entries) {
      Path file = runsDir().resolve(rel);
      try {
        LoadedYaml y = YamlLoader.load(file);
        if (y.root() instanceof Map<?, ?> m) {
          for (LockedPath p : LockEntry.fromMap(m).outs()) {
            if (p.hash() != null) {
              out.add(new DataCloud.Tracked(p.path() + " (run-cache " + rel.substring(3, 11) + ")", p.hash()));
            }
          }
        }
      } catch (RuntimeException e) {
        log.warn("skipping the unreadable run-cache entry " + file + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** Uploads every local entry; returns how many. */
  int push(RemoteStorage remote) {
    int n = 0;
    for (String rel : localEntries()) {
      Path file = runsDir().resolve(rel);
      try {
        Retry.run(() -> {
          remote.upload(file, REMOTE_PREFIX + rel);
          return null;
        });
        n++;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot push the run-cache entry " + rel + " to " + remote.url(), e);
      }
    }
    return n;
  }

  /** Downloads every remote entry the local run-cache lacks; returns how many were downloaded. */
  int fetch(RemoteStorage remote) {
    TreeSet<String> remoteEntries = new TreeSet<>();
    try {
      for (String key : Retry.run(() -> remote.list(REMOTE_PREFIX))) {
        String rel = key.startsWith(REMOTE_PREFIX) ? key.substring(REMOTE_PREFIX.length()) : key;
        if (ENTRY.matcher(rel).matches()) {
          remoteEntries.add(rel);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the run-cache on " + remote.url(), e);
    }
    int downloaded = 0;
    for (String rel : remoteEntries) {
      Path target = runsDir().resolve(rel);
      if (!Files.isRegularFile(target)) {
        Path tmp = AtomicFiles.tempSibling(target);
        try {
          Files.createDirectories(target.getParent());
          Retry.run(() -> {
            remote.download(REMOTE_PREFIX + rel, tmp);
            return null;
          });
          if (!(YamlLoader.load(tmp).root() instanceof Map<?, ?>)) {
            log.warn("skipping the run-cache entry " + rel + " of " + remote.url() + ": not a lock entry");
            continue;
          }
          AtomicFiles.move(tmp, target);
          downloaded++;
        } catch (NoSuchFileException e) {
          continue; // removed since it was listed
        } catch (IOException e) {
          throw new UncheckedIOException("cannot fetch the run-cache entry " + rel + " from " + remote.url(), e);
        } catch (RuntimeException e) {
          log.warn("skipping the unreadable run-cache entry " + rel + " of " + remote.url() + ": " + e.getMessage());
          continue;
        } finally {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException e) {
            // a leftover temporary file is harmless
          }
        }
      }
    }
    return downloaded;
  }
}
