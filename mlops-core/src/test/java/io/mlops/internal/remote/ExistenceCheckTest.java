package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.EngineLog;
import io.mlops.api.TransferSummary;
import io.mlops.internal.Repo;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The choice between per-object checks and listing the remote, as DVC's {@code oids_exist} makes it, observed on a
 * real directory remote that is made to look like an object store (listing allowed) and counts its requests.
 */
class ExistenceCheckTest {
  @TempDir Path root;
  @TempDir Path remoteDir;
  final List<String> warnings = new ArrayList<>();
  final EngineLog log = new EngineLog() {
    @Override
    public void info(String m) {}

    @Override
    public synchronized void warn(String m) {
      warnings.add(m);
    }

    @Override
    public void error(String m) {}

    @Override
    public void debug(String m) {}
  };

  /** A local remote that reports itself as listable and counts the requests it serves. */
  static final class CountingStore implements RemoteStorage {
    final LocalRemote inner;
    final AtomicInteger exists = new AtomicInteger();
    final List<String> lists = new ArrayList<>();

    CountingStore(Path dir) {
      inner = new LocalRemote(dir, dir.toString());
    }

    @Override
    public String url() {
      return inner.url();
    }

    @Override
    public boolean exists(String key) {
      exists.incrementAndGet();
      return inner.exists(key);
    }

    @Override
    public synchronized Set<String> list(String prefix) throws IOException {
      lists.add(prefix);
      return inner.list(prefix);
    }

    @Override
    public void upload(Path source, String key) throws IOException {
      inner.upload(source, key);
    }

    @Override
    public void download(String key, Path target) throws IOException {
      inner.download(key, target);
    }
  }

  @BeforeEach
  void init() {
    Repo.init(root, true, log);
  }

  private List<DataCloud.Tracked> addFiles(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      Path p = root.resolve("data/f" + i + ".txt");
      Files.createDirectories(p.getParent());
      Files.writeString(p, "content " + i + "\n");
    }
    try (Repo repo = Repo.open(root, log, Map.of(), 1)) {
      new Workspace(repo).add(List.of("data"));
      Index index = Index.load(repo);
      return DataCloud.collect(index, index.stages(), null);
    }
  }

  @Test
  void aSmallRemoteIsListedOnceInsteadOfOneRequestPerObject() throws IOException {
    List<DataCloud.Tracked> tracked = addFiles(20);
    CountingStore store = new CountingStore(remoteDir);
    try (Repo repo = Repo.open(root, log, Map.of(), 1)) {
      TransferSummary first = new DataCloud(repo, store, 4).push(tracked);
      assertEquals(21, first.transferred(), "20 files and the .dir");
      // the .dir first (one request: a directory whose manifest is there counts as complete, as in dvc-data),
      // then the estimate (files/md5/00/0) and one listing of everything: no per-file request
      assertEquals(1, store.exists.get());
      assertEquals(List.of("files/md5/00/0", "files/md5/"), store.lists);

      store.lists.clear();
      store.exists.set(0);
      TransferSummary second = new DataCloud(repo, store, 4).push(tracked);
      assertEquals(0, second.transferred());
      assertEquals(21, second.upToDate());
      assertEquals(1, store.exists.get(), "the .dir only");
      assertEquals(List.of(), store.lists, "its files are not asked for");
    }
  }

  @Test
  void fewObjectsOnABigRemoteAreCheckedOneByOne() throws IOException {
    // 300 keys under files/md5/00/0 make the remote look like 1.2 million objects
    for (int i = 0; i < 300; i++) {
      Path p = remoteDir.resolve(String.format("files/md5/00/0%029x", i));
      Files.createDirectories(p.getParent());
      Files.writeString(p, "x");
    }
    List<DataCloud.Tracked> tracked = addFiles(3);
    CountingStore store = new CountingStore(remoteDir);
    try (Repo repo = Repo.open(root, log, Map.of(), 1)) {
      TransferSummary s = new DataCloud(repo, store, 4).push(tracked);
      assertEquals(4, s.transferred());
      assertEquals(List.of("files/md5/00/0"), store.lists, "only the size estimate is listed");
      assertEquals(4, store.exists.get(), "3 files and the .dir, one request each");
    }
  }

  @Test
  void aLargeTransferToAMidSizedRemoteListsByPrefixInParallel() throws IOException {
    for (int i = 0; i < 10; i++) {
      Path p = remoteDir.resolve(String.format("files/md5/00/0%029x", i));
      Files.createDirectories(p.getParent());
      Files.writeString(p, "x");
    }
    // 10 keys under 00/0: ~40960 objects, 40.96 list pages; more than 256/jobs pages means one listing per prefix,
    // and 61 objects to check outweigh the 40.96 pages
    List<DataCloud.Tracked> tracked = addFiles(60);
    CountingStore store = new CountingStore(remoteDir);
    try (Repo repo = Repo.open(root, log, Map.of(), 1)) {
      TransferSummary s = new DataCloud(repo, store, 8).push(tracked);
      assertEquals(61, s.transferred());
      assertEquals(1, store.exists.get(), "the .dir, asked first");
      assertEquals(1 + 255 + 15, store.lists.size(), "estimate, then 01..ff and 001..00f");
      assertTrue(store.lists.contains("files/md5/ff/"));
      assertTrue(store.lists.contains("files/md5/00/f"));
    }
  }

  @Test
  void directoryRemotesAreCheckedObjectByObjectLikeDvcDoes() throws IOException {
    List<DataCloud.Tracked> tracked = addFiles(5);
    try (Repo repo = Repo.open(root, log, Map.of(), 1)) {
      LocalRemote local = new LocalRemote(remoteDir, remoteDir.toString());
      assertEquals(false, local.canTraverse());
      assertEquals(6, new DataCloud(repo, local, 4).push(tracked).transferred());
      assertEquals(6, new DataCloud(repo, local, 4).push(tracked).upToDate());
    }
  }
}
