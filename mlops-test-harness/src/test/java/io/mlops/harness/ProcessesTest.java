package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time limit holds even for a command that never closes its output (Experiment and DvcOracle rely on it). */
class ProcessesTest {
  @Test
  void aHangingCommandIsKilledAtTheLimit(@TempDir Path dir) {
    long t0 = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Processes.run(
        List.of("sh", "-c", "echo started; sleep 60"), dir, Map.of(), Duration.ofSeconds(1)));
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertTrue(seconds < 20, "killed at the limit, not after the command: " + seconds + " s");
    assertTrue(e.getMessage().contains("did not finish within PT1S"), e.getMessage());
    assertTrue(e.getMessage().contains("started"), "its output so far: " + e.getMessage());
  }

  @Test
  void outputAndExitCodeOfAFinishedCommand(@TempDir Path dir) {
    Processes.Result r = Processes.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), dir,
        Map.of("X", "1"), Duration.ofMinutes(1));
    assertEquals(3, r.exitCode());
    assertTrue(r.output().contains("out\n") && r.output().contains("err\n"), r.output());
  }
}
