package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.ReproReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart example in a real Maven build, as a fresh clone: the first {@code mvn verify} pulls the
 * raw data and runs every stage (reproducing the committed dvc.lock byte for byte), the second skips all,
 * a changed parameter reruns exactly the stages downstream of it, and reverting it restores them from the
 * run-cache.
 */
class QuickstartReproIT {
  @TempDir Path work;

  private static Map<String, String> outcomes(MavenProject p) {
    return ReproReport.read(p.dir()).outcomes();
  }

  @Test
  void reproduceSkipRerunAndRestore() throws IOException {
    MavenProject p = MavenProject.cloneExample("quickstart", work);
    String committedLock = p.read("dvc.lock");
    assertFalse(Files.exists(p.dir().resolve("data/raw")), "a fresh clone has no data");

    MavenProject.Run first = p.mvn("verify");
    first.assertSucceeded();
    assertTrue(first.log().contains("Running stage 'prepare':"), first.log());
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "ran", "train", "ran", "evaluate", "ran"),
        outcomes(p));
    assertEquals(committedLock, p.read("dvc.lock"), "the outputs reproduce the committed lock bit for bit");

    MavenProject.Run second = p.mvn("verify");
    second.assertSucceeded();
    assertTrue(second.log().contains("Stage 'train' didn't change, skipping"), second.log());
    assertTrue(second.log().contains("Data and pipelines are up to date."), second.log());
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "skipped", "evaluate", "skipped"),
        outcomes(p));

    String params = p.read("params.yaml");
    p.write("params.yaml", params.replace("epochs: 10", "epochs: 12"));
    MavenProject.Run changed = p.mvn("verify");
    changed.assertSucceeded();
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "ran", "evaluate", "ran"),
        outcomes(p));
    assertTrue(p.read("dvc.lock").contains("epochs: 12"));

    p.write("params.yaml", params);
    MavenProject.Run reverted = p.mvn("verify");
    reverted.assertSucceeded();
    assertTrue(reverted.log().contains("Stage 'train' is cached - skipping run, checking out outputs"),
        reverted.log());
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "restored", "evaluate", "restored"),
        outcomes(p));
    assertEquals(committedLock, p.read("dvc.lock"));
  }

  @Test
  void failingStageFailsTheBuildAndKeepsTheLock() throws IOException {
    MavenProject p = MavenProject.cloneExample("quickstart", work);
    p.mvn("verify").assertSucceeded();
    String lock = p.read("dvc.lock");
    p.write("src/train.sh", "#!/bin/sh\necho training exploded >&2\nexit 3\n");
    MavenProject.Run run = p.mvn("verify");
    assertFalse(run.succeeded());
    assertTrue(run.log().contains("failed to run: sh src/train.sh"), run.log());
    assertTrue(run.log().contains("exited with 3"), run.log());
    assertTrue(run.log().contains("training exploded"), "the command's output reaches the Maven log");
    assertEquals(lock, p.read("dvc.lock"), "nothing is committed for a failed stage");
  }

  @Test
  void malformedPipelineNamesFileAndLineWithoutStackTrace() throws IOException {
    MavenProject p = MavenProject.cloneExample("quickstart", work);
    p.write("dvc.yaml", p.read("dvc.yaml").replace("    deps:\n    - src/train.sh", "    dpes:\n    - src/train.sh"));
    MavenProject.Run run = p.mvn("mlops:status");
    assertFalse(run.succeeded());
    assertTrue(run.log().contains("dvc.yaml:"), run.log());
    assertTrue(run.log().contains("dpes"), run.log());
    assertFalse(run.log().contains("\tat io.mlops"), "no stack trace at the default log level:\n" + run.log());
  }

  @Test
  void everyGoalHonoursSkip() throws IOException {
    MavenProject p = MavenProject.cloneExample("quickstart", work);
    MavenProject.Run run = p.mvn("verify", "-Dmlops.skip=true");
    run.assertSucceeded();
    assertTrue(run.log().contains("Skipping mlops:pull because mlops.skip is true"), run.log());
    assertTrue(run.log().contains("Skipping mlops:repro because mlops.skip is true"), run.log());
    MavenProject.Run onlyRepro = p.mvn("verify", "-Dmlops.repro.skip=true");
    onlyRepro.assertSucceeded();
    assertTrue(onlyRepro.log().contains("Skipping mlops:repro because mlops.repro.skip is true"));
    assertTrue(Files.isDirectory(p.dir().resolve("data/raw")), "pull still ran");
  }
}
