package io.mlops.internal.pipeline;

import java.util.List;

/**
 * A fully resolved (interpolated, foreach/matrix expanded) stage of a dvc.yaml file.
 *
 * @param name the stage name; generated stages are {@code name@key}
 * @param dvcfile the dvc.yaml path relative to the repository root, with '/' separators (e.g. {@code dvc.yaml}
 *     or {@code sub/dvc.yaml})
 * @param wdir the {@code wdir} as written, relative to the dvc.yaml directory; "." if absent
 * @param cmd the command exactly as declared: a {@link String} or a {@code List<String>}
 * @param deps dependency paths as written, relative to wdir, in declaration order
 * @param params params dependencies, merged per file in declaration order
 * @param outs outputs, metrics and plots in declaration order (outs, then metrics, then plots)
 * @param frozen {@code frozen:}
 * @param alwaysChanged {@code always_changed:}
 * @param desc {@code desc:} or null
 * @param line 1-based line of the stage definition in dvc.yaml (0 when unknown)
 */
public record StageDef(
    String name,
    String dvcfile,
    String wdir,
    Object cmd,
    List<String> deps,
    List<ParamsDep> params,
    List<OutDef> outs,
    boolean frozen,
    boolean alwaysChanged,
    String desc,
    int line) {

  /** The commands to run, one per element (a multi-line string is split into lines, like DVC). */
  public List<String> commands() {
    if (cmd instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    String s = String.valueOf(cmd);
    return s.lines().filter(l -> !l.isEmpty()).toList();
  }

  /**
   * The address DVC prints: the bare name for stages of the root dvc.yaml, else {@code path/dvc.yaml:name}.
   */
  public String address() {
    return "dvc.yaml".equals(dvcfile) ? name : dvcfile + ":" + name;
  }
}
