package io.mlops.internal.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkout (and so pull) never destroys work that is in no cache: an output edited by hand is refused by name, as
 * DVC refuses it, unless forced; an output whose current content is cached is replaced without asking.
 */
class UnsavedOutputsTest {
  @TempDir Path tmp;

  private final CapturingLog log = new CapturingLog(false);

  /** git + DVC repository with a file output and a directory output, reproduced by DVC. */
  private Path repo() throws Exception {
    Path root = tmp.resolve("repo");
    Files.createDirectories(root);
    assertEquals(0, DvcOracle.run(List.of("git", "init", "-q"), root, 60).exitCode());
    DvcOracle.dvc(root, "init", "-q");
    Files.writeString(root.resolve("in.txt"), "v1\n");
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n"
        + "  one:\n    cmd: cp in.txt out.txt\n    deps: [in.txt]\n    outs: [out.txt]\n"
        + "  two:\n    cmd: mkdir -p dir && cp in.txt dir/a.txt && echo b > dir/b.txt\n    deps: [in.txt]\n"
        + "    outs: [dir]\n");
    DvcOracle.dvc(root, "repro", "-q");
    return root;
  }

  private int checkout(Path root, boolean force) {
    try (Repo repo = Repo.open(root, log, Map.of("HOME", tmp.toString()), 1)) {
      return new Workspace(repo).checkout(List.of(), false, force);
    }
  }

  @Test
  void handEditedOutputsAreRefusedByNameLikeDvcAndKeptUntilForced() throws Exception {
    Path root = repo();
    Files.writeString(root.resolve("out.txt"), "edited by hand\n");
    Files.writeString(root.resolve("dir/b.txt"), "also edited\n");

    Path dvcCopy = tmp.resolve("dvc-copy");
    Trees.copy(root, dvcCopy);
    DvcOracle.Result dvc = DvcOracle.dvcAllowFailure(dvcCopy, "checkout");
    assertNotEquals(0, dvc.exitCode(), dvc.stdout());
    assertTrue(dvc.stdout().contains("Can't remove the following unsaved files without confirmation"), dvc.stdout());

    MlopsException e = assertThrows(MlopsException.class, () -> checkout(root, false));
    assertTrue(e.getMessage().contains("can't remove the following unsaved files")
        && e.getMessage().contains("\n  out.txt") && e.getMessage().contains("\n  dir/b.txt")
        && !e.getMessage().contains("dir/a.txt"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dmlops.pull.force=true"), e.getMessage());
    assertEquals("edited by hand\n", Files.readString(root.resolve("out.txt")), "nothing lost");
    assertEquals("also edited\n", Files.readString(root.resolve("dir/b.txt")));

    assertEquals(2, checkout(root, true));
    assertEquals("v1\n", Files.readString(root.resolve("out.txt")));
    assertEquals("b\n", Files.readString(root.resolve("dir/b.txt")));
  }

  @Test
  void anOutputWhoseContentIsCachedIsReplacedWithoutAsking() throws Exception {
    Path root = repo();
    String lockV1 = Files.readString(root.resolve("dvc.lock"));
    Files.writeString(root.resolve("in.txt"), "v2\n");
    DvcOracle.dvc(root, "repro", "-q"); // the cache now holds both versions
    Files.writeString(root.resolve("dvc.lock"), lockV1); // e.g. `git checkout` of the older lock
    assertEquals(2, checkout(root, false));
    assertEquals("v1\n", Files.readString(root.resolve("out.txt")));
    assertEquals("v1\n", Files.readString(root.resolve("dir/a.txt")));
  }
}
