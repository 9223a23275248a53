package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code repro --pull TARGET} fetches what the target's stages need, not every stage's data (as DVC). */
class ReproPullTest {
  @TempDir Path tmp;
  final CapturingLog log = new CapturingLog(false);

  @Test
  void pullsOnlyTheDataOfTheTargetsAndWhatTheyDependOn() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("repo"));
    Mlops.init(root, true, log);
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = " + tmp.resolve("store") + "\n");
    Files.writeString(root.resolve("dvc.yaml"), """
        stages:
          a:
            cmd: echo a > a.txt
            outs: [a.txt]
          a2:
            cmd: cp a.txt a2.txt
            deps: [a.txt]
            outs: [a2.txt]
          b:
            cmd: echo b > b.txt
            outs: [b.txt]
        """);
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      assertFalse(m.repro(ReproOptions.defaults()).failed());
      assertEquals(2, m.push(TransferOptions.defaults()).transferred(), "a.txt and a2.txt are one object");
    }
    // a fresh copy: no cache, no outputs
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    for (String f : List.of("a.txt", "a2.txt", "b.txt")) {
      Files.delete(root.resolve(f));
    }
    ReproResult r;
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      r = m.repro(ReproOptions.defaults().targets(List.of("a2")).pull(true));
    }
    assertFalse(r.failed(), r + "\n" + String.join("\n", log.lines()));
    assertEquals("a\n", Files.readString(root.resolve("a.txt")));
    assertEquals("a\n", Files.readString(root.resolve("a2.txt")));
    assertFalse(Files.exists(root.resolve("b.txt")), "b is not a target's dependency: not pulled");
    assertTrue(r.stages().stream().allMatch(s -> s.outcome() == ReproResult.Outcome.SKIPPED), r + "\n" + String.join("\n", log.lines()));
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      List<String> changed = m.status(List.of()).changed().stream().map(StatusResult.Stage::stage).toList();
      assertEquals(List.of("b"), changed, "only b's output is missing from this workspace");
    }
  }

  @Test
  void aDataSourceMissingFromTheRemoteFailsNamingIt() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("repo2"));
    Mlops.init(root, true, log);
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = " + tmp.resolve("empty-store") + "\n");
    Files.writeString(root.resolve("raw.csv"), "x\n1\n");
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n  count:\n    cmd: wc -l raw.csv > n.txt\n"
        + "    deps: [raw.csv]\n    outs: [n.txt]\n");
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      m.add(List.of("raw.csv"));
    }
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    Files.delete(root.resolve("raw.csv"));
    // as dvc repro --pull: what the remote lacks is not fatal to the pull, but data nobody can produce is
    MlopsException e;
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), log)) {
      e = org.junit.jupiter.api.Assertions.assertThrows(MlopsException.class,
          () -> m.repro(ReproOptions.defaults().pull(true)));
    }
    assertTrue(e.getMessage().contains("raw.csv"), e.getMessage());
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN Some objects are missing from remote 'store'")),
        log.lines().toString());
    assertFalse(Files.exists(root.resolve("n.txt")), "the stage did not run on missing data");
  }
}
