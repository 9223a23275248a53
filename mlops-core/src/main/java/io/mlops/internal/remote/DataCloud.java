package io.mlops.internal.remote;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.TransferSummary;
import io.mlops.internal.Repo;
import io.mlops.internal.Workers;
import io.mlops.internal.cache.LocalCache;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.Stage;
import io.mlops.internal.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves cache objects between the local cache and a remote in DVC 3's layout ({@code files/md5/xx/rest}):
 * a directory's files go before its {@code .dir} manifest, every download is verified against its md5
 * before it enters the cache, and all writes are atomic.
 */
public final class DataCloud {
  /** An out to transfer: its repository path (for messages) and recorded hash. */
  public record Tracked(String path, HashInfo hash) {}

  private static final String FILES_PREFIX = "files/md5/";
  // dvc_objects.fs.base.ObjectFileSystem / FileSystem constants, used to choose listing over per-object checks.
  private static final int TRAVERSE_PREFIXES = 16 * 16 * 16;
  private static final int LIST_PAGE_SIZE = 1000;
  private static final int TRAVERSE_WEIGHT_MULTIPLIER = 5;
  private static final int TRAVERSE_THRESHOLD_SIZE = 500_000;

  private final Repo repo;
  private final RemoteStorage remote;
  private final int jobs;
  private final EngineLog log;

  public DataCloud(Repo repo, RemoteStorage remote, int jobs) {
    this.repo = repo;
    this.remote = remote;
    this.jobs = Math.max(1, jobs);
    this.log = repo.log();
  }

  /** The remote key of an object: the cache's layout. */
  private static String key(HashInfo h) {
    return LocalCache.key(h);
  }

  /** Every cached, pushable out recorded in dvc.lock and .dvc files of the selected stages. */
  public static List<Tracked> collect(Index index, List<Stage> stages, String remoteName) {
    List<Tracked> out = new ArrayList<>();
    for (Stage s : stages) {
      for (Index.RecordedOut r : index.cachedOuts(s)) {
        Stage.Out o = r.out();
        if (!o.def().push()) {
          continue;
        }
        if (o.def().remote() != null && remoteName != null && !o.def().remote().equals(remoteName)) {
          continue;
        }
        out.add(new Tracked(o.repoPath(), r.recorded().hash()));
      }
    }
    return out;
  }

  /**
   * {@code dvc status -c}: how each tracked object (a directory, its {@code .dir} and every file in it) stands
   * between the cache and the remote: {@code new} (only in the cache), {@code deleted} (only on the remote),
   * {@code missing} (in neither); objects in both are left out. Sorted by name.
   */
  public Map<String, String> status(List<Tracked> tracked) {
    LocalCache cache = repo.cache();
    Map<String, HashInfo> byName = new java.util.TreeMap<>();
    for (Tracked t : tracked) {
      byName.put(t.path(), t.hash());
      if (t.hash().isDir() && cache.exists(t.hash())) {
        for (Tree.Entry e : cache.loadTree(t.hash()).entries()) {
          byName.put(t.path() + "/" + e.relpath(), new HashInfo(t.hash().name(), e.md5()));
        }
      }
    }
    Set<HashInfo> onRemote = existing(new LinkedHashSet<>(byName.values()));
    Map<String, String> out = new LinkedHashMap<>();
    byName.forEach((name, h) -> {
      boolean local = cache.exists(h);
      boolean remoteHas = onRemote.contains(h);
      if (!local || !remoteHas) {
        out.put(name, local ? "new" : remoteHas ? "deleted" : "missing");
      }
    });
    return out;
  }

  /** Uploads what the remote lacks. Objects missing locally are reported, not fatal. */
  public TransferSummary push(List<Tracked> tracked) {
    LocalCache cache = repo.cache();
    List<String> missing = new ArrayList<>();
    LinkedHashSet<HashInfo> files = new LinkedHashSet<>();
    Map<HashInfo, List<HashInfo>> dirs = new LinkedHashMap<>();
    for (Tracked t : tracked) {
      if (t.hash().isDir()) {
        if (!cache.isValid(t.hash())) {
          missing.add(t.path() + " (" + t.hash().value() + ")");
          continue;
        }
        Tree tree = cache.loadTree(t.hash());
        List<HashInfo> entries = new ArrayList<>();
        for (Tree.Entry e : tree.entries()) {
          entries.add(new HashInfo(t.hash().name(), e.md5()));
        }
        dirs.put(t.hash(), entries);
        files.addAll(entries);
      } else {
        files.add(t.hash());
      }
    }
    Set<HashInfo> all = new LinkedHashSet<>(files);
    all.addAll(dirs.keySet());
    Set<HashInfo> onRemote = existing(all);
    AtomicInteger done = new AtomicInteger();
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    Set<HashInfo> failedOrMissing = ConcurrentHashMap.newKeySet();
    List<HashInfo> toUpload = new ArrayList<>();
    for (HashInfo h : files) {
      if (onRemote.contains(h)) {
        continue;
      }
      if (!cache.isValid(h)) {
        missing.add(h.value());
        failedOrMissing.add(h);
        continue;
      }
      toUpload.add(h);
    }
    Progress progress = new Progress(log, "push", toUpload.size() + dirs.size());
    parallel(toUpload, h -> {
      try {
        Retry.run(() -> {
          remote.upload(cache.path(h), key(h));
          return null;
        });
        done.incrementAndGet();
      } catch (IOException e) {
        failed.add(key(h) + ": " + e.getMessage());
        failedOrMissing.add(h);
      }
      progress.step();
    });
    for (Map.Entry<HashInfo, List<HashInfo>> d : dirs.entrySet()) {
      if (onRemote.contains(d.getKey())) {
        continue;
      }
      if (d.getValue().stream().anyMatch(failedOrMissing::contains)) {
        failed.add(key(d.getKey()) + ": not uploaded because some of its files are missing or failed");
        continue;
      }
      try {
        Retry.run(() -> {
          remote.upload(cache.path(d.getKey()), key(d.getKey()));
          return null;
        });
        done.incrementAndGet();
      } catch (IOException e) {
        failed.add(key(d.getKey()) + ": " + e.getMessage());
      }
      progress.step();
    }
    if (!missing.isEmpty()) {
      log.warn("Some of the cache files do not exist neither locally nor on remote. Missing cache files:\n"
          + String.join("\n", missing));
    }
    int upToDate = (int) all.stream().filter(onRemote::contains).count();
    return new TransferSummary(done.get(), upToDate, missing, failed);
  }

  /** Downloads what the local cache lacks; verifies each object's md5 first. */
  public TransferSummary fetch(List<Tracked> tracked) {
    LocalCache cache = repo.cache();
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger upToDate = new AtomicInteger();
    LinkedHashSet<HashInfo> files = new LinkedHashSet<>();
    List<Tracked> dirsFirst = new ArrayList<>();
    for (Tracked t : tracked) {
      if (t.hash().isDir()) {
        dirsFirst.add(t);
      } else {
        files.add(t.hash());
      }
    }
    Map<HashInfo, String> names = new ConcurrentHashMap<>();
    for (Tracked t : tracked) {
      names.put(t.hash(), t.path());
    }
    parallel(dirsFirst, t -> {
      if (cache.isValid(t.hash())) {
        upToDate.incrementAndGet();
        return;
      }
      if (download(t.hash(), t.path(), missing, failed)) {
        done.incrementAndGet();
      }
    });
    for (Tracked t : dirsFirst) {
      if (!cache.isValid(t.hash())) {
        continue;
      }
      for (Tree.Entry e : cache.loadTree(t.hash()).entries()) {
        HashInfo h = new HashInfo(t.hash().name(), e.md5());
        files.add(h);
        names.putIfAbsent(h, t.path() + "/" + e.relpath());
      }
    }
    List<HashInfo> needed = new ArrayList<>();
    for (HashInfo h : files) {
      if (cache.isValid(h)) {
        upToDate.incrementAndGet();
      } else {
        needed.add(h);
      }
    }
    Progress progress = new Progress(log, "fetch", needed.size());
    parallel(needed, h -> {
      if (download(h, names.getOrDefault(h, h.value()), missing, failed)) {
        done.incrementAndGet();
      }
      progress.step();
    });
    return new TransferSummary(done.get(), upToDate.get(), new ArrayList<>(missing), new ArrayList<>(failed));
  }

  /**
   * Downloads the listed objects themselves and nothing else: a {@code .dir} manifest without the files it
   * lists (for reading one file of a tracked directory). Objects already in the cache are left alone.
   */
  public TransferSummary fetchObjects(List<Tracked> objects) {
    List<String> missing = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    int done = 0;
    int upToDate = 0;
    for (Tracked t : objects) {
      if (repo.cache().isValid(t.hash())) {
        upToDate++;
      } else if (download(t.hash(), t.path(), missing, failed)) {
        done++;
      }
    }
    return new TransferSummary(done, upToDate, missing, failed);
  }

  private boolean download(HashInfo h, String name, List<String> missing, List<String> failed) {
    Path target = repo.cache().path(h);
    Path tmp = AtomicFiles.tempSibling(target);
    try {
      Files.createDirectories(target.getParent());
      try {
        Retry.run(() -> {
          remote.download(key(h), tmp);
          return null;
        });
      } catch (IOException e) {
        if (remote.isNotFound(e)) {
          missing.add(name + " (" + remote.url() + "/" + key(h) + ")");
        } else {
          failed.add(name + " (" + key(h) + "): " + e.getMessage());
        }
        return false;
      }
      String actual = repo.cache().adopt(tmp, h);
      if (actual != null) {
        failed.add(name + ": remote object " + remote.url() + "/" + key(h) + " is corrupt (its md5 is " + actual
            + "); it was not used");
        return false;
      }
      return true;
    } catch (IOException e) {
      failed.add(name + " (" + key(h) + "): " + e.getMessage());
      return false;
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // best effort
      }
    }
  }

  /**
   * Which of the objects the remote has, decided as DVC's {@code ObjectDB.oids_exist} does: one object, or a remote
   * that cannot be listed cheaply, is checked object by object; otherwise the size of the remote is estimated from
   * the keys under {@code files/md5/00/0} and, when the objects to check outnumber the list pages that a full
   * listing would cost, the remote is listed (in one pass when small, else by prefix in parallel) instead of
   * sending one request per object. Legacy (DVC 2) objects are always checked one by one.
   */
  private Set<HashInfo> existing(Set<HashInfo> objects) {
    List<HashInfo> modern = new ArrayList<>();
    List<HashInfo> legacy = new ArrayList<>();
    for (HashInfo h : objects) {
      (h.isLegacy() ? legacy : modern).add(h);
    }
    Set<HashInfo> found = ConcurrentHashMap.newKeySet();
    try {
      if (modern.size() > 1 && remote.canTraverse()) {
        Set<String> sample = Retry.run(() -> remote.list(FILES_PREFIX + "00/0"));
        long remoteSize = TRAVERSE_PREFIXES * (long) Math.max(1, sample.size());
        double pages = remoteSize / (double) LIST_PAGE_SIZE;
        double weight = remoteSize > TRAVERSE_THRESHOLD_SIZE ? pages * TRAVERSE_WEIGHT_MULTIPLIER : pages;
        if (modern.size() >= weight) {
          Set<String> keys = listAll(pages, sample);
          for (HashInfo h : modern) {
            if (keys.contains(key(h))) {
              found.add(h);
            }
          }
          modern = List.of();
        } else {
          for (HashInfo h : modern) {
            if (sample.contains(key(h))) {
              found.add(h);
            }
          }
          modern = modern.stream().filter(h -> !found.contains(h)).toList();
        }
      }
    } catch (IOException e) {
      throw queryFailed(e.getMessage());
    }
    List<HashInfo> oneByOne = new ArrayList<>(modern);
    oneByOne.addAll(legacy);
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    parallel(oneByOne, h -> {
      try {
        if (Retry.run(() -> remote.exists(key(h)))) {
          found.add(h);
        }
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
    });
    if (!errors.isEmpty()) {
      throw queryFailed(errors.get(0));
    }
    return found;
  }

  /** Every key under {@code files/md5/}: one paginated listing for a small remote, else one per prefix. */
  private Set<String> listAll(double pages, Set<String> sample) throws IOException {
    if (pages < 256.0 / jobs) {
      return Retry.run(() -> remote.list(FILES_PREFIX));
    }
    List<String> prefixes = new ArrayList<>();
    for (int i = 1; i < 256; i++) {
      prefixes.add(String.format("%02x/", i));
    }
    for (int i = 1; i < 16; i++) {
      prefixes.add(String.format("00/%x", i));
    }
    Set<String> keys = ConcurrentHashMap.newKeySet();
    keys.addAll(sample);
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    parallel(prefixes, p -> {
      try {
        keys.addAll(Retry.run(() -> remote.list(FILES_PREFIX + p)));
      } catch (IOException e) {
        errors.add(e.getMessage());
      }
    });
    if (!errors.isEmpty()) {
      throw new IOException(errors.get(0));
    }
    return keys;
  }

  private MlopsException queryFailed(String detail) {
    return new MlopsException(MlopsException.Kind.ENVIRONMENT, "cannot query remote " + remote.url() + ": " + detail, null, 0,
        "check the remote URL, the bucket and your credentials", null);
  }

  private interface Task<T> {
    void run(T item);
  }

  private <T> void parallel(List<T> items, Task<T> task) {
    repo.workers().forEach(Workers.Kind.TRANSFER, items, jobs, task::run);
  }

}
