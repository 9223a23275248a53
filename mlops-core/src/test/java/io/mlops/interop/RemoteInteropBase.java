package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip every remote kind's interop test makes with real DVC: a repository DVC made (a tracked directory and
 * a tracked model file), pushed by one side and pulled by the other into a fresh copy, which must hold the same
 * workspace and cache byte for byte and which DVC must find clean and in sync.
 */
abstract class RemoteInteropBase {
  @TempDir Path tmp;

  /**
   * A repository made by DVC with {@code data/} (three files, one empty) and {@code model.bin} of {@code modelSize}
   * random bytes tracked; no remote yet.
   */
  protected Path dvcRepo(String name, int modelSize) {
    Path base = Workspaces.initRepo(tmp.resolve(name));
    byte[] model = new byte[modelSize];
    new Random(7).nextBytes(model);
    Workspaces.write(base, Map.of(
        "data/train.csv", "x,y\n1,2\n3,4\n",
        "data/nested/notes.txt", "notes\n",
        "data/nested/empty.txt", ""));
    try {
      Files.write(base.resolve("model.bin"), model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DvcOracle.dvc(base, "add", "-q", "data");
    DvcOracle.dvc(base, "add", "-q", "model.bin");
    return base;
  }

  /** {@code dvc remote add [-d] name url}. */
  protected static void dvcRemoteAdd(Path repo, String name, String url, boolean isDefault) {
    if (isDefault) {
      DvcOracle.dvc(repo, "remote", "add", "-d", name, url);
    } else {
      DvcOracle.dvc(repo, "remote", "add", name, url);
    }
  }

  /** A copy without cache, outputs or DVC's temporary state (its remote index). */
  protected Path freshCopy(Path from, String name) {
    Path to = tmp.resolve(name);
    Workspaces.copy(from, to);
    PathUtil.deleteRecursively(to.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(to.resolve(".dvc/tmp"));
    PathUtil.deleteRecursively(to.resolve("data"));
    PathUtil.deleteRecursively(to.resolve("model.bin"));
    return to;
  }

  protected Map<String, String> engineEnv() {
    return Map.of("HOME", tmp.resolve("home").toString(), "SHELL", "/bin/sh");
  }

  protected static Sync.Request request(String remote) {
    return new Sync.Request(List.of(), remote, 4, false);
  }

  /** The cache's objects as remote keys: {@code files/md5/xx/rest}, sorted. */
  protected static List<String> cacheKeys(Path repo) {
    return Workspaces.cacheFiles(repo).keySet().stream().map(k -> "files/" + k).toList();
  }

  /** The engine pushes {@code repo}'s five objects to {@code remote} (null: the default). */
  protected void enginePushesAll(Path repo, String remote) {
    try (Repo r = Repo.open(repo, new Workspaces.RecordingLog(), engineEnv(), 2)) {
      assertEquals(5, new Sync(r).push(request(remote)).transferred());
    }
  }

  /** The engine pulls into {@code fresh} the five objects of the default remote. */
  protected void enginePullsAll(Path fresh) {
    try (Repo r = Repo.open(fresh, new Workspaces.RecordingLog(), engineEnv(), 2)) {
      assertEquals(5, new Sync(r).pull(request(null), false).transferred());
    }
  }

  /**
   * The engine pulls what DVC pushed from {@code base} to its default remote {@code store} into a fresh copy: the same
   * workspace and cache, clean for DVC, and a push from there finds every object on the remote.
   */
  protected void assertEnginePullsWhatDvcPushed(Path base) {
    Path fresh = freshCopy(base, "fresh");
    enginePullsAll(fresh);
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh), "the same cache objects, byte for byte");
    Workspaces.assertDvcFindsItClean(fresh, "store");
    try (Repo r = Repo.open(fresh, new Workspaces.RecordingLog(), engineEnv(), 2)) {
      assertEquals(0, new Sync(r).push(request(null)).transferred(), "the engine finds DVC's objects");
    }
  }

  /**
   * DVC pulls what the engine pushed from {@code base} to its default remote {@code store} into a fresh copy: the same
   * workspace and cache, clean and in sync for DVC, and DVC's own push from {@code base} finds nothing to send.
   */
  protected void assertDvcPullsWhatTheEnginePushed(Path base) {
    Path fresh = freshCopy(base, "fresh");
    String pulled = DvcOracle.dvc(fresh, "pull");
    assertTrue(pulled.contains("5 files fetched"), pulled);
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh));
    Workspaces.assertDvcFindsItClean(fresh, "store");
    String again = DvcOracle.dvc(base, "push");
    assertTrue(again.contains("Everything is up to date."), again);
    assertEquals("x,y\n1,2\n3,4\n", Workspaces.snapshot(fresh, ".git", ".dvc").get("data/train.csv"),
        "content as written");
  }
}
