package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.harness.ReproReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code repro.json} schema is one: what {@link ReproResult#toJson()} writes is what the test harness's
 * {@link ReproReport} reads, field for field and for every outcome (the harness cannot depend on the engine, whose
 * tests use the harness, so this test holds the two together).
 */
class ReproRecordSchemaTest {
  @Test
  void everyFieldAndOutcomeReadsBackThroughTheHarness(@TempDir Path project) throws IOException {
    List<ReproResult.StageResult> stages = new ArrayList<>();
    int i = 0;
    for (ReproResult.Outcome o : ReproResult.Outcome.values()) {
      stages.add(new ReproResult.StageResult("dir/dvc.yaml:stage" + i, o,
          Map.of("out" + i + ".txt", "acbd18db4cc2f85cedef654fccc4a4d8", "dir" + i, "5ea40360f5b4ec688df672a4db9c17d1.dir"),
          i * 10L, o == ReproResult.Outcome.FAILED ? "failed to run: exit 3, exited with 3" : null));
      i++;
    }
    ReproResult result = new ReproResult(stages, true);
    Path file = project.resolve(ReproReport.DEFAULT_PATH);
    Files.createDirectories(file.getParent());
    Files.writeString(file, result.toJson());

    ReproReport read = ReproReport.read(project);
    assertEquals(true, read.lockUpdated());
    assertEquals(stages.size(), read.stages().size());
    for (int k = 0; k < stages.size(); k++) {
      ReproResult.StageResult want = stages.get(k);
      ReproReport.Stage got = read.stages().get(k);
      assertEquals(want.stage(), got.name());
      assertEquals(want.outcome().name().toLowerCase(Locale.ROOT), got.outcome());
      assertEquals(want.outs(), got.outs());
      assertEquals(want.error(), got.error());
    }
  }
}
