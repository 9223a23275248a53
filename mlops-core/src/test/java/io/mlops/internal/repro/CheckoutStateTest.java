package io.mlops.internal.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mlops.api.Mlops;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.testing.CapturingLog;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkout remembers the hash of every file it places, as DVC's checkout saves its state, so the status (or push,
 * or pull) right after it does not re-read the data; a file changed afterwards is not trusted.
 */
class CheckoutStateTest {
  @TempDir Path tmp;

  @Test
  void checkedOutFilesAreInTheHashStateAndEditsAreNotTrusted() throws Exception {
    Path root = tmp.resolve("repo");
    CapturingLog log = new CapturingLog(false);
    Mlops.init(root, true, log);
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/a.txt"), "alpha\n");
    Files.writeString(root.resolve("model.bin"), "weights\n");
    try (Repo repo = Repo.open(root, log, Map.of("HOME", tmp.toString()), 1)) {
      new Workspace(repo).add(List.of("data", "model.bin"));
    }
    PathUtil.deleteRecursively(root.resolve("data"));
    Files.delete(root.resolve("model.bin"));
    // a fresh state: what the checkout records is all it knows
    PathUtil.deleteRecursively(root.resolve(".dvc/tmp"));

    try (Repo repo = Repo.open(root, log, Map.of("HOME", tmp.toString()), 1)) {
      assertEquals(2, new Workspace(repo).checkout(List.of(), false));
    }
    try (Repo repo = Repo.open(root, log, Map.of("HOME", tmp.toString()), 1)) {
      for (String f : List.of("data/a.txt", "model.bin")) {
        Path p = root.resolve(f);
        assertEquals(FileHasher.hash(p, "md5"),
            repo.hasher().state().get(p, Files.readAttributes(p, BasicFileAttributes.class), "md5"), f);
      }
      Path model = root.resolve("model.bin");
      model.toFile().setWritable(true);
      Files.writeString(model, "WEIGHTS\n"); // same size, new mtime
      assertNull(repo.hasher().state().get(model, Files.readAttributes(model, BasicFileAttributes.class), "md5"));
    }
  }
}
