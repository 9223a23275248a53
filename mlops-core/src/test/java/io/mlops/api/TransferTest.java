package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one transfer between cache and remote, both ways, on a local remote: a directory's manifest never reaches
 * the remote without all its files, and a corrupt remote object never reaches the cache.
 */
class TransferTest {
  @TempDir Path tmp;
  Path root;
  Path store;
  final CapturingLog log = new CapturingLog(false);

  @BeforeEach
  void repo() throws IOException {
    root = Files.createDirectories(tmp.resolve("repo"));
    store = tmp.resolve("store");
    Mlops.init(root, true, log);
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = " + store + "\n");
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/a.txt"), "a\n");
    Files.writeString(root.resolve("data/b.txt"), "b\n");
    try (Mlops m = open()) {
      m.add(List.of("data"));
    }
  }

  private Mlops open() {
    return Mlops.open(root, MlopsOptions.defaults(), log);
  }

  private static Path object(Path base, String md5) {
    return base.resolve("files/md5").resolve(md5.substring(0, 2)).resolve(md5.substring(2));
  }

  private static long objects(Path base) throws IOException {
    if (!Files.isDirectory(base)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(base)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aManifestIsNotPushedWithoutAllItsFiles() throws IOException {
    Path b = object(root.resolve(".dvc/cache"), "3b5d5c3712955042212316173ccf37be"); // md5("b\n")
    b.toFile().setWritable(true);
    Files.delete(b);
    MlopsException e;
    try (Mlops m = open()) {
      e = assertThrows(MlopsException.class, () -> m.push(TransferOptions.defaults()));
    }
    assertEquals(MlopsException.Kind.ENVIRONMENT, e.kind());
    assertTrue(e.getMessage().contains(".dir: not uploaded because some of its files are missing or failed"),
        e.getMessage());
    assertEquals(1, objects(store), "a.txt only: no .dir whose files the remote lacks");
    assertTrue(log.lines().stream().anyMatch(l -> l.contains("Missing cache files")), log.lines().toString());

    // with the file back, the push completes: the file, then the manifest
    Files.writeString(root.resolve("data/b.txt"), "b\n");
    try (Mlops m = open()) {
      m.add(List.of("data"));
      TransferSummary s = m.push(TransferOptions.defaults());
      assertEquals(2, s.transferred(), s.toString());
      assertEquals(1, s.upToDate(), s.toString());
    }
    assertEquals(3, objects(store));
  }

  /**
   * DVC 3.67.1 on the same steps: "Everything is up to date." and "Cache and remote 's' are in sync." while the
   * remote has the {@code .dir}, though one of its files was removed behind its back; "2 files pushed" once the
   * {@code .dir} is gone too. So a no-op push or {@code status -c} asks for the manifest, not for every file.
   */
  @Test
  void aDirectoryWhoseManifestTheRemoteHasCountsAsComplete() throws IOException {
    try (Mlops m = open()) {
      assertEquals(3, m.push(TransferOptions.defaults()).transferred());
    }
    Path remoteB = object(store, "3b5d5c3712955042212316173ccf37be"); // md5("b\n")
    remoteB.toFile().setWritable(true);
    Files.delete(remoteB);
    try (Mlops m = open()) {
      TransferSummary s = m.push(TransferOptions.defaults());
      assertEquals(0, s.transferred(), s.toString());
      assertEquals(3, s.upToDate(), s.toString());
      CloudStatus cs = m.cloudStatus(List.of());
      assertTrue(cs.inSync(), "in sync, as DVC says: " + cs);
    }
    try (Stream<Path> s = Files.walk(store)) {
      for (Path dir : s.filter(p -> p.toString().endsWith(".dir")).toList()) {
        dir.toFile().setWritable(true);
        Files.delete(dir);
      }
    }
    try (Mlops m = open()) {
      TransferSummary s = m.push(TransferOptions.defaults());
      assertEquals(2, s.transferred(), "b.txt and the .dir: " + s);
    }
    assertTrue(Files.exists(remoteB));
  }

  /**
   * The remote's client is built on first use: a pull whose objects are all in the cache neither builds it nor
   * needs it (DVC 3.67.1 connects first and fails such a pull on a bad credentials file); a fetch that needs an
   * object fails on the same remote with the credentials error.
   */
  @Test
  void aPullWithEverythingCachedDoesNotOpenTheRemote() throws IOException {
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = gcs\n"
        + "['remote \"gcs\"']\n    url = gs://bucket/path\n    endpointurl = http://127.0.0.1:9\n"
        + "    credentialpath = " + tmp.resolve("no-such-key.json") + "\n");
    try (Mlops m = open()) {
      TransferSummary s = m.pull(TransferOptions.defaults());
      assertEquals(0, s.transferred(), s.toString());
    }
    Path cacheA = object(root.resolve(".dvc/cache"), "60b725f10c9c85c70d97880dfe8191b3"); // md5("a\n")
    cacheA.toFile().setWritable(true);
    Files.delete(cacheA);
    MlopsException e;
    try (Mlops m = open()) {
      e = assertThrows(MlopsException.class, () -> m.fetch(TransferOptions.defaults()));
    }
    assertTrue(e.getMessage().contains("credentialpath of remote 'gcs'"), e.getMessage());
  }

  @Test
  void aCorruptRemoteObjectNeverReachesTheCache() throws IOException {
    try (Mlops m = open()) {
      assertEquals(3, m.push(TransferOptions.defaults()).transferred());
    }
    Path remoteA = object(store, "60b725f10c9c85c70d97880dfe8191b3"); // md5("a\n")
    remoteA.toFile().setWritable(true);
    Files.writeString(remoteA, "tampered\n");
    Path cacheA = object(root.resolve(".dvc/cache"), "60b725f10c9c85c70d97880dfe8191b3");
    cacheA.toFile().setWritable(true);
    Files.delete(cacheA);
    MlopsException e;
    try (Mlops m = open()) {
      e = assertThrows(MlopsException.class, () -> m.fetch(TransferOptions.defaults()));
    }
    assertTrue(e.getMessage().contains("is corrupt (its md5 is "), e.getMessage());
    assertFalse(Files.exists(cacheA), "the corrupt download was not kept");
    try (Stream<Path> s = Files.walk(root.resolve(".dvc/cache"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");
    }
  }
}
