package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.RepoLock;
import io.mlops.testing.CapturingLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DVC's repository lock, taken the way DVC takes it ({@code flock} on {@code .dvc/tmp/lock}): real DVC is refused
 * while mlops works, mlops is refused (naming the holder) while DVC's lock is held, and it is free again when the
 * holder ends.
 */
class RepositoryLockTest {
  @TempDir Path root;
  final CapturingLog log = new CapturingLog(false);

  @BeforeEach
  void repo() throws IOException {
    DvcOracle.runOk(root, "git", "init", "-q");
    DvcOracle.dvc(root, "init", "-q");
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n  hello:\n    cmd: echo hi > hi.txt\n    outs: [hi.txt]\n");
  }

  private ReproResult repro() {
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      return m.repro(ReproOptions.defaults());
    }
  }

  @Test
  void dvcIsRefusedWhileTheEngineHoldsTheLock() {
    try (RepoLock held = RepoLock.acquire(root.resolve(".dvc"), "test")) {
      DvcOracle.Result r = DvcOracle.dvcAllowFailure(root, "repro");
      assertEquals(255, r.exitCode(), r.stdout());
      assertTrue(r.stdout().contains("Unable to acquire lock"), r.stdout());
      assertFalse(Files.exists(root.resolve("hi.txt")), "DVC ran nothing");
    }
    // released: DVC takes it
    DvcOracle.dvc(root, "repro");
    assertTrue(Files.exists(root.resolve("hi.txt")));
  }

  @Test
  void theEngineIsRefusedWhileDvcsLockIsHeldNamingTheHolder() throws Exception {
    // zc.lockfile, the library DVC locks with, holding the lock from another process
    Process holder = new ProcessBuilder(DvcOracle.venv().resolve("bin/python").toString(), "-c",
        "import sys, time\nfrom zc.lockfile import LockFile\nl = LockFile('.dvc/tmp/lock')\nprint('locked', flush=True)\n"
            + "sys.stdin.read()\n")
        .directory(root.toFile()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      long t0 = System.nanoTime();
      MlopsException e = assertThrows(MlopsException.class, this::repro);
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(MlopsException.Kind.ENVIRONMENT, e.kind());
      assertTrue(e.getMessage().contains("cannot reproduce: the repository is locked by process " + holder.pid()),
          e.getMessage());
      assertTrue(e.getMessage().contains(".dvc/tmp/lock"), e.getMessage());
      assertTrue(waited >= 2000, "waits for the holder like DVC (6 tries, 0.5 s apart): " + waited + " ms");
      assertFalse(Files.exists(root.resolve("hi.txt")), "nothing ran");
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    assertFalse(repro().failed(), "free again once the holder is gone");
    assertEquals("hi\n", Files.readString(root.resolve("hi.txt")));
  }

  @Test
  void twoEngineOperationsOnOneRepositoryDoNotOverlap() throws Exception {
    // a stage that takes a while holds the lock; a second open repository is refused meanwhile
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n  slow:\n    cmd: sleep 8 && echo done > done.txt\n"
        + "    outs: [done.txt]\n");
    Thread first = new Thread(this::repro);
    first.start();
    Thread.sleep(1000);
    try (Mlops other = Mlops.open(root, MlopsOptions.defaults(), log)) {
      MlopsException e = assertThrows(MlopsException.class, () -> other.status(List.of()));
      assertTrue(e.getMessage().contains("the repository is locked by process " + ProcessHandle.current().pid()),
          e.getMessage());
    }
    first.join(60_000);
    assertEquals("done\n", Files.readString(root.resolve("done.txt")));
  }
}
