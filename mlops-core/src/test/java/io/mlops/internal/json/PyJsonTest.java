package io.mlops.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyJsonTest {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  // ---------------------------------------------------------------------------------------------
  // .dir manifests (spec §4.2 and §11)
  // ---------------------------------------------------------------------------------------------

  /** Builds DVC's .dir manifest for files given as relpath -> content and returns its md5 + ".dir". */
  private static String dirHash(Map<String, String> files) {
    return dirHash(files, "md5");
  }

  private static String dirHash(Map<String, String> files, String hashKey) {
    List<String> paths = new ArrayList<>(files.keySet());
    paths.sort(PyJson.CODE_POINT_ORDER);
    List<Map<String, Object>> entries = new ArrayList<>();
    for (String p : paths) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("relpath", p); // deliberately not in sorted order: dumps must sort
      e.put(hashKey, md5(files.get(p)));
      entries.add(e);
    }
    return md5(PyJson.dumps(entries)) + ".dir";
  }

  private static Map<String, String> files(String... pathAndContent) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pathAndContent.length; i += 2) {
      m.put(pathAndContent[i], pathAndContent[i + 1]);
    }
    return m;
  }

  @Test
  void dirManifestsFromDvcTestSuite() {
    assertEquals("5ea40360f5b4ec688df672a4db9c17d1.dir", dirHash(files("foo", "foo", "bar", "bar")));
    assertEquals(
        "8761c4e9acad696bee718615e23e22db.dir",
        dirHash(files("foo", "foo", "bar", "bar", "subdir/data", "data")));
    assertEquals("af314506f1622d107e0ed3f14ec1a3b5.dir", dirHash(files("data", "data")));
    assertEquals("5fb6b29836c388e093ca0715c872fe2a.dir", dirHash(files("1", "1", "2", "2")));
    assertEquals(
        "9b5faf37366b3370fd98e3e60ca439c1.dir", dirHash(files("1", "1", "2", "two", "3", "3")));
    assertEquals("83ae82fb367ac9926455870773ff09e6.dir", dirHash(files("1", "1", "3", "3")));
    assertEquals(
        "cb58ee07cb01044db229e4d6121a0dfc.dir",
        dirHash(files("file", "text1", "subdir/file2", "text2")));
    assertEquals("6b18131dc289fd37006705affe961ef8.dir", dirHash(files("one", "one", "two", "two")));
    assertEquals("d28c9e28591aeb7e303dc6772ffa6f6b.dir", dirHash(files("subdir/file", "file")));
    assertEquals("91aaa9bb58b657d623ef143b195a67e4.dir", dirHash(files("bar", "bar")));
    assertEquals("630bd47b538d2a513c7d267d07e0bc44.dir", dirHash(files("baz", "baz")));
    assertEquals(
        "1f69c66028c35037e8bf67e5bc4ceb6a.dir", dirHash(files("bar", "bar\n", "baz", "baz\n")));
    assertEquals(
        "b6dcab6ccd17ca0a8bf4a215a37d14cc.dir",
        dirHash(files("file", "file", "subdir/subfile", "subfile")));
    assertEquals(
        "55d05978954d1b2cd7b06aedda9b9e43.dir",
        dirHash(files("foo", "foo", "bar", "bar", "sub_dir/baz", "sub_dir/baz")));
    assertEquals("d751713988987e9331980363e24189ce.dir", dirHash(files()));
  }

  @Test
  void etagKeyedManifest() {
    // bar and foo both with etag acbd18db... (= md5 of "foo")
    assertEquals(
        "77e8000f532886eef8ee1feba82e9bad.dir", dirHash(files("bar", "foo", "foo", "foo"), "etag"));
  }

  @Test
  void dirManifestBytesFromDvcDataTest() {
    List<Map<String, Object>> entries =
        List.of(
            Map.of("relpath", "bar", "md5", "c157a79031e1c40f85931829bc5fc552"),
            Map.of("relpath", "baz", "md5", "258622b1688250cb619f3c9ccaefb7eb"));
    assertEquals(
        "[{\"md5\": \"c157a79031e1c40f85931829bc5fc552\", \"relpath\": \"bar\"}, "
            + "{\"md5\": \"258622b1688250cb619f3c9ccaefb7eb\", \"relpath\": \"baz\"}]",
        PyJson.dumps(entries));
  }

  @Test
  void workedExampleOfSpec() {
    Map<String, String> f = files("train.csv", "a,b\n1,2\n", "sub/labels.txt", "cat\ndog\n");
    assertEquals("85a522cfa174daa4c6ea674319a3d1eb.dir", dirHash(f));
  }

  /**
   * Spec §4.2 escaping and sort example. The spec says "contents 1..7 in the order given"; the hash
   * is reproduced with a/b=1, a-b=2, a0=3, naïve.txt=4, 😀.bin=5, \uFFFD.txt=6, q"uote\.txt=7.
   */
  @Test
  void escapingAndSortExample() {
    Map<String, String> f =
        files(
            "a/b", "1", "a-b", "2", "a0", "3", "na\u00efve.txt", "4", "\uD83D\uDE00.bin", "5",
            "\uFFFD.txt", "6", "q\"uote\\.txt", "7");
    List<String> sorted = new ArrayList<>(f.keySet());
    sorted.sort(PyJson.CODE_POINT_ORDER);
    assertEquals(
        List.of(
            "a-b", "a/b", "a0", "na\u00efve.txt", "q\"uote\\.txt", "\uFFFD.txt", "\uD83D\uDE00.bin"),
        sorted);
    String json =
        PyJson.dumps(
            sorted.stream().map(p -> Map.of("md5", md5(f.get(p)), "relpath", p)).toList());
    assertEquals(
        "[{\"md5\": \"c81e728d9d4c2f636f067f89cc14862c\", \"relpath\": \"a-b\"}, "
            + "{\"md5\": \"c4ca4238a0b923820dcc509a6f75849b\", \"relpath\": \"a/b\"}, "
            + "{\"md5\": \"eccbc87e4b5ce2fe28308fd9f2a7baf3\", \"relpath\": \"a0\"}, "
            + "{\"md5\": \"a87ff679a2f3e71d9181a67b7542122c\", \"relpath\": \"na\\u00efve.txt\"}, "
            + "{\"md5\": \"8f14e45fceea167a5a36dedd4bea2543\", \"relpath\": \"q\\\"uote\\\\.txt\"}, "
            + "{\"md5\": \"1679091c5a880faf6fb5e6087eb1b2dc\", \"relpath\": \"\\ufffd.txt\"}, "
            + "{\"md5\": \"e4da3b7fbbce2345d7772b0674a318d5\", \"relpath\": \"\\ud83d\\ude00.bin\"}]",
        json);
    assertEquals("56b3622e6b07e96d12a29bb2ac308b5a", md5(json));
  }

  // ---------------------------------------------------------------------------------------------
  // stage md5 (§4.3) and run-cache (§6)
  // ---------------------------------------------------------------------------------------------

  @Test
  void importStageMd5() {
    Map<String, Object> stage = new LinkedHashMap<>();
    stage.put("outs", List.of(out("bar", "acbd18db4cc2f85cedef654fccc4a4d8")));
    stage.put("deps", List.of(out("foo", "acbd18db4cc2f85cedef654fccc4a4d8")));
    assertEquals(
        "{\"deps\": [{\"hash\": \"md5\", \"md5\": \"acbd18db4cc2f85cedef654fccc4a4d8\", \"path\": \"foo\"}], "
            + "\"outs\": [{\"hash\": \"md5\", \"md5\": \"acbd18db4cc2f85cedef654fccc4a4d8\", \"path\": \"bar\"}]}",
        PyJson.dumps(stage));
    assertEquals("8fc199641730e3f512deac0bd9a0e0b6", md5(PyJson.dumps(stage)));
  }

  private static Map<String, Object> out(String path, String md5) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("md5", md5);
    m.put("hash", "md5");
    return m;
  }

  private static final String SCRIPT = "open(\"out\", \"w+\").write(\"out\"); ";

  private static Map<String, Object> entry(String path, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("hash", "md5");
    m.put("md5", md5(content));
    m.put("size", content.length());
    return m;
  }

  /** DVC's run-cache filter: drops {@code size} and {@code nfiles} at any depth. */
  @SuppressWarnings("unchecked")
  private static Object filter(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> r = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (!k.equals("size") && !k.equals("nfiles")) {
              r.put((String) k, filter(v));
            }
          });
      return r;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(PyJsonTest::filter).toList();
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> runCacheKeyValue(Map<String, Object> lock) {
    Map<String, Object> keyLock = new LinkedHashMap<>(lock);
    keyLock.put(
        "outs",
        ((List<Map<String, Object>>) lock.get("outs")).stream().map(o -> o.get("path")).toList());
    return List.of(sha256(PyJson.dumps(filter(keyLock))), sha256(PyJson.dumps(filter(lock))));
  }

  @Test
  void runCacheVectors() {
    Map<String, Object> lock = new LinkedHashMap<>();
    lock.put("cmd", "python script.py");
    lock.put("deps", List.of(entry("dep", "dep"), entry("script.py", SCRIPT)));
    lock.put("outs", List.of(entry("out", "out")));
    Map<String, Object> keyLock = new LinkedHashMap<>(lock);
    keyLock.put("outs", List.of("out"));
    assertEquals(
        "{\"cmd\": \"python script.py\", \"deps\": [{\"hash\": \"md5\", \"md5\": "
            + "\"2254342becceafbd04538e0a38696791\", \"path\": \"dep\"}, {\"hash\": \"md5\", \"md5\": "
            + "\"abb0c55bd903a0f636aaa24fd39c2853\", \"path\": \"script.py\"}], \"outs\": [\"out\"]}",
        PyJson.dumps(filter(keyLock)));
    assertEquals(
        List.of(
            "c7a85d71de1912c43d9c5b6218c71630d6277e8fc11e4ccf5e12b3c202234838",
            "5e2824029f8da9ef6c57131a638ceb65f27c02f16c85d71e85671c27daed0501"),
        runCacheKeyValue(lock));

    Map<String, Object> params = new LinkedHashMap<>();
    params.put("params.yaml", new LinkedHashMap<>(Map.of("foo", 1, "bar", 2)));
    params.put("myparams.yaml", new TreeMap<>(Map.of("baz", 3, "qux", 4)));
    Map<String, Object> paramsLock = new LinkedHashMap<>();
    paramsLock.put("cmd", "python script.py");
    paramsLock.put("params", params);
    paramsLock.put("outs", List.of(entry("out", "out")));
    assertEquals(
        List.of(
            "8fdb377d1b4c0a303b788771b122dfba9bbbbc43f14ce41d35715cf4fea08459",
            "9ce1963a69beb1299800188647cd960b7afff101be19fd46226e32bb8be8ee44"),
        runCacheKeyValue(paramsLock));

    // wdir variant: the stage runs in a subdirectory, so its cmd is "python ../script.py"
    Map<String, Object> wdirLock = new LinkedHashMap<>();
    wdirLock.put("cmd", "python ../script.py");
    wdirLock.put("deps", List.of(entry("../dep", "dep"), entry("../script.py", SCRIPT)));
    wdirLock.put("outs", List.of(entry("out", "out")));
    assertEquals(
        List.of(
            "6ad5cce3347e9e96c77d4353d84e5c8cae8c9151c486c4ea3d3d79e9051800f1",
            "1fa3e1a9f785f8364ad185d62bd0813ce8794afcfc79410e985eac0443cc5462"),
        runCacheKeyValue(wdirLock));
  }

  // ---------------------------------------------------------------------------------------------
  // dumps details
  // ---------------------------------------------------------------------------------------------

  @Test
  void dumpsScalarsAndEscapes() {
    assertEquals("null", PyJson.dumps(null));
    assertEquals("true", PyJson.dumps(true));
    assertEquals("[1, 2.5, -3, 12345678901234567890, 0.5, 0.1]",
        PyJson.dumps(List.of(1, 2.5, -3L, new BigInteger("12345678901234567890"), 0.5f,
            new BigDecimal("0.1"))));
    assertEquals("[NaN, Infinity, -Infinity, -0.0, 1e+16, 1e-05]",
        PyJson.dumps(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
            1e16, 1e-5)));
    assertEquals("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f\\u0080\\u00e9\\u2028\\ud83d\\ude00\"",
        PyJson.dumps("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080\u00e9\u2028\uD83D\uDE00"));
    assertEquals("{}", PyJson.dumps(Map.of()));
    assertEquals("[]", PyJson.dumps(List.of()));
    assertEquals("[[], {}]", PyJson.dumps(new Object[] {List.of(), Map.of()}));
  }

  @Test
  void dumpsSortsKeysByCodePoint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\uD83D\uDE00", 1);
    m.put("\uFFFD", 2);
    m.put("b", 3);
    m.put("a", 4);
    m.put("B", 5);
    assertEquals("{\"B\": 5, \"a\": 4, \"b\": 3, \"\\ufffd\": 2, \"\\ud83d\\ude00\": 1}", PyJson.dumps(m));
  }

  @Test
  void dumpsNonStringKeysLikePython() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(10, "a");
    m.put(2, "b");
    m.put(true, "c");
    assertEquals("{\"true\": \"c\", \"2\": \"b\", \"10\": \"a\"}", PyJson.dumps(m));
    Map<Object, Object> mixed = new LinkedHashMap<>();
    mixed.put("a", 1);
    mixed.put(1, 2);
    assertThrows(IllegalArgumentException.class, () -> PyJson.dumps(mixed));
    assertThrows(IllegalArgumentException.class, () -> PyJson.dumps(new Object()));
  }

  @Test
  void codePointOrder() {
    assertEquals(-1, Integer.signum(PyJson.compareCodePoints("\uFFFD", "\uD83D\uDE00")));
    assertEquals(1, Integer.signum("\uFFFD".compareTo("\uD83D\uDE00")));
    assertEquals(-1, Integer.signum(PyJson.compareCodePoints("a", "ab")));
    assertEquals(0, PyJson.compareCodePoints("ab", "ab"));
    assertEquals(-1, Integer.signum(PyJson.compareCodePoints("a-b", "a/b")));
    assertEquals(-1, Integer.signum(PyJson.compareCodePoints("a/b", "a0")));
  }

  // ---------------------------------------------------------------------------------------------
  // repr(float) and str()
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "1e-05, 1e-05",
    "0.0001, 0.0001",
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "9999999999999998.0, 9999999999999998.0",
    "123456789012345680.0, 1.2345678901234568e+17",
    "5e-324, 5e-324",
    "0.30000000000000004, 0.30000000000000004",
    "1.0, 1.0",
    "100.0, 100.0",
    "2.5e-07, 2.5e-07",
    "-0.0, -0.0",
    "0.0, 0.0",
    "1.5e16, 1.5e+16",
    "1e22, 1e+22",
    "1e23, 1e+23",
    "2e-323, 2e-323",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "2.2250738585072014e-308, 2.2250738585072014e-308",
    "9007199254740993, 9007199254740992.0",
    "123456789.0, 123456789.0",
    "0.000123, 0.000123",
    "-1.5, -1.5",
    "Infinity, inf",
    "-Infinity, -inf",
    "NaN, nan",
  })
  void floatReprTable(double value, String expected) {
    assertEquals(expected, PyJson.floatRepr(value));
  }

  @Test
  void pyStrBasics() {
    assertEquals("None", io.mlops.internal.yaml.PyStr.str(null));
    assertEquals("True", io.mlops.internal.yaml.PyStr.str(true));
    assertEquals("plain 'text'", io.mlops.internal.yaml.PyStr.str("plain 'text'"));
    assertEquals("['a', 1, 2.5]", io.mlops.internal.yaml.PyStr.str(List.of("a", 1, 2.5)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1);
    m.put("a", List.of("it's", "say \"hi\"", "both ' \""));
    assertEquals("{'b': 1, 'a': [\"it's\", 'say \"hi\"', 'both \\' \"']}", io.mlops.internal.yaml.PyStr.str(m));
  }

  /**
   * Vectors generated by src/test/python/gen_pyjson_vectors.py with CPython 3.11. Set the system
   * property {@code pyjson.vectors} to the path of a larger generated file for a one-off differential
   * run.
   */
  @TestFactory
  Stream<DynamicTest> pythonVectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    String override = System.getProperty("pyjson.vectors");
    try (InputStream in =
            override != null
                ? Files.newInputStream(Path.of(override))
                : PyJsonTest.class.getResourceAsStream("pyjson-vectors.jsonl");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        JsonNode v = JSON.readTree(line);
        String kind = v.get("kind").asText();
        String expected = v.get("expected").asText();
        String name = "#" + n + " " + kind + " -> " + expected;
        switch (kind) {
          case "repr" -> {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(v.get("bits").asText(), 16));
            tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(expected, PyJson.floatRepr(d))));
          }
          case "dumps" -> {
            Object input = toJava(v.get("input"));
            tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(expected, PyJson.dumps(input))));
          }
          case "str" -> {
            Object input = toJava(v.get("input"));
            tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(expected, io.mlops.internal.yaml.PyStr.str(input))));
          }
          default -> throw new IllegalStateException("unknown kind " + kind);
        }
      }
    }
    assertEquals(true, tests.size() > 400, "vector file looks truncated");
    return tests.stream();
  }

  /** Converts a Jackson tree into the PyJson value model (LinkedHashMap, ArrayList, boxed scalars). */
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

  // ---------------------------------------------------------------------------------------------

  static String md5(String s) {
    return digest("MD5", s);
  }

  static String sha256(String s) {
    return digest("SHA-256", s);
  }

  private static String digest(String alg, String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
