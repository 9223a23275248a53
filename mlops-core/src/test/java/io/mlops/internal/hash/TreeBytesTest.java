package io.mlops.internal.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.internal.json.PyJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The .dir bytes written directly are json.dumps(..., sort_keys=True) of the entries, as DVC writes them. */
class TreeBytesTest {
  @Test
  void sameBytesAsTheGenericPythonJsonWriter() {
    List<Tree.Entry> entries = List.of(
        new Tree.Entry("b/plain.txt", "0cc175b9c0f1b6a831c399e269772661", 1, false),
        new Tree.Entry("a \"quoted\" \\ back\tslash.txt", "92eb5ffee6ae2fec3ad71c777531578f", 1, false),
        new Tree.Entry("ünïcødé/日本語/😀.csv", "4a8a08f09d37b73795649038408b5f33", 1, false),
        new Tree.Entry("z", "8277e0910d750195b448797616e091ad", 1, false));
    Tree tree = new Tree(entries, HashInfo.MD5);
    List<Map<String, Object>> generic = new ArrayList<>();
    for (Tree.Entry e : tree.entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("relpath", e.relpath());
      m.put("md5", e.md5());
      generic.add(m);
    }
    assertEquals(PyJson.dumps(generic), new String(tree.toBytes(), StandardCharsets.US_ASCII));
    assertEquals("[]", new String(new Tree(List.of(), HashInfo.MD5).toBytes(), StandardCharsets.US_ASCII));
  }
}
