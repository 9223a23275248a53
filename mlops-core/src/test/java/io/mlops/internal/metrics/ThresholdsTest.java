package io.mlops.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric threshold rules: parsing, absolute and baseline-relative checks, and the errors for unusable rules. */
class ThresholdsTest {
  private static Map<String, FileResult> metrics(String path, Map<String, Object> values) {
    Map<String, FileResult> m = new LinkedHashMap<>();
    m.put(path, FileResult.of(values));
    return m;
  }

  private static final Map<String, FileResult> CURRENT = metrics("evaluation/metrics.json",
      Map.of("accuracy", 0.9578, "f1", 0.9579, "loss", 0.21, "epochs", 10L, "converged", true, "model", "linear",
          "per_class", Map.of("digit_0", Map.of("f1", 0.99))));
  private static final Map<String, FileResult> BASELINE = metrics("evaluation/metrics.json",
      Map.of("accuracy", 0.9667, "f1", 0.9601, "loss", 0.2, "epochs", 10L));

  private static Thresholds.Outcome one(String rule, Map<String, FileResult> baseline) {
    return Thresholds.check(Thresholds.parse(List.of(rule)), CURRENT, baseline).get(0);
  }

  @Test
  void parsesEveryForm() {
    List<Thresholds.Rule> rules = Thresholds.parse(List.of("f1 >= 0.9", " evaluation/metrics.json:loss<=baseline+0.01 ",
        "accuracy > baseline - 1e-2", "per_class.digit_0.f1 == baseline", "epochs != -3"));
    assertEquals(new Thresholds.Rule("f1 >= 0.9", null, "f1", ">=", false, new BigDecimal("0.9")), rules.get(0));
    assertEquals(new Thresholds.Rule("evaluation/metrics.json:loss<=baseline+0.01", "evaluation/metrics.json", "loss",
        "<=", true, new BigDecimal("0.01")), rules.get(1));
    assertEquals(new BigDecimal("-1e-2"), rules.get(2).operand());
    assertTrue(rules.get(3).relative());
    assertEquals(BigDecimal.ZERO, rules.get(3).operand());
    assertEquals(new BigDecimal("-3"), rules.get(4).operand());
    assertFalse(Thresholds.needBaseline(rules.subList(0, 1)));
    assertTrue(Thresholds.needBaseline(rules));
  }

  @Test
  void unreadableRulesNameTheRuleAndTheSyntax() {
    for (String bad : List.of("f1", "f1 => 0.9", "f1 >= ", "f1 >= good", ">= 0.9", "f1 >= baseline * 2")) {
      MlopsException e = assertThrows(MlopsException.class, () -> Thresholds.parse(List.of(bad)), bad);
      assertTrue(e.getMessage().contains("`" + bad.strip() + "`") && e.getMessage().contains("[file:]key op limit"),
          e.getMessage());
    }
  }

  @Test
  void absoluteRulesCompareExactly() {
    assertTrue(one("f1 >= 0.9", null).passed());
    assertTrue(one("f1 >= 0.9579", null).passed(), "equal counts as >=");
    assertFalse(one("f1 > 0.9579", null).passed());
    assertFalse(one("accuracy >= 0.96", null).passed());
    assertTrue(one("loss < 0.25", null).passed());
    assertTrue(one("epochs == 10", null).passed(), "ints");
    assertTrue(one("converged == 1", null).passed(), "booleans count as numbers, as in Python");
    assertTrue(one("per_class.digit_0.f1 >= 0.98", null).passed(), "nested keys, dot-joined");
    Thresholds.Outcome o = one("model >= 1", null);
    assertFalse(o.passed());
    assertEquals("not a finite number", o.note());
  }

  @Test
  void relativeRulesUseTheBaselineValue() {
    Thresholds.Outcome within = one("f1 >= baseline - 0.01", BASELINE);
    assertTrue(within.passed(), within.toString());
    assertEquals(new BigDecimal("0.9501"), within.limit());
    assertEquals(0.9601, within.baseline());
    Thresholds.Outcome regressed = one("accuracy >= baseline - 0.005", BASELINE);
    assertFalse(regressed.passed());
    assertEquals(new BigDecimal("0.9617"), regressed.limit());
    assertTrue(one("loss <= baseline + 0.01", BASELINE).passed());
    assertFalse(one("loss <= baseline", BASELINE).passed());
    Thresholds.Outcome noBaseline = one("per_class.digit_0.f1 >= baseline", BASELINE);
    assertTrue(noBaseline.passed(), "a metric new in the workspace has nothing to regress from");
    assertEquals("no baseline value: waived", noBaseline.note());
  }

  @Test
  void unknownAndAmbiguousKeysAreErrorsWithTheFix() {
    MlopsException missing = assertThrows(MlopsException.class, () -> one("recall >= 0.9", null));
    assertTrue(missing.getMessage().contains("names recall, which no metrics file of the workspace has")
        && missing.getMessage().contains("evaluation/metrics.json:f1"), missing.getMessage());
    Map<String, FileResult> two = new LinkedHashMap<>(CURRENT);
    two.put("other/metrics.json", FileResult.of(Map.of("f1", 0.5)));
    MlopsException ambiguous = assertThrows(MlopsException.class,
        () -> Thresholds.check(Thresholds.parse(List.of("f1 >= 0.9")), two, null));
    assertTrue(ambiguous.getMessage().contains("several metrics files")
        && ambiguous.getMessage().contains("`evaluation/metrics.json:f1 >= 0.9`"), ambiguous.getMessage());
    assertFalse(Thresholds.check(Thresholds.parse(List.of("other/metrics.json:f1 >= 0.9")), two, null).get(0)
        .passed());
  }

  @Test
  void theTableShowsEveryRuleAndWhatFailed() {
    List<Thresholds.Outcome> outcomes = Thresholds.check(
        Thresholds.parse(List.of("f1 >= 0.9", "accuracy >= baseline - 0.005")), CURRENT, BASELINE);
    String md = Thresholds.table(outcomes).markdown();
    List<String> lines = md.lines().toList();
    assertEquals(4, lines.size(), md);
    assertTrue(lines.get(0).matches("\\| Path +\\| Metric +\\| Value +\\| Threshold +\\| Baseline +\\| Limit +\\| Result +\\|"),
        md);
    assertTrue(lines.get(2).contains("| f1 ") && lines.get(2).contains("| 0.9579 ") && lines.get(2).contains("| ok "),
        md);
    assertTrue(lines.get(3).contains("| accuracy ") && lines.get(3).contains("| 0.9667 ")
        && lines.get(3).contains("| 0.9617 ") && lines.get(3).contains("| FAILED "), md);
  }
}
