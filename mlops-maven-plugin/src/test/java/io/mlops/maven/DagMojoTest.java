package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.harness.DvcOracle;
import io.mlops.testing.Fields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops:dag} logs, line by line, what {@code dvc dag} prints: the ASCII drawing, whole or of a target. */
class DagMojoTest {
  @TempDir Path tmp;

  private Path repo() throws Exception {
    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir);
    DvcOracle.runOk(dir, "git", "init", "-q");
    DvcOracle.dvc(dir, "init", "-q");
    Files.writeString(dir.resolve("dvc.yaml"), "stages:\n"
        + "  source:\n    cmd: echo s > s\n    outs: [s]\n"
        + "  left:\n    cmd: cp s l\n    deps: [s]\n    outs: [l]\n"
        + "  right:\n    cmd: cp s r\n    deps: [s]\n    outs: [r]\n"
        + "  join:\n    cmd: cat l r > j\n    deps: [l, r]\n    outs: [j]\n"
        + "  alone:\n    cmd: echo a > a\n    outs: [a]\n");
    return dir;
  }

  private static String logged(Path dir, boolean full, String... targets) throws Exception {
    DagMojo m = new DagMojo();
    Fields.set(m, "root", dir.toFile());
    Fields.set(m, "targets", List.of(targets));
    Fields.set(m, "full", full);
    MavenLogLines log = new MavenLogLines();
    m.setLog(log);
    m.execute();
    return String.join("\n", log.lines) + "\n";
  }

  @Test
  void logsDvcsDrawing() throws Exception {
    Path dir = repo();
    assertEquals(DvcOracle.dvc(dir, "dag"), logged(dir, false));
    assertEquals(DvcOracle.dvc(dir, "dag", "left"), logged(dir, false, "left"));
    assertEquals(DvcOracle.dvc(dir, "dag", "--full", "left"), logged(dir, true, "left"));
  }
}
