package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.ReproReport;
import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage that cannot even start (a dependency, a params file or data missing) fails like a failing command: with
 * {@code keepGoing} the independent stages still run, and the record is written either way (DVC records the
 * failure per stage and goes on with {@code -k}).
 */
class ReproFailuresTest {
  @TempDir Path root;
  final CapturingLog log = new CapturingLog(false);

  @BeforeEach
  void repo() throws IOException {
    Mlops.init(root, true, log);
    Files.writeString(root.resolve("dvc.yaml"), """
        stages:
          needs_missing:
            cmd: cp missing.txt a.txt
            deps: [missing.txt]
            outs: [a.txt]
          downstream:
            cmd: cp a.txt b.txt
            deps: [a.txt]
            outs: [b.txt]
          needs_params:
            cmd: echo p > p.txt
            params:
            - nofile.yaml: [lr]
            outs: [p.txt]
          independent:
            cmd: echo ok > ok.txt
            outs: [ok.txt]
        """);
  }

  private ReproResult repro(ReproOptions o) {
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      return m.repro(o);
    }
  }

  private static Map<String, ReproResult.Outcome> outcomes(ReproResult r) {
    Map<String, ReproResult.Outcome> o = new HashMap<>();
    r.stages().forEach(s -> o.put(s.stage(), s.outcome()));
    return o;
  }

  @Test
  void keepGoingRunsTheIndependentStagesAndRecordsEachFailure() throws IOException {
    Path record = root.resolve("target/mlops/repro.json");
    ReproResult r = repro(ReproOptions.defaults().keepGoing(true).report(record));
    Map<String, ReproResult.Outcome> o = outcomes(r);
    assertEquals(ReproResult.Outcome.FAILED, o.get("needs_missing"), o.toString());
    assertEquals(ReproResult.Outcome.NOT_RUN, o.get("downstream"), o.toString());
    assertEquals(ReproResult.Outcome.FAILED, o.get("needs_params"), o.toString());
    assertEquals(ReproResult.Outcome.RAN, o.get("independent"), o.toString());
    assertEquals("ok\n", Files.readString(root.resolve("ok.txt")));
    assertTrue(r.stages().stream().filter(s -> s.stage().equals("needs_missing")).findFirst().orElseThrow()
        .error().contains("missing.txt"), r.toString());

    // read back as the harness reads it (the schema is ReproResult.toJson's)
    ReproReport written = ReproReport.read(root);
    assertEquals(Map.of("needs_missing", "failed", "downstream", "not_run", "needs_params", "failed",
        "independent", "ran"), written.outcomes());
    String paramsError = written.stage("needs_params").orElseThrow().error();
    assertTrue(paramsError.contains("nofile.yaml"), paramsError);
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("ERROR failed to reproduce 'needs_missing': ")),
        log.lines().toString());
  }

  @Test
  void withoutKeepGoingTheFirstErrorIsThrownAfterTheRecordIsWritten() {
    Path record = root.resolve("target/mlops/repro.json");
    MlopsException e = assertThrows(MlopsException.class,
        () -> repro(ReproOptions.defaults().targets(List.of("needs_missing")).report(record)));
    assertEquals(MlopsException.Kind.USER, e.kind());
    assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
    assertTrue(Files.isRegularFile(record), "repro.json is written for a failed run too");
  }
}
