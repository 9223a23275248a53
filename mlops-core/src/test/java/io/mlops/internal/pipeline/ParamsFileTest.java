package io.mlops.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.internal.yaml.PyStr;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamsFileTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void yaml() throws Exception {
    Map<String, Object> m =
        ParamsFile.read(write("params.yaml", "lr: 1e-3\nepochs: 010\nname: yes\ntrain:\n  layers: [1, 2]\n"));
    assertEquals("{'lr': 0.001, 'epochs': 10, 'name': 'yes', 'train': {'layers': [1, 2]}}", PyStr.repr(m));
  }

  @Test
  void anyOtherExtensionIsYaml() throws Exception {
    assertEquals(Map.of("a", 1L), ParamsFile.read(write("conf.cfg", "a: 1\n")));
    assertEquals(Map.of("a", 1L), ParamsFile.read(write("noext", "a: 1\n")));
    assertEquals(Map.of("a", 1L), ParamsFile.read(write("P.YML", "a: 1\n")));
  }

  @Test
  void emptyFilesAreEmptyMaps() throws Exception {
    assertEquals(Map.of(), ParamsFile.read(write("e.yaml", "")));
    assertEquals(Map.of(), ParamsFile.read(write("e2.yaml", "[]\n")));
    assertEquals(Map.of(), ParamsFile.read(write("e.json", "{}")));
    assertEquals(Map.of(), ParamsFile.read(write("e.toml", "")));
  }

  @Test
  void json() throws Exception {
    // expected: Python json.loads (NaN/Infinity accepted, big ints exact, duplicate keys: last value, first place)
    Map<String, Object> m =
        ParamsFile.read(
            write(
                "p.JSON",
                "{\"b\": NaN, \"a\": 1e400, \"c\": 12345678901234567890123, \"b\": 2, \"d\": 1.0, \"e\": -0.0,"
                    + " \"f\": [true, null, \"x\"], \"g\": {\"z\": 1, \"y\": 2}}"));
    assertEquals(
        "{'b': 2, 'a': inf, 'c': 12345678901234567890123, 'd': 1.0, 'e': -0.0, 'f': [True, None, 'x'],"
            + " 'g': {'z': 1, 'y': 2}}",
        PyStr.repr(m));
    assertInstanceOf(Long.class, m.get("b"));
    assertInstanceOf(BigInteger.class, m.get("c"));
    assertInstanceOf(Double.class, m.get("d"));
  }

  @Test
  void toml() throws Exception {
    // expected: tomlkit.loads(...).unwrap(), except that dates/times are kept as text
    Map<String, Object> m =
        ParamsFile.read(
            write(
                "p.toml",
                "z = 1\nd = 0x1F\ne = inf\nf = 1_000\nfl = 1e5\nwhen = 1979-05-27\n[t]\nx = [1, \"a\"]\n"
                    + "[s.q]\nk=1\n[m]\nj = 2\n[s]\nr = 1\n"));
    assertEquals(
        "{'z': 1, 'd': 31, 'e': inf, 'f': 1000, 'fl': 100000.0, 'when': '1979-05-27', 't': {'x': [1, 'a']},"
            + " 's': {'q': {'k': 1}, 'r': 1}, 'm': {'j': 2}}",
        PyStr.repr(m));
  }

  @Test
  void python() throws Exception {
    String src;
    try (InputStream in = getClass().getResourceAsStream("/params/params.py")) {
      src = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Map<String, Object> m = ParamsFile.read(write("params.py", src));
    // expected: dvc.utils.serialize.load_py (DVC 3.67.1), tuples and sets shown as lists
    assertEquals(
        "{'LR': 0.001, 'EPOCHS': 10, 'NAME': 'resnet', 'LAYERS': [1, 2, [3, 4]], 'TUP': [1, 2], 'NEG': -5,"
            + " 'HEX': 255, 'BIG': 123456789012345678901234567890, 'SCI': 1e-05, 'FLAG': True, 'NOTHING': None,"
            + " 'D': {'a': 1, 'b': [True, None], '3': 'x'}, 'S': [1, 2], 'ESC': 'tab\\there\\\\ é A',"
            + " 'RAW': 'c:\\\\new', 'MULTI': 'line1\\nline2', 'COUNT': 5, 'OTHER': 6, 'WRAPPED': 'part1part2',"
            + " 'top': 7, 'Train': {'epochs': 3, 'opt': 'adam', 'Nested': {'depth': 2}, 'batch': 32},"
            + " 'Deco': {'v': 1}}",
        PyStr.repr(m));
  }

  @Test
  void pythonSyntaxError() throws Exception {
    MlopsException e = assertThrows(MlopsException.class, () -> ParamsFile.read(write("bad.py", "A = (1,\n")));
    assertTrue(e.getMessage().contains("Python file structure is corrupted"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.py"), e.getMessage());
  }

  @Test
  void pythonNestingFollowsCPythonsLimit() throws Exception {
    // CPython's tokenizer (and so DVC) reads 200 open brackets and refuses the 201st
    int n = 200;
    Map<String, Object> m = ParamsFile.read(write("ok.py", "X = " + "[".repeat(n) + "]".repeat(n) + "\n"));
    assertTrue(m.containsKey("X"), PyStr.repr(m));
    MlopsException e = assertThrows(MlopsException.class,
        () -> ParamsFile.read(write("deep.py", "X = " + "(".repeat(n + 1) + "1" + ")".repeat(n + 1) + "\n")));
    assertTrue(e.getMessage().contains("too many nested parentheses"), e.getMessage());
    assertEquals(1, e.line());
    // far beyond: the same error, not a stack overflow
    assertThrows(MlopsException.class,
        () -> ParamsFile.read(write("deeper.py", "X = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n")));
  }

  @Test
  void errorsNameTheFile() throws Exception {
    MlopsException e = assertThrows(MlopsException.class, () -> ParamsFile.read(dir.resolve("nope.yaml")));
    assertEquals(dir.resolve("nope.yaml"), e.file());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

    Path bad = write("bad.json", "{\"a\": 1,\n \"b\": }");
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(bad));
    assertEquals(bad, e.file());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("JSON file structure is corrupted"), e.getMessage());

    Path extra = write("extra.json", "{} {}");
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(extra));
    assertTrue(e.getMessage().contains("JSON file structure is corrupted"), e.getMessage());

    Path badToml = write("bad.toml", "a = \n");
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(badToml));
    assertEquals(badToml, e.file());
    assertTrue(e.getMessage().contains("TOML file structure is corrupted"), e.getMessage());

    Path badYaml = write("bad.yaml", "a: [1\n");
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(badYaml));
    assertEquals(badYaml, e.file());

    Path list = write("list.yaml", "- 1\n");
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(list));
    assertTrue(e.getMessage().contains("expected a dictionary, got 'list'"), e.getMessage());

    Files.createDirectories(dir.resolve("d.yaml"));
    e = assertThrows(MlopsException.class, () -> ParamsFile.read(dir.resolve("d.yaml")));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void dottedKeysLikeDpath() throws Exception {
    Map<String, Object> m =
        ParamsFile.read(write("p.yaml", "a: {b: [1, {c: 2}]}\nx.y: 3\nl: [10, 20]\ne: {}\nn: null\n"));
    // expectations from dpath.get(..., separator=".")
    assertEquals(1L, ParamsFile.get(m, "a.b.0"));
    assertEquals(2L, ParamsFile.get(m, "a.b.1.c"));
    assertEquals(20L, ParamsFile.get(m, "l.1"));
    assertEquals(20L, ParamsFile.get(m, "l.-1"));
    assertEquals(20L, ParamsFile.get(m, "l.01"));
    assertEquals(20L, ParamsFile.get(m, "l. 1"));
    assertEquals(20L, ParamsFile.get(m, "l.+1"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "l.2"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "x.y"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "a.b.5"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "a."));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "a..b"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "nope"));
    assertSame(ParamsFile.MISSING, ParamsFile.get(m, "l.1.x"));
    assertEquals(Map.of("b", List.of(1L, Map.of("c", 2L))), ParamsFile.get(m, "a"));
    assertEquals(Map.of("b", List.of(1L, Map.of("c", 2L))), ParamsFile.get(m, ".a"));
    assertEquals(Map.of(), ParamsFile.get(m, "e"));
    assertNull(ParamsFile.get(m, "n"));
    assertTrue(ParamsFile.contains(m, "n"));
    assertFalse(ParamsFile.contains(m, "m"));
    assertSame(m, ParamsFile.get(m, ""));
  }
}
