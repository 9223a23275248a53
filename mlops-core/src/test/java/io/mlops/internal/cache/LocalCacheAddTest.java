package io.mlops.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.internal.Workers;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.StateStore;
import io.mlops.internal.hash.Tree;
import io.mlops.internal.hash.WorkspaceHasher;
import io.mlops.internal.ignore.DvcIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding a directory on the hashing pool: every object whole, read-only, under its md5, nothing else left. */
class LocalCacheAddTest {
  @TempDir Path root;

  @Test
  void addsADirectoryInParallelAsReadOnlyObjects() throws IOException {
    Path data = root.resolve("data");
    for (int i = 0; i < 700; i++) {
      Path f = data.resolve("d" + (i % 7)).resolve("f" + i + ".txt");
      Files.createDirectories(f.getParent());
      // sizes around the copy buffer's edge too
      int size = i == 0 ? 0 : i == 1 ? 256 * 1024 : i == 2 ? 256 * 1024 + 1 : i == 3 ? 3 * 1024 * 1024 : i;
      byte[] bytes = new byte[size];
      for (int j = 0; j < size; j++) {
        bytes[j] = (byte) (i * 31 + j);
      }
      Files.write(f, bytes);
    }
    try (Workers workers = new Workers(2, 1, 1);
        WorkspaceHasher hasher = new WorkspaceHasher(root, new DvcIgnore(root), StateStore.inMemory(), workers)) {
      Tree tree = hasher.buildTree(data, HashInfo.MD5);
      assertEquals(700, tree.entries().size());
      LocalCache cache = new LocalCache(root.resolve("cache"), List.of(LinkType.COPY), workers);
      cache.addDir(data, tree);

      for (Tree.Entry e : tree.entries()) {
        HashInfo h = new HashInfo(HashInfo.MD5, e.md5());
        Path obj = cache.path(h);
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(obj)), obj.toString());
        assertEquals(e.md5(), FileHasher.md5(obj), "object " + obj + " holds what its name says");
        assertTrue(cache.isValid(h));
      }
      assertTrue(cache.containsAll(tree.digest()));
      try (Stream<Path> all = Files.walk(cache.dir())) {
        assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
      }
      // adding again finds everything there and changes nothing
      cache.addDir(data, tree);
      assertTrue(cache.containsAll(tree.digest()));
    }
  }

  @Test
  void aMissingObjectMakesTheDirectoryIncomplete() throws IOException {
    Path data = root.resolve("data");
    Files.createDirectories(data);
    for (int i = 0; i < 300; i++) {
      Files.writeString(data.resolve("f" + i), "content " + i);
    }
    try (Workers workers = new Workers(2, 1, 1);
        WorkspaceHasher hasher = new WorkspaceHasher(root, new DvcIgnore(root), StateStore.inMemory(), workers)) {
      Tree tree = hasher.buildTree(data, HashInfo.MD5);
      LocalCache cache = new LocalCache(root.resolve("cache"), List.of(LinkType.COPY), workers);
      cache.addDir(data, tree);
      Path gone = cache.path(new HashInfo(HashInfo.MD5, tree.entries().get(150).md5()));
      Files.delete(gone);
      assertFalse(cache.containsAll(tree.digest()));
      assertFalse(cache.containsAll(tree.digest(), tree));
    }
  }
}
