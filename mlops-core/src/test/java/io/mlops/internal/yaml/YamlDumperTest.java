package io.mlops.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class YamlDumperTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Builds a LinkedHashMap from alternating keys and values. */
  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Examples from the format spec
  // ---------------------------------------------------------------------------------------------

  /** Spec §2: the exact dvc.lock text DVC's test suite pins. */
  @Test
  void lockFileExample() {
    Object lock =
        map(
            "schema", "2.0",
            "stages",
                map(
                    "train",
                    map(
                        "cmd", "python train.py",
                        "deps",
                            List.of(
                                map(
                                    "path", "data",
                                    "hash", "md5",
                                    "md5", "8761c4e9acad696bee718615e23e22db.dir",
                                    "size", 11,
                                    "nfiles", 3)),
                        "params",
                            map("params.yaml", map("lr", 0.001, "train.epochs", 10)),
                        "outs",
                            List.of(
                                map(
                                    "path", "model.pkl",
                                    "hash", "md5",
                                    "md5", "12345678901234567890123456789012",
                                    "size", 5)))));
    assertEquals(
        """
        schema: '2.0'
        stages:
          train:
            cmd: python train.py
            deps:
            - path: data
              hash: md5
              md5: 8761c4e9acad696bee718615e23e22db.dir
              size: 11
              nfiles: 3
            params:
              params.yaml:
                lr: 0.001
                train.epochs: 10
            outs:
            - path: model.pkl
              hash: md5
              md5: '12345678901234567890123456789012'
              size: 5
        """,
        YamlDumper.dump(lock));
  }

  /** Spec §3: .dvc files written by {@code dvc add}. */
  @Test
  void dvcFileExamples() {
    assertEquals(
        "outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n",
        YamlDumper.dump(
            map(
                "outs",
                List.of(
                    map(
                        "md5", "acbd18db4cc2f85cedef654fccc4a4d8",
                        "size", 3,
                        "hash", "md5",
                        "path", "foo")))));
    assertEquals(
        "outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n"
            + "  hash: md5\n  path: data\n",
        YamlDumper.dump(
            map(
                "outs",
                List.of(
                    map(
                        "md5", "5ea40360f5b4ec688df672a4db9c17d1.dir",
                        "size", 6,
                        "nfiles", 2,
                        "hash", "md5",
                        "path", "data")))));
  }

  /** Spec §3: the import-stage layout with a stage md5 and {@code frozen}. */
  @Test
  void importExample() {
    Object stage =
        map(
            "md5", "8fc199641730e3f512deac0bd9a0e0b6",
            "frozen", true,
            "deps",
                List.of(
                    map(
                        "md5", "b6dcab6ccd17ca0a8bf4a215a37d14cc.dir",
                        "size", 11,
                        "nfiles", 2,
                        "hash", "md5",
                        "path", "remote://workspace/dir")),
            "outs",
                List.of(
                    map(
                        "md5", "b6dcab6ccd17ca0a8bf4a215a37d14cc.dir",
                        "size", 11,
                        "nfiles", 2,
                        "hash", "md5",
                        "path", "dir")));
    assertEquals(
        """
        md5: 8fc199641730e3f512deac0bd9a0e0b6
        frozen: true
        deps:
        - md5: b6dcab6ccd17ca0a8bf4a215a37d14cc.dir
          size: 11
          nfiles: 2
          hash: md5
          path: remote://workspace/dir
        outs:
        - md5: b6dcab6ccd17ca0a8bf4a215a37d14cc.dir
          size: 11
          nfiles: 2
          hash: md5
          path: dir
        """,
        YamlDumper.dump(stage));
  }

  /**
   * Spec §3 / DVC issue #9397: long commands are folded at 80 columns. The spec shows the output of
   * ruamel.yaml 0.17.21, which only breaks at spaces past column 80. ruamel.yaml 0.19.1 (the version
   * DVC 3.67.1 runs with) also moves a word that would cross column 80 onto its own line, after the
   * separating space has already been written, so folded lines end with a space.
   */
  @Test
  void longCommandIsFolded() {
    String cmd =
        "python /very/long/path/to/a/script/that/goes/on/and/on/forever/and/ever/train.py"
            + " --flag value --other value2";
    assertEquals(
        "stages:\n"
            + "  x:\n"
            + "    cmd: python \n"
            + "      /very/long/path/to/a/script/that/goes/on/and/on/forever/and/ever/train.py \n"
            + "      --flag value --other value2\n",
        YamlDumper.dump(map("stages", map("x", map("cmd", cmd)))));
  }

  @Test
  void foldingAtExactlyEightyColumns() {
    // "    cmd: " is 9 columns; words are placed while they end at or before column 80, and a single
    // space at column >= 80 becomes the fold.
    String fits = "a".repeat(71);
    assertEquals("cmd: " + fits + "\n", YamlDumper.dump(map("cmd", fits)));
    String words = "x".repeat(70) + " " + "y".repeat(4) + " z";
    assertEquals(
        "a:\n  b:\n    cmd: " + "x".repeat(70) + " \n      " + "y".repeat(4) + " z\n",
        YamlDumper.dump(map("a", map("b", map("cmd", words)))));
    // a word ending exactly at column 80 stays; the space after it is replaced by the fold
    String exact = "x".repeat(66) + " " + "y".repeat(4) + " z";
    assertEquals(
        "a:\n  b:\n    cmd: " + "x".repeat(66) + " yyyy\n      z\n",
        YamlDumper.dump(map("a", map("b", map("cmd", exact)))));
  }

  // ---------------------------------------------------------------------------------------------
  // Behaviours worth pinning explicitly (all checked against ruamel.yaml 0.19.1)
  // ---------------------------------------------------------------------------------------------

  /** A command containing newlines is double-quoted with escapes, and still folded at 80 columns. */
  @Test
  void multiLineCommandIsDoubleQuoted() {
    String cmd =
        "for f in data/*.csv; do\n  python process.py \"$f\" --output processed/ --verbose"
            + " --format parquet --compression snappy\ndone\n";
    assertEquals(
        "stages:\n"
            + "  x:\n"
            + "    cmd: \"for f in data/*.csv; do\\n  python process.py \\\"$f\\\" --output processed/\n"
            + "      --verbose --format parquet --compression snappy\\ndone\\n\"\n",
        YamlDumper.dump(map("stages", map("x", map("cmd", cmd)))));
  }

  /** Quotes inside a command do not force quoting of the whole scalar. */
  @Test
  void commandWithQuotesStaysPlain() {
    String cmd =
        "python train.py --config 'conf/a.yaml' --out \"models/model.pkl\" --epochs 100"
            + " --learning-rate 0.001 && echo done";
    assertEquals(
        "stages:\n"
            + "  x:\n"
            + "    cmd: python train.py --config 'conf/a.yaml' --out \"models/model.pkl\" \n"
            + "      --epochs 100 --learning-rate 0.001 && echo done\n",
        YamlDumper.dump(map("stages", map("x", map("cmd", cmd)))));
  }

  @Test
  void quotingDecisions() {
    List<String> values =
        List.of("y", "on", "yes", "true", "2.0", "1e10", "0123", "null", "", "a: b", "a#b", "- a",
            "-a", "it's", "\t", "na\u00efve", "a\u00a0", "+", "-", "1_000", "2001-12-14");
    assertEquals(
        """
        - y
        - on
        - yes
        - 'true'
        - '2.0'
        - '1e10'
        - '0123'
        - 'null'
        - ''
        - 'a: b'
        - a#b
        - '- a'
        - -a
        - it's
        - "\\t"
        - na\u00efve
        - a\u00a0
        - +
        - '-'
        - '1_000'
        - '2001-12-14'
        """,
        YamlDumper.dump(values));
  }

  @Test
  void scalarsOfOtherTypes() {
    Map<Object, Object> m =
        map(
            "f", List.of(1e-5, 0.001, 1e16, 100.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -0.0, 0.5f),
            "i", List.of(0, -5L, new BigInteger("1000000000000000000000")),
            "b", List.of(true, false),
            "n", map("a", null),
            "e", map("l", List.of(), "m", Map.of()));
    assertEquals(
        """
        f:
        - 1e-05
        - 0.001
        - 1e+16
        - 100.0
        - .nan
        - .inf
        - -.inf
        - -0.0
        - 0.5
        i:
        - 0
        - -5
        - 1000000000000000000000
        b:
        - true
        - false
        n:
          a:
        e:
          l: []
          m: {}
        """,
        YamlDumper.dump(m));
  }

  @Test
  void nullListItemKeepsTrailingSpace() {
    assertEquals("a:\n- \n- 1\n", YamlDumper.dump(map("a", java.util.Arrays.asList(null, 1))));
  }

  @Test
  void rootValues() {
    assertEquals("foo\n...\n", YamlDumper.dump("foo"));
    assertEquals("null\n...\n", YamlDumper.dump(null));
    assertEquals("''\n", YamlDumper.dump(""));
    assertEquals("{}\n", YamlDumper.dump(Map.of()));
    assertEquals("[]\n", YamlDumper.dump(List.of()));
    assertEquals("- - 1\n  - 2\n- []\n", YamlDumper.dump(List.of(List.of(1, 2), List.of())));
  }

  @Test
  void nonStringKeys() {
    assertEquals("2: a\ntrue: b\n1.5: c\nnull: d\n",
        YamlDumper.dump(map(2, "a", true, "b", 1.5, "c", null, "d")));
  }

  @Test
  void rejectsUnsupportedValues() {
    assertThrows(IllegalArgumentException.class, () -> YamlDumper.dump(map("a", new Object())));
    assertThrows(IllegalArgumentException.class, () -> YamlDumper.dump(map(List.of(1), "a")));
  }

  // ---------------------------------------------------------------------------------------------
  // Differential vectors
  // ---------------------------------------------------------------------------------------------

  /**
   * Vectors generated by src/test/python/gen_yaml_vectors.py with DVC 3.67.1's dumper (ruamel.yaml
   * 0.19.1). Set the system property {@code yaml.vectors} to the path of a larger generated file for
   * a one-off differential run.
   */
  @TestFactory
  Stream<DynamicTest> ruamelVectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    String override = System.getProperty("yaml.vectors");
    try (InputStream in =
            override != null
                ? Files.newInputStream(Path.of(override))
                : YamlDumperTest.class.getResourceAsStream("yaml-vectors.jsonl");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode v = JSON.readTree(line);
        String name = v.get("name").asText();
        Object input = toJava(v.get("input"));
        String expected = v.get("expected").asText();
        tests.add(
            DynamicTest.dynamicTest(
                name, () -> assertEquals(expected, YamlDumper.dump(input), () -> "input: " + input)));
      }
    }
    assertTrue(tests.size() >= 300, "vector file looks truncated");
    return tests.stream();
  }

  /** Converts a Jackson tree into the dumper's value model. */
  static Object toJava(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> m.put(e.getKey(), toJava(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toJava(x)));
      return l;
    }
    if (n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asText();
  }
}
