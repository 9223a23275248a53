package io.mlops.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlLoaderTest {
  private static final Path F = Path.of("params.yaml");

  private static Object scalar(String yamlScalar) {
    Map<?, ?> m = (Map<?, ?>) YamlLoader.load("v: " + yamlScalar + "\n", F).root();
    return m.get("v");
  }

  /**
   * Expected values recorded from ruamel.yaml 0.19.1 {@code YAML(typ="safe")} as installed with DVC 3.67.1
   * (type name, then Python repr).
   */
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          1e5        | float | 100000.0
          1E5        | float | 100000.0
          1.0e5      | float | 100000.0
          1e+5       | float | 100000.0
          1.5        | float | 1.5
          -1.5       | float | -1.5
          .5         | float | 0.5
          5.         | float | 5.0
          0.         | float | 0.0
          -.5        | float | -0.5
          +.5        | float | 0.5
          1.e5       | float | 100000.0
          1_0.5      | float | 10.5
          1_0e5      | float | 1000000.0
          ._5        | float | 0.5
          0.1_       | float | 0.1
          .5e+5      | float | 50000.0
          12e03      | float | 12000.0
          1e-5       | float | 1e-05
          1.0E-05    | float | 1e-05
          1e400      | float | inf
          .inf       | float | inf
          -.inf      | float | -inf
          +.inf      | float | inf
          .Inf       | float | inf
          .INF       | float | inf
          .nan       | float | nan
          .NaN       | float | nan
          .NAN       | float | nan
          +1         | int   | 1
          -0         | int   | 0
          010        | int   | 10
          0777       | int   | 777
          08         | int   | 8
          -010       | int   | -10
          00         | int   | 0
          0o10       | int   | 8
          0o7_7      | int   | 63
          0x1F       | int   | 31
          0x1f       | int   | 31
          +0x1F      | int   | 31
          -0x1F      | int   | -31
          0xff_ff    | int   | 65535
          0b101      | int   | 5
          0b11       | int   | 3
          1_000      | int   | 1000
          1__0       | int   | 10
          1_         | int   | 1
          0_         | int   | 0
          99999999999999999999 | int | 99999999999999999999
          True       | bool  | True
          TRUE       | bool  | True
          true       | bool  | True
          False      | bool  | False
          FALSE      | bool  | False
          ~          | NoneType | None
          null       | NoneType | None
          Null       | NoneType | None
          NULL       | NoneType | None
          "''"       | str   | ''
          "'1'"      | str   | '1'
          "!!str 1"  | str   | '1'
          "!!int '3'" | int  | 3
          "!!float '1'" | float | 1.0
          tRue       | str   | 'tRue'
          yes        | str   | 'yes'
          no         | str   | 'no'
          on         | str   | 'on'
          off        | str   | 'off'
          y          | str   | 'y'
          n          | str   | 'n'
          0b         | str   | '0b'
          0o         | str   | '0o'
          0x         | str   | '0x'
          0b2        | str   | '0b2'
          0o8        | str   | '0o8'
          0XFF       | str   | '0XFF'
          0O7        | str   | '0O7'
          _1         | str   | '_1'
          1e         | str   | '1e'
          1e5e       | str   | '1e5e'
          1.5e5_     | str   | '1.5e5_'
          +.         | str   | '+.'
          .          | str   | '.'
          nan        | str   | 'nan'
          inf        | str   | 'inf'
          -.nan      | str   | '-.nan'
          +.nan      | str   | '+.nan'
          "1,000"    | str   | '1,000'
          12:30:00   | str   | '12:30:00'
          190:20:30  | str   | '190:20:30'
          1:20       | str   | '1:20'
          -1:20      | str   | '-1:20'
          """)
  void resolvesLikeRuamelSafe(String yaml, String type, String repr) {
    Object v = scalar(yaml);
    assertEquals(type, PyStr.typeName(v), "type of " + yaml);
    assertEquals(repr, PyStr.repr(v), "value of " + yaml);
  }

  @Test
  void emptyScalarIsNull() {
    assertNull(scalar(""));
  }

  @Test
  void timestampsAreKeptAsText() {
    // ruamel gives datetime.date / datetime.datetime; the value model keeps the text
    assertEquals("2001-12-14", scalar("2001-12-14"));
    assertEquals("2001-12-14t21:59:43.10-05:00", scalar("2001-12-14t21:59:43.10-05:00"));
    assertEquals("2001-12-14 21:59:43.10", scalar("2001-12-14 21:59:43.10"));
    assertEquals("2001-1-2 3:04:05", scalar("2001-1-2 3:04:05"));
  }

  @Test
  void javaTypes() {
    assertInstanceOf(Long.class, scalar("1"));
    assertInstanceOf(Long.class, scalar("9223372036854775807"));
    assertInstanceOf(BigInteger.class, scalar("9223372036854775808"));
    assertEquals(Long.MIN_VALUE, scalar("-9223372036854775808"));
    assertInstanceOf(Double.class, scalar("1e5"));
    assertInstanceOf(Boolean.class, scalar("true"));
    assertInstanceOf(LinkedHashMap.class, scalar("{a: 1}"));
    assertInstanceOf(java.util.ArrayList.class, scalar("[1]"));
  }

  @Test
  void keepsKeyOrderAndLines() {
    String text =
        """
        # comment
        z: 1
        a:
          - x
          - {k: v}
          -
            - 2
        m:
          b: 2
          a: 1
        """;
    LoadedYaml y = YamlLoader.load(text, F);
    Map<?, ?> root = (Map<?, ?>) y.root();
    assertEquals(List.of("z", "a", "m"), List.copyOf(root.keySet()));
    assertEquals(2, y.line(root));
    assertEquals(2, y.line(root, "z"));
    assertEquals(3, y.line(root, "a"));
    assertEquals(8, y.line(root, "m"));
    List<?> a = (List<?>) root.get("a");
    assertEquals(4, y.line(a));
    assertEquals(4, y.line(a, 0));
    assertEquals(5, y.line(a, 1));
    assertEquals(7, y.line(a, 2));
    assertEquals(5, y.line(a.get(1)));
    assertEquals(7, y.line(a.get(2)));
    Map<?, ?> m = (Map<?, ?>) root.get("m");
    assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
    assertEquals(9, y.line(m));
    assertEquals(10, y.line(m, "a"));
    assertEquals(0, y.line(new LinkedHashMap<>()));
  }

  @Test
  void nonStringKeysUsePythonStr() {
    Map<?, ?> m = (Map<?, ?>) YamlLoader.load("1: a\n2.5: b\nfalse: c2\nnull: d\n1e16: e\n", F).root();
    assertEquals(List.of("1", "2.5", "False", "None", "1e+16"), List.copyOf(m.keySet()));
  }

  @Test
  void emptyDocumentIsNull() {
    assertNull(YamlLoader.load("", F).root());
    assertNull(YamlLoader.load("# only a comment\n", F).root());
    assertNull(YamlLoader.load("---\n", F).root());
  }

  @Test
  void aliasesAndMergeKeysLikeRuamel() {
    String text =
        """
        base: &b {x: 1, y: 2}
        mid: &m
          <<: *b
          z: 3
        top:
          <<: *m
          w: 4
        ov:
          y: 9
          <<: [*m, {y: 7, q: 1}]
          x: 0
        ref: *b
        """;
    Map<?, ?> m = (Map<?, ?>) YamlLoader.load(text, F).root();
    // expected values printed by ruamel.yaml safe
    assertEquals("{'x': 1, 'y': 2, 'z': 3}", PyStr.repr(m.get("mid")));
    assertEquals("{'x': 1, 'y': 2, 'z': 3, 'w': 4}", PyStr.repr(m.get("top")));
    assertEquals("{'y': 9, 'q': 1, 'x': 0, 'z': 3}", PyStr.repr(m.get("ov")));
    assertEquals("{'x': 1, 'y': 2}", PyStr.repr(m.get("ref")));
  }

  @Test
  void quotedAndBlockScalars() {
    Map<?, ?> m =
        (Map<?, ?>)
            YamlLoader.load("a: 'it''s'\nb: \"\\x41\\u00e9\"\nc: |\n  line1\n  line2\nd: >-\n  x\n  y\n", F).root();
    assertEquals("it's", m.get("a"));
    assertEquals("Aé", m.get("b"));
    assertEquals("line1\nline2\n", m.get("c"));
    assertEquals("x y", m.get("d"));
  }

  @Test
  void duplicateKeyIsAnError() {
    MlopsException e =
        assertThrows(MlopsException.class, () -> YamlLoader.load("a: 1\nb: 2\na: 3\n", Path.of("dvc.yaml")));
    assertEquals(Path.of("dvc.yaml"), e.file());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("duplicate key \"a\""), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertTrue(e.getMessage().startsWith("dvc.yaml:3: "), e.getMessage());
    assertTrue(e.hint() != null);
  }

  @Test
  void duplicateKeyWithPythonEquality() {
    // ruamel: 1 and true are the same key
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load("1: a\ntrue: b\n", F));
    assertEquals(2, e.line());
  }

  @Test
  void nestingUpToTheLimitLoads() {
    int n = YamlLoader.MAX_DEPTH;
    Object v = YamlLoader.load("[".repeat(n) + "]".repeat(n), F).root();
    int depth = 0;
    while (v instanceof List<?> l) {
      depth++;
      v = l.isEmpty() ? null : l.get(0);
    }
    assertEquals(n, depth);
  }

  @Test
  void nestingBeyondTheLimitIsAClearError() {
    int n = YamlLoader.MAX_DEPTH + 1;
    String deep = "a:\n  b: " + "{x: ".repeat(n) + "1" + "}".repeat(n) + "\n";
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load(deep, F));
    assertTrue(e.getMessage().contains("nested more than " + YamlLoader.MAX_DEPTH + " levels"), e.getMessage());
    assertEquals(F, e.file());
    assertEquals(2, e.line());
    // far beyond the limit: the same error, not a stack overflow
    int far = 200_000;
    assertThrows(MlopsException.class, () -> YamlLoader.load("[".repeat(far) + "]".repeat(far), F));
  }

  @Test
  void aliasesCannotStackNestingBeyondTheLimit() {
    // each document level is well under the limit; the alias puts one inside the other
    int half = YamlLoader.MAX_DEPTH / 2 + 1;
    String yaml = "a: &a " + "[".repeat(half) + "]".repeat(half) + "\n"
        + "b: " + "[".repeat(half) + "*a" + "]".repeat(half) + "\n";
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load(yaml, F));
    assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
    assertEquals(2, e.line());
  }

  @Test
  void nestedDuplicateKey() {
    MlopsException e =
        assertThrows(
            MlopsException.class,
            () -> YamlLoader.load("stages:\n  a:\n    cmd: echo\n  a:\n    cmd: x\n", F));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("\"a\""));
  }

  @Test
  void syntaxErrorsNameFileAndLine() {
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load("a: [1\n", Path.of("x.yaml")));
    assertEquals(Path.of("x.yaml"), e.file());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
    assertTrue(!e.getMessage().contains("org.snakeyaml"), e.getMessage());

    e = assertThrows(MlopsException.class, () -> YamlLoader.load("a: b: c\n", F));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("mapping values are not allowed here"), e.getMessage());

    e = assertThrows(MlopsException.class, () -> YamlLoader.load("a:\n  - x\n y: 1\n", F));
    assertEquals(3, e.line());

    e = assertThrows(MlopsException.class, () -> YamlLoader.load("x: 1\n\ta: 1\n", F));
    assertEquals(2, e.line());

    e = assertThrows(MlopsException.class, () -> YamlLoader.load("a: *nope\n", F));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void multipleDocumentsAreAnError() {
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load("a: 1\n---\nb: 2\n", F));
    assertTrue(e.getMessage().contains("single document"), e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void unknownTagsAreAnError() {
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load("a: !custom x\n", F));
    assertTrue(e.getMessage().contains("!custom"), e.getMessage());
    assertEquals(1, e.line());
  }

  @Test
  void loadsFile(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("p.yaml");
    Files.writeString(p, "lr: 0.1\n");
    LoadedYaml y = YamlLoader.load(p);
    assertEquals(Map.of("lr", 0.1), y.root());
    assertEquals(p, y.file());
    MlopsException e = assertThrows(MlopsException.class, () -> YamlLoader.load(dir.resolve("missing.yaml")));
    assertEquals(dir.resolve("missing.yaml"), e.file());
    Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
    e = assertThrows(MlopsException.class, () -> YamlLoader.load(dir.resolve("bad.yaml")));
    assertTrue(e.getMessage().contains("utf-8"), e.getMessage());
  }
}
