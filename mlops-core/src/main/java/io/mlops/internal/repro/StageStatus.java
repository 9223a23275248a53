package io.mlops.internal.repro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Why a stage is out of date, in the shape of {@code dvc status} output. */
public final class StageStatus {
  /** One changed path or key: state is {@code modified}, {@code deleted}, {@code new} or {@code not in cache}. */
  public record Change(String state, String name) {}

  final Stage stage;
  boolean commandChanged;
  boolean alwaysChanged;
  boolean noLockEntry;
  final List<Change> deps = new ArrayList<>();
  final Map<String, List<Change>> params = new LinkedHashMap<>();
  final List<Change> outs = new ArrayList<>();

  StageStatus(Stage stage) {
    this.stage = stage;
  }

  public Stage stage() {
    return stage;
  }

  public boolean changed() {
    return commandChanged || alwaysChanged || !deps.isEmpty() || !params.isEmpty() || !outs.isEmpty();
  }

  /** True when the only differences are outputs missing from the workspace or the cache. */
  public boolean onlyOutsMissing() {
    if (commandChanged || alwaysChanged || !deps.isEmpty() || !params.isEmpty() || outs.isEmpty()) {
      return false;
    }
    return outs.stream().allMatch(c -> "deleted".equals(c.state()) || "not in cache".equals(c.state()));
  }

  public boolean commandChanged() {
    return commandChanged;
  }

  public boolean alwaysChanged() {
    return alwaysChanged;
  }

  public List<Change> deps() {
    return deps;
  }

  public Map<String, List<Change>> params() {
    return params;
  }

  public List<Change> outs() {
    return outs;
  }

  /** The block {@code dvc status} prints for this stage (tabs and 20-column padding as DVC). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(stage.address()).append(":\n");
    if (!deps.isEmpty() || !params.isEmpty()) {
      sb.append("\tchanged deps:\n");
      for (Change c : deps) {
        line(sb, "\t\t", c);
      }
      for (Map.Entry<String, List<Change>> e : params.entrySet()) {
        List<Change> list = e.getValue();
        if (list.size() == 1 && list.get(0).name() == null) {
          sb.append("\t\t").append(pad(list.get(0).state() + ":")).append(e.getKey()).append('\n');
          continue;
        }
        sb.append("\t\t").append(e.getKey()).append(":\n");
        for (Change c : list) {
          line(sb, "\t\t\t", c);
        }
      }
    }
    if (!outs.isEmpty()) {
      sb.append("\tchanged outs:\n");
      for (Change c : outs) {
        line(sb, "\t\t", c);
      }
    }
    if (commandChanged) {
      sb.append("\tchanged command\n");
    }
    if (alwaysChanged) {
      sb.append("\talways changed\n");
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String indent, Change c) {
    sb.append(indent).append(pad(c.state() + ":")).append(c.name()).append('\n');
  }

  private static String pad(String s) {
    StringBuilder p = new StringBuilder(s);
    while (p.length() < 20) {
      p.append(' ');
    }
    return p.toString();
  }
}
