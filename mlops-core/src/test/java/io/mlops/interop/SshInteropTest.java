package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.SshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine and real DVC 3.67.1 (dvc-ssh, sshfs, asyncssh) share one ssh:// remote on a real sshd on 127.0.0.1:
 * what one pushes the other pulls byte for byte, both write the same files with the same modes, and DVC finds the
 * result clean and in sync.
 */
class SshInteropTest {
  static SshServer sshd;

  @TempDir Path tmp;

  @BeforeAll
  static void startSshd() {
    sshd = SshServer.start();
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  /** A repository made by DVC with a tracked directory and a tracked file, and an ssh remote on sshd. */
  private Path dvcRepo(String name, Path remoteDir) {
    Path base = Workspaces.initRepo(tmp.resolve(name));
    byte[] model = new byte[3 * 1024 * 1024 + 17];
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
    addRemote(base, "store", remoteDir, true);
    return base;
  }

  /** As a DVC user would: the URL without port, then the port and (in config.local) the key. */
  private void addRemote(Path repo, String name, Path remoteDir, boolean isDefault) {
    String url = "ssh://127.0.0.1" + remoteDir;
    if (isDefault) {
      DvcOracle.dvc(repo, "remote", "add", "-d", name, url);
    } else {
      DvcOracle.dvc(repo, "remote", "add", name, url);
    }
    DvcOracle.dvc(repo, "remote", "modify", name, "port", Integer.toString(sshd.port()));
    DvcOracle.dvc(repo, "remote", "modify", name, "user", sshd.user());
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "keyfile", sshd.ed25519Key().toString());
  }

  /** A copy without cache, outputs or DVC's temporary state (its remote index). */
  private Path freshCopy(Path from, String name) {
    Path to = tmp.resolve(name);
    Workspaces.copy(from, to);
    PathUtil.deleteRecursively(to.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(to.resolve(".dvc/tmp"));
    PathUtil.deleteRecursively(to.resolve("data"));
    PathUtil.deleteRecursively(to.resolve("model.bin"));
    return to;
  }

  private Map<String, String> engineEnv() {
    return Map.of("HOME", tmp.resolve("home").toString(), "SHELL", "/bin/sh");
  }

  private Sync.Request request() {
    return new Sync.Request(List.of(), null, 4, false);
  }

  /** Every file and directory under a remote directory (relative path → permissions), sorted. */
  private static Map<String, String> modes(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> !p.equals(dir)).forEach(p -> {
        try {
          out.put(PathUtil.posix(dir.relativize(p)), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void enginePullsWhatDvcPushed() throws IOException {
    Path remoteDir = Files.createTempDirectory(sshd.dataDir(), "from-dvc");
    Path base = dvcRepo("base", remoteDir);
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("5 files pushed"), pushed);
    assertEquals(Workspaces.cacheFiles(base), Workspaces.snapshot(remoteDir.resolve("files")),
        "DVC's layout: <path>/files/md5/xx/rest");

    Path fresh = freshCopy(base, "fresh");
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(fresh, log, engineEnv(), 2)) {
      assertEquals(5, new Sync(repo).pull(request(), false).transferred());
    }
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh), "the same cache objects, byte for byte");
    Workspaces.assertDvcFindsItClean(fresh, "store");
    try (Repo repo = Repo.open(fresh, log, engineEnv(), 2)) {
      assertEquals(0, new Sync(repo).push(request()).transferred(), "the engine finds DVC's objects");
    }
  }

  @Test
  void dvcPullsWhatTheEnginePushed() throws IOException {
    Path byEngine = Files.createTempDirectory(sshd.dataDir(), "from-mlops");
    Path byDvc = Files.createTempDirectory(sshd.dataDir(), "from-dvc");
    Path base = dvcRepo("base", byEngine);
    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(base, log, engineEnv(), 2)) {
      assertEquals(5, new Sync(repo).push(request()).transferred());
    }
    // DVC pushing the same workspace elsewhere writes the same files, bytes and modes
    addRemote(base, "dvcside", byDvc, false);
    DvcOracle.dvc(base, "push", "-r", "dvcside");
    assertEquals(Workspaces.snapshot(byDvc), Workspaces.snapshot(byEngine));
    assertEquals(modes(byDvc), modes(byEngine));

    Path fresh = freshCopy(base, "fresh");
    String pulled = DvcOracle.dvc(fresh, "pull");
    assertTrue(pulled.contains("5 files fetched"), pulled);
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh));
    Workspaces.assertDvcFindsItClean(fresh, "store");
    String again = DvcOracle.dvc(base, "push");
    assertTrue(again.contains("Everything is up to date."), again);
    assertEquals("x,y\n1,2\n3,4\n", Workspaces.snapshot(fresh, ".git", ".dvc").get("data/train.csv"));
  }
}
