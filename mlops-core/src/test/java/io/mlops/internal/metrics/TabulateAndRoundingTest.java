package io.mlops.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.json.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's round()/str() and tabulate's layouts, compared with the oracle venv's Python, tabulate and wcwidth. */
class TabulateAndRoundingTest {
  @TempDir Path tmp;

  @Test
  void roundAndStrLikePython() {
    double[] values = {2.675, 0.5, 1.5, 2.5, -0.000001, 0.125, 0.375, 1e300, 1.23456789e-7, 123456789.123456789,
        0.1 + 0.2, 1.0 / 3, -2.0 / 3, 9.999995, 99999.999995, 1e16, 1.5e-5, 12345678901234.567, 5e-324};
    int[] precisions = {0, 1, 2, 5, 9, -1, -3};
    StringBuilder py = new StringBuilder("vals=[");
    List<String> ours = new ArrayList<>();
    for (double v : values) {
      py.append("float.fromhex('").append(Double.toHexString(v)).append("'),");
      for (int p : precisions) {
        ours.add(PyValues.str(PyValues.round(v, p)));
      }
    }
    py.append("]\nps=").append(java.util.Arrays.toString(precisions)).append("\n");
    py.append("for v in vals:\n  for p in ps:\n    print(str(round(v, p)))\n");
    assertEquals(DvcOracle.python(tmp, py.toString()), String.join("\n", ours) + "\n");
  }

  @Test
  void plainAndGithubLikeTabulate() {
    List<String> headers = List.of("Path", "Metric", "HEAD", "wörkspace");
    List<List<String>> rows = List.of(
        List.of("a.json", "日本語", "  padded  ", "😀 emoji"),
        List.of("b.json", "e\u0301", "-", "x"),
        List.of("c.yaml", "two\nlines", "ｆｕｌｌ", ""),
        List.of("d", "tab\tin", "café", "ok"));
    String py = "import json, tabulate\n"
        + "h=json.loads(r'" + PyJson.dumps(headers) + "')\nr=json.loads(r'" + PyJson.dumps(rows) + "')\n"
        + "print(tabulate.tabulate(r, h, tablefmt='plain', disable_numparse=True, missingval='-'))\n"
        + "print('=====')\n"
        + "print(tabulate.tabulate(r, h, tablefmt='github', disable_numparse=True, missingval='-'))\n"
        + "print('=====')\n"
        + "print(tabulate.tabulate([], h, tablefmt='github', disable_numparse=True, missingval='-'))\n";
    String expected = DvcOracle.python(tmp, py);
    String ours = Tabulate.plain(headers, rows) + "\n=====\n" + Tabulate.github(headers, rows) + "\n=====\n"
        + Tabulate.github(headers, List.of()) + "\n";
    assertEquals(expected, ours);
  }
}
