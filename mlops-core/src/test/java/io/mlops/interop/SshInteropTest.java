package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.LocalServers;
import io.mlops.testing.SshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine and real DVC 3.67.1 (dvc-ssh, sshfs, asyncssh) share one ssh:// remote on a real sshd on 127.0.0.1:
 * what one pushes the other pulls byte for byte, both write the same files with the same modes, and DVC finds the
 * result clean and in sync.
 */
class SshInteropTest extends RemoteInteropBase {
  static SshServer sshd;

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
    Path base = dvcRepo(name, 3 * 1024 * 1024 + 17);
    addRemote(base, "store", remoteDir, true);
    return base;
  }

  /** As a DVC user would: the URL without port, then the port and (in config.local) the key. */
  private void addRemote(Path repo, String name, Path remoteDir, boolean isDefault) {
    String url = "ssh://127.0.0.1" + remoteDir;
    dvcRemoteAdd(repo, name, url, isDefault);
    DvcOracle.dvc(repo, "remote", "modify", name, "port", Integer.toString(sshd.port()));
    DvcOracle.dvc(repo, "remote", "modify", name, "user", sshd.user());
    DvcOracle.dvc(repo, "remote", "modify", "--local", name, "keyfile", sshd.ed25519Key().toString());
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

    assertEnginePullsWhatDvcPushed(base);
  }

  @Test
  void dvcPullsWhatTheEnginePushed() throws IOException {
    Path byEngine = Files.createTempDirectory(sshd.dataDir(), "from-mlops");
    Path byDvc = Files.createTempDirectory(sshd.dataDir(), "from-dvc");
    Path base = dvcRepo("base", byEngine);
    enginePushesAll(base, null);
    // DVC pushing the same workspace elsewhere writes the same files, bytes and modes
    addRemote(base, "dvcside", byDvc, false);
    DvcOracle.dvc(base, "push", "-r", "dvcside");
    assertEquals(Workspaces.snapshot(byDvc), Workspaces.snapshot(byEngine));
    assertEquals(modes(byDvc), modes(byEngine));

    assertDvcPullsWhatTheEnginePushed(base);
  }

  @Test
  void dvcAndTheEngineBothLogInWithTheAgentsKey() throws IOException {
    // a key held only by a real ssh-agent: no keyfile, no key under either tool's HOME
    Path agentDir = Files.createTempDirectory("agent");
    try (SshServer.Agent agent = sshd.agentWithOnlyKey(agentDir)) {
      Path remoteDir = Files.createTempDirectory(sshd.dataDir(), "agent");
      Path base = dvcRepo("base", 1024);
      dvcRemoteAdd(base, "store", "ssh://127.0.0.1" + remoteDir, true);
      DvcOracle.dvc(base, "remote", "modify", "store", "port", Integer.toString(sshd.port()));
      DvcOracle.dvc(base, "remote", "modify", "store", "user", sshd.user());
      Map<String, String> env = Map.of("HOME", Files.createDirectories(tmp.resolve("dvc-home")).toString(),
          "SSH_AUTH_SOCK", agent.socket().toString());
      DvcOracle.Result pushed = DvcOracle.dvcAllowFailure(base, env, "push");
      assertEquals(0, pushed.exitCode(), "DVC (asyncssh) logs in with the agent's key: " + pushed.stdout());
      assertTrue(pushed.stdout().contains("5 files pushed"), pushed.stdout());

      Path fresh = freshCopy(base, "fresh");
      Map<String, String> engineEnv = new HashMap<>(engineEnv());
      engineEnv.put("SSH_AUTH_SOCK", agent.socket().toString());
      try (Repo r = Repo.open(fresh, new Workspaces.RecordingLog(), engineEnv, 2)) {
        assertEquals(5, new Sync(r).pull(request(null), false).transferred());
      }
      assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    } finally {
      LocalServers.deleteTree(agentDir);
    }
  }

  @Test
  void theEnginePushesWithAPasswordAndDvcPullsWithIt() throws IOException {
    SshServer.PasswordUser pw = sshd.passwordUser();
    Path base = dvcRepo("base", 1024);
    dvcRemoteAdd(base, "store", "ssh://127.0.0.1" + pw.dataDir(), true);
    DvcOracle.dvc(base, "remote", "modify", "store", "port", Integer.toString(sshd.port()));
    DvcOracle.dvc(base, "remote", "modify", "store", "user", pw.user());
    DvcOracle.dvc(base, "remote", "modify", "--local", "store", "password", pw.password());
    enginePushesAll(base, null);
    // DVC's HOME has no key: it logs in with the password, as the engine did
    Path fresh = freshCopy(base, "fresh");
    DvcOracle.Result pulled = DvcOracle.dvcAllowFailure(fresh,
        Map.of("HOME", Files.createDirectories(tmp.resolve("dvc-home")).toString(), "SSH_AUTH_SOCK", ""), "pull");
    assertEquals(0, pulled.exitCode(), pulled.stdout());
    assertTrue(pulled.stdout().contains("5 files fetched"), pulled.stdout());
    assertEquals(Workspaces.snapshot(base, ".git", ".dvc"), Workspaces.snapshot(fresh, ".git", ".dvc"));
    assertEquals(Workspaces.cacheFiles(base), Workspaces.cacheFiles(fresh));
  }
}
