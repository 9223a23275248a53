package io.mlops.internal.pipeline;

import java.util.Map;

/**
 * One output of a stage as declared in dvc.yaml ({@code outs}, {@code metrics} or {@code plots}).
 *
 * @param path the path exactly as written in dvc.yaml, relative to the stage wdir (DVC's def_path)
 * @param kind which list it was declared in
 * @param cache {@code cache:} (default true)
 * @param persist {@code persist:} (default false)
 * @param push {@code push:} (default true)
 * @param remote {@code remote:} or null
 * @param desc {@code desc:} or null
 * @param plotOptions for plots: x, y, x_label, y_label, title, template, header (insertion order); else empty
 */
public record OutDef(
    String path,
    Kind kind,
    boolean cache,
    boolean persist,
    boolean push,
    String remote,
    String desc,
    Map<String, Object> plotOptions) {

  public enum Kind {
    OUT,
    METRIC,
    PLOT
  }

  public static OutDef simple(String path) {
    return new OutDef(path, Kind.OUT, true, false, true, null, null, Map.of());
  }
}
