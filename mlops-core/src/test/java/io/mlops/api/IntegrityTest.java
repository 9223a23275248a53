package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupted object (bit-flipped or truncated, with its read-only mode kept, as bit rot or a stray write leaves it)
 * in the local cache or on the remote never reaches a workspace or another remote: checkout, pull, push and
 * run-cache restore re-hash what they copy out, and {@code verifyCache} finds and removes every such object.
 *
 * <p>DVC 3.67.1 trusts read-only cache objects: its checkout copies a corrupted object into the workspace and its
 * push uploads it, both without a word (checked by hand with {@code cache.type copy}).
 */
class IntegrityTest {
  @TempDir Path tmp;
  Path root;
  final CapturingLog log = new CapturingLog(false);
  final byte[] model = new byte[300_000];

  @BeforeEach
  void repo() throws IOException {
    root = tmp.resolve("repo");
    Mlops.init(root, true, log);
    new Random(3).nextBytes(model);
    Files.createDirectories(root.resolve("data/sub"));
    Files.writeString(root.resolve("data/a.txt"), "alpha\n");
    Files.writeString(root.resolve("data/sub/b.txt"), "beta\n");
    Files.write(root.resolve("model.bin"), model);
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    remote = store\n['remote \"store\"']\n"
        + "    url = ../remote\n");
    try (Mlops m = open()) {
      m.add(List.of("data", "model.bin"));
    }
  }

  private Mlops open() {
    return Mlops.open(root, MlopsOptions.defaults(), log);
  }

  private Path object(String md5) {
    return root.resolve(".dvc/cache/files/md5").resolve(md5.substring(0, 2)).resolve(md5.substring(2));
  }

  private static String md5(byte[] b) {
    return io.mlops.internal.hash.FileHasher.md5Hex(b);
  }

  /** Flips one bit of a read-only file, keeping its mode (as bit rot would). */
  private static void flipBit(Path p, long at) throws IOException {
    var mode = Files.getPosixFilePermissions(p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x10);
    }
    Files.setPosixFilePermissions(p, mode);
  }

  private static void truncate(Path p, long size) throws IOException {
    var mode = Files.getPosixFilePermissions(p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    Files.setPosixFilePermissions(p, mode);
  }

  @Test
  void checkoutRefusesABitFlippedObjectAndRemovesIt() throws IOException {
    Path obj = object(md5(model));
    flipBit(obj, 12_345);
    Files.delete(root.resolve("model.bin"));
    MlopsException e;
    try (Mlops m = open()) {
      e = assertThrows(MlopsException.class, () -> m.checkout(CheckoutOptions.defaults()));
    }
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("model.bin"), e.getMessage());
    assertFalse(Files.exists(root.resolve("model.bin")), "the corrupt bytes never reached the workspace");
    assertFalse(Files.exists(obj), "the corrupt object is gone, so a pull can restore it");
    try (var files = Files.list(root)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file is left");
    }
  }

  @Test
  void checkoutRefusesATruncatedFileOfADirectory() throws IOException {
    Path obj = object(md5("beta\n".getBytes(StandardCharsets.UTF_8)));
    truncate(obj, 2);
    io.mlops.internal.util.PathUtil.deleteRecursively(root.resolve("data"));
    try (Mlops m = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> m.checkout(CheckoutOptions.defaults()));
      assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }
    assertFalse(Files.exists(root.resolve("data/sub/b.txt")));
  }

  @Test
  void pushDoesNotUploadACorruptObjectAndPullRestoresIt() throws IOException {
    Path obj = object(md5(model));
    flipBit(obj, 7);
    try (Mlops m = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> m.push(TransferOptions.defaults()));
      assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
    }
    String key = md5(model).substring(0, 2) + "/" + md5(model).substring(2);
    assertFalse(Files.exists(root.resolve("remote/files/md5").resolve(key)), "the remote never got it");
    assertTrue(Files.exists(root.resolve("remote/files/md5")), "the other objects went up");

    // the workspace still holds the data: committing it again restores the object, and push completes
    Files.delete(root.resolve("model.bin"));
    Files.write(root.resolve("model.bin"), model);
    try (Mlops m = open()) {
      m.add(List.of("model.bin"));
      TransferSummary s = m.push(TransferOptions.defaults());
      assertEquals(1, s.transferred(), s.toString());
    }
    assertEquals(md5(model), md5(Files.readAllBytes(root.resolve("remote/files/md5").resolve(key))));
  }

  @Test
  void pullRefusesACorruptObjectOnTheRemote() throws IOException {
    try (Mlops m = open()) {
      m.push(TransferOptions.defaults());
    }
    String h = md5(model);
    Path remoteObj = root.resolve("remote/files/md5").resolve(h.substring(0, 2)).resolve(h.substring(2));
    truncate(remoteObj, 1000);
    io.mlops.internal.util.PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    Files.delete(root.resolve("model.bin"));
    try (Mlops m = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> m.pull(TransferOptions.defaults()));
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }
    assertFalse(Files.exists(root.resolve("model.bin")));
    assertFalse(Files.exists(object(h)), "nothing unverified entered the cache");
    assertEquals("alpha\n", Files.readString(root.resolve("data/a.txt")), "the intact objects were pulled");
  }

  @Test
  void runCacheRestoreRunsTheStageInsteadOfRestoringACorruptOutput() throws IOException {
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n  copy:\n    cmd: cp model.bin out.bin\n"
        + "    deps: [model.bin]\n    outs: [out.bin]\n");
    try (Mlops m = open()) {
      m.repro(ReproOptions.defaults());
    }
    // the stage's output object, corrupted; the lock is removed so the run-cache is the only way back
    flipBit(object(md5(model)), 99);
    Files.delete(root.resolve("out.bin"));
    Files.delete(root.resolve("dvc.lock"));
    try (Mlops m = open()) {
      ReproResult r = m.repro(ReproOptions.defaults());
      ReproResult.StageResult s = r.stages().stream().filter(x -> x.stage().equals("copy")).findFirst().orElseThrow();
      // the corrupt object is not restored: the stage runs again and writes the right bytes
      assertEquals(ReproResult.Outcome.RAN, s.outcome(), r.toString());
      assertEquals(md5(model), md5(Files.readAllBytes(root.resolve("out.bin"))));
      assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("is corrupt")
          && l.contains("running stage 'copy' instead")), log.lines().toString());
    }
  }

  @Test
  void verifyCacheFindsAndRemovesEveryCorruptObject() throws IOException {
    flipBit(object(md5(model)), 1);
    truncate(object(md5("alpha\n".getBytes(StandardCharsets.UTF_8))), 0);
    // what killed writes leave: an hour-old temporary object file is removed, a fresh one (a live write) is not
    Path prefix = object(md5(model)).getParent();
    Path stale = Files.writeString(prefix.resolve(".AAAAAAAAAAAAAAAAAAAAAA.tmp"), "partial");
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Path fresh = Files.writeString(prefix.resolve(".BBBBBBBBBBBBBBBBBBBBBB.tmp"), "partial");
    CacheVerifyResult r;
    try (Mlops m = open()) {
      r = m.verifyCache();
    }
    // model.bin, a.txt, b.txt and the directory's manifest
    assertEquals(4, r.checked(), r.toString());
    assertEquals(2, r.corrupt().size(), r.toString());
    assertFalse(r.intact());
    assertEquals(1, r.staleTemporaries(), r.toString());
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
    assertFalse(Files.exists(object(md5(model))));
    try (Mlops m = open()) {
      CacheVerifyResult again = m.verifyCache();
      assertTrue(again.intact(), again.toString());
      assertEquals(2, again.checked());
      // commit from the workspace restores both
      m.commit(List.of());
      m.add(List.of("data", "model.bin"));
      assertEquals(4, m.verifyCache().checked());
    }
  }
}
