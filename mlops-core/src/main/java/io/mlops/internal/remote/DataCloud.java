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
  /** Retries of transient failures in the current transfer (reported in its summary, then reset). */
  private final java.util.concurrent.atomic.LongAdder retries = new java.util.concurrent.atomic.LongAdder();

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
    Map<HashInfo, List<HashInfo>> trees = new LinkedHashMap<>();
    for (Tracked t : tracked) {
      byName.put(t.path(), t.hash());
      if (t.hash().isDir() && cache.exists(t.hash())) {
        List<HashInfo> files = new ArrayList<>();
        for (Tree.Entry e : cache.loadTree(t.hash()).entries()) {
          HashInfo h = new HashInfo(t.hash().name(), e.md5());
          byName.put(t.path() + "/" + e.relpath(), h);
          files.add(h);
        }
        trees.put(t.hash(), files);
      }
    }
    Set<HashInfo> onRemote = existing(new LinkedHashSet<>(byName.values()), trees);
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
    return transfer(cacheStore(), remoteStore(), tracked, "push");
  }

  /** Downloads what the local cache lacks; verifies each object's md5 first. */
  public TransferSummary fetch(List<Tracked> tracked) {
    return transfer(remoteStore(), cacheStore(), tracked, "fetch");
  }

  /**
   * One side of a transfer, as dvc-data's object databases: the local cache or the remote, holding objects under
   * the same layout ({@link LocalCache#key}).
   */
  private interface Store {
    boolean isCache();

    /** Which of the objects this store holds (intact, for the cache). */
    Set<HashInfo> holding(Set<HashInfo> objects);

    /**
     * Copies one object from this store into {@code to}, verified on its way into the cache.
     *
     * @return null when copied, else why not, with {@link #MISSING} first when this store lacks it
     */
    String copyTo(Store to, HashInfo h, String name);
  }

  /** The reason prefix of an object the source lacks. */
  private static final String MISSING = "missing:";

  private Store cacheStore() {
    LocalCache cache = repo.cache();
    return new Store() {
      public boolean isCache() {
        return true;
      }

      public Set<HashInfo> holding(Set<HashInfo> objects) {
        Set<HashInfo> out = ConcurrentHashMap.newKeySet();
        for (HashInfo h : objects) {
          if (cache.isValid(h)) {
            out.add(h);
          }
        }
        return out;
      }

      public String copyTo(Store to, HashInfo h, String name) {
        if (!cache.isValid(h)) {
          return MISSING + name;
        }
        // re-read whatever its mode: a corrupt object must not reach a remote, where it would pass for good
        String corrupt = cache.verify(h);
        if (corrupt != null) {
          return key(h) + ": the cache object of '" + name + "' is corrupt (its content hashes to " + corrupt
              + "); it was not pushed and was removed from the cache: add or commit the data again";
        }
        try {
          Retry.run(() -> {
            remote.upload(cache.path(h), key(h));
            return null;
          }, retries);
          return null;
        } catch (IOException e) {
          return key(h) + ": " + e.getMessage();
        }
      }
    };
  }

  private Store remoteStore() {
    return new Store() {
      public boolean isCache() {
        return false;
      }

      public Set<HashInfo> holding(Set<HashInfo> objects) {
        return existing(objects, Map.of());
      }

      public String copyTo(Store to, HashInfo h, String name) {
        return download(h, name);
      }
    };
  }

  /**
   * The one transfer between the cache and the remote, either way: directory manifests are read from the cache
   * (copied into it first when it is the destination); objects the destination holds are left alone; a directory's
   * files go before its {@code .dir}, which is copied only when all of them are there, so a remote never holds a
   * manifest whose files it lacks.
   */
  private TransferSummary transfer(Store from, Store to, List<Tracked> tracked, String verb) {
    LocalCache cache = repo.cache();
    List<String> missing = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    Map<HashInfo, String> names = new ConcurrentHashMap<>();
    List<HashInfo> dirs = new ArrayList<>();
    LinkedHashSet<HashInfo> files = new LinkedHashSet<>();
    for (Tracked t : tracked) {
      names.putIfAbsent(t.hash(), t.path());
      if (t.hash().isDir()) {
        if (!dirs.contains(t.hash())) {
          dirs.add(t.hash());
        }
      } else {
        files.add(t.hash());
      }
    }
    // the cache answers locally; a remote is asked once, for the manifests and files together (below)
    Set<HashInfo> dirsHeld = to.isCache() ? to.holding(new LinkedHashSet<>(dirs)) : ConcurrentHashMap.newKeySet();
    if (to.isCache()) {
      // manifests first: their files are known only once they are in the cache
      parallel(dirs.stream().filter(d -> !dirsHeld.contains(d)).toList(),
          d -> record(from.copyTo(to, d, names.get(d)), done, missing, failed));
    }
    Map<HashInfo, List<HashInfo>> entries = new LinkedHashMap<>();
    for (HashInfo d : dirs) {
      if (!cache.isValid(d)) {
        if (!to.isCache()) {
          missing.add(names.get(d) + " (" + d.value() + ")");
        }
        continue;
      }
      List<HashInfo> list = new ArrayList<>();
      for (Tree.Entry e : cache.loadTree(d).entries()) {
        HashInfo h = new HashInfo(d.name(), e.md5());
        list.add(h);
        files.add(h);
        names.putIfAbsent(h, names.get(d) + "/" + e.relpath());
      }
      entries.put(d, list);
    }
    Set<HashInfo> filesHeld;
    if (to.isCache()) {
      filesHeld = to.holding(files);
    } else {
      Set<HashInfo> all = new LinkedHashSet<>(files);
      all.addAll(entries.keySet());
      Set<HashInfo> held = existing(all, entries);
      entries.keySet().stream().filter(held::contains).forEach(dirsHeld::add);
      filesHeld = held.stream().filter(files::contains).collect(java.util.stream.Collectors.toSet());
    }
    List<HashInfo> needed = files.stream().filter(h -> !filesHeld.contains(h)).toList();
    Set<HashInfo> notThere = ConcurrentHashMap.newKeySet();
    Progress progress = new Progress(log, verb, needed.size() + (to.isCache() ? 0 : entries.size()));
    parallel(needed, h -> {
      if (!record(from.copyTo(to, h, to.isCache() ? names.getOrDefault(h, h.value()) : h.value()), done, missing,
          failed)) {
        notThere.add(h);
      }
      progress.step();
    });
    if (!to.isCache()) {
      for (Map.Entry<HashInfo, List<HashInfo>> d : entries.entrySet()) {
        if (dirsHeld.contains(d.getKey())) {
          continue;
        }
        if (d.getValue().stream().anyMatch(notThere::contains)) {
          failed.add(key(d.getKey()) + ": not uploaded because some of its files are missing or failed");
        } else {
          record(from.copyTo(to, d.getKey(), names.get(d.getKey())), done, missing, failed);
        }
        progress.step();
      }
      if (!missing.isEmpty()) {
        log.warn("Some of the cache files do not exist neither locally nor on remote. Missing cache files:\n"
            + String.join("\n", missing));
      }
    }
    int upToDate = dirsHeld.size() + filesHeld.size();
    return new TransferSummary(done.get(), upToDate, new ArrayList<>(missing), new ArrayList<>(failed),
        retries.sumThenReset());
  }

  /** Counts one copy's outcome; true when the object is now at the destination. */
  private static boolean record(String outcome, AtomicInteger done, List<String> missing, List<String> failed) {
    if (outcome == null) {
      done.incrementAndGet();
      return true;
    }
    if (outcome.startsWith(MISSING)) {
      missing.add(outcome.substring(MISSING.length()));
    } else {
      failed.add(outcome);
    }
    return false;
  }

  /**
   * Downloads the listed objects themselves and nothing else: a {@code .dir} manifest without the files it
   * lists (for reading one file of a tracked directory). Objects already in the cache are left alone.
   */
  public TransferSummary fetchObjects(List<Tracked> objects) {
    List<String> missing = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    int upToDate = 0;
    for (Tracked t : objects) {
      if (repo.cache().isValid(t.hash())) {
        upToDate++;
      } else {
        record(download(t.hash(), t.path()), done, missing, failed);
      }
    }
    return new TransferSummary(done.get(), upToDate, missing, failed, retries.sumThenReset());
  }


  /** Downloads one object into the cache, verified; null when stored, else why not ({@link #MISSING} first). */
  private String download(HashInfo h, String name) {
    Path target = repo.cache().path(h);
    Path tmp = AtomicFiles.tempSibling(target);
    try {
      Files.createDirectories(target.getParent());
      String md5;
      try {
        md5 = Retry.run(() -> remote.downloadMd5(key(h), tmp), retries);
      } catch (IOException e) {
        return remote.isNotFound(e) ? MISSING + name + " (" + remote.url() + "/" + key(h) + ")"
            : name + " (" + key(h) + "): " + e.getMessage();
      }
      String actual = repo.cache().adopt(tmp, h, h.isLegacy() ? null : md5);
      return actual == null ? null : name + ": remote object " + remote.url() + "/" + key(h)
          + " is corrupt (its md5 is " + actual + "); it was not used";
    } catch (IOException e) {
      return name + " (" + key(h) + "): " + e.getMessage();
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
   * sending one request per object. Legacy (DVC 2) objects are always checked one by one. The directories of
   * {@code trees} (their {@code .dir} objects, each with its files) are asked for first: where the remote has the
   * {@code .dir}, its files count as there without asking, as dvc-data's {@code status} does for a remote.
   */
  private Set<HashInfo> existing(Set<HashInfo> objects, Map<HashInfo, List<HashInfo>> trees) {
    Set<HashInfo> found = ConcurrentHashMap.newKeySet();
    Set<HashInfo> rest = objects;
    List<HashInfo> dirs = trees.keySet().stream().filter(objects::contains).toList();
    if (!dirs.isEmpty()) {
      // as dvc-data's status does for a remote: a directory whose .dir the remote has is taken as complete there,
      // its files not asked for one by one (a push uploads the .dir last, once all its files are there)
      Set<HashInfo> dirsThere = existing(new LinkedHashSet<>(dirs), Map.of());
      rest = new LinkedHashSet<>(objects);
      for (HashInfo d : dirsThere) {
        found.add(d);
        found.addAll(trees.get(d));
      }
      rest.removeAll(found);
      rest.removeAll(dirs);
      found.retainAll(objects);
      if (rest.isEmpty()) {
        return found;
      }
    }
    List<HashInfo> modern = new ArrayList<>();
    List<HashInfo> legacy = new ArrayList<>();
    for (HashInfo h : rest) {
      (h.isLegacy() ? legacy : modern).add(h);
    }
    try {
      if (modern.size() > 1 && remote.canTraverse()) {
        Set<String> sample = Retry.run(() -> remote.list(FILES_PREFIX + "00/0"), retries);
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
        if (Retry.run(() -> remote.exists(key(h)), retries)) {
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
      return Retry.run(() -> remote.list(FILES_PREFIX), retries);
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
        keys.addAll(Retry.run(() -> remote.list(FILES_PREFIX + p), retries));
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
