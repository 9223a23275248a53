package io.mlops.api;

import java.util.List;

/**
 * What {@link Mlops#check} found.
 *
 * @param rules one line per rule, in the order given
 * @param baseline the baseline revision, or null when no rule is relative
 * @param table every rule with its value, limit and verdict, as a Markdown table
 */
public record CheckResult(List<Rule> rules, String baseline, String table) {
  public CheckResult {
    rules = List.copyOf(rules);
  }

  /**
   * @param text the rule as written
   * @param passed whether the workspace's metric holds it
   */
  public record Rule(String text, boolean passed) {}

  public long failed() {
    return rules.stream().filter(r -> !r.passed()).count();
  }

  public boolean passed() {
    return failed() == 0;
  }

  /** One paragraph: how many rules held or failed, then the table. */
  public String summary() {
    String base = baseline == null ? "" : " (baseline " + baseline + ")";
    return (passed()
            ? "All " + rules.size() + " metric threshold(s) hold" + base + ":"
            : failed() + " of " + rules.size() + " metric threshold(s) failed" + base + ":")
        + "\n" + table;
  }
}
