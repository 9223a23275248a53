package io.mlops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a repro, also written as {@code target/mlops/repro.json}.
 *
 * @param stages one record per planned stage, in plan order
 * @param lockUpdated whether any lock or .dvc file was written
 */
public record ReproResult(List<StageResult> stages, boolean lockUpdated) {

  /** What happened to a stage. */
  public enum Outcome {
    /** the command ran */
    RAN,
    /** unchanged, nothing done */
    SKIPPED,
    /** outputs restored from the run-cache or the lock entry */
    RESTORED,
    /** a .dvc data source or frozen stage whose outputs were verified */
    VERIFIED,
    /** the command failed */
    FAILED,
    /** not run because an upstream stage failed */
    NOT_RUN,
    /** --dry: would run */
    WOULD_RUN
  }

  /**
   * @param stage address as DVC prints it
   * @param outcome what happened
   * @param outs output path → hash after the stage ({@code md5}, possibly {@code .dir})
   * @param millis wall time spent on the stage
   * @param error the failure message, or null
   */
  public record StageResult(String stage, Outcome outcome, Map<String, String> outs, long millis, String error) {}

  public long count(Outcome o) {
    return stages.stream().filter(s -> s.outcome() == o).count();
  }

  public boolean failed() {
    return stages.stream().anyMatch(s -> s.outcome() == Outcome.FAILED);
  }

  /**
   * The record as {@code repro.json} holds it (schema version 1, read by the test harness's {@code ReproReport}):
   * {@code {"version": 1, "lockUpdated": bool, "stages": [{"stage", "outcome" (lower case), "millis", "outs"
   * {path: hash}, "error"?}]}}.
   */
  public String toJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", 1);
    doc.put("lockUpdated", lockUpdated);
    List<Map<String, Object>> list = new ArrayList<>();
    for (StageResult r : stages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", r.stage());
      m.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
      m.put("millis", r.millis());
      m.put("outs", r.outs());
      if (r.error() != null) {
        m.put("error", r.error());
      }
      list.add(m);
    }
    doc.put("stages", list);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the repro record as JSON", e);
    }
  }
}
