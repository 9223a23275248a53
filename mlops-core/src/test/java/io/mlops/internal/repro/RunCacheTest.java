package io.mlops.internal.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.hash.HashedObject;
import io.mlops.internal.hash.Meta;
import io.mlops.internal.pipeline.LockEntry;
import io.mlops.internal.pipeline.LockedPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run-cache keys and values against the vectors of DVC's tests/unit/stage/test_cache.py. */
class RunCacheTest {
  private static LockedPath file(String path, String md5, long size) {
    return new LockedPath(path, new HashedObject(HashInfo.md5(md5), Meta.file(size, false)));
  }

  private static final LockedPath OUT = file("out", "c68271a63ddbc431c307beb7d2918275", 3);

  @Test
  void depsVector() {
    LockEntry e = new LockEntry("python script.py",
        List.of(file("dep", "2254342becceafbd04538e0a38696791", 3),
            file("script.py", "abb0c55bd903a0f636aaa24fd39c2853", 33)),
        Map.of(), List.of(OUT));
    assertEquals("c7a85d71de1912c43d9c5b6218c71630d6277e8fc11e4ccf5e12b3c202234838", RunCache.key(e));
    assertEquals("5e2824029f8da9ef6c57131a638ceb65f27c02f16c85d71e85671c27daed0501", RunCache.value(e));
  }

  @Test
  void paramsVector() {
    Map<String, Map<String, Object>> params = new LinkedHashMap<>();
    params.put("params.yaml", new LinkedHashMap<>(Map.of("foo", 1L, "bar", 2L)));
    params.put("myparams.yaml", new LinkedHashMap<>(Map.of("baz", 3L, "qux", 4L)));
    LockEntry e = new LockEntry("python script.py", List.of(), params, List.of(OUT));
    assertEquals("8fdb377d1b4c0a303b788771b122dfba9bbbbc43f14ce41d35715cf4fea08459", RunCache.key(e));
    assertEquals("9ce1963a69beb1299800188647cd960b7afff101be19fd46226e32bb8be8ee44", RunCache.value(e));
  }

  @Test
  void wdirVector() {
    LockEntry e = new LockEntry("python ../script.py",
        List.of(file("../dep", "2254342becceafbd04538e0a38696791", 3),
            file("../script.py", "abb0c55bd903a0f636aaa24fd39c2853", 33)),
        Map.of(), List.of(OUT));
    assertEquals("6ad5cce3347e9e96c77d4353d84e5c8cae8c9151c486c4ea3d3d79e9051800f1", RunCache.key(e));
    assertEquals("1fa3e1a9f785f8364ad185d62bd0813ce8794afcfc79410e985eac0443cc5462", RunCache.value(e));
  }
}
