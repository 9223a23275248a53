package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.testing.Fields;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goals' adapters: an unknown revision fails the build by name; the output file holds DVC's exact bytes. */
class CompareMojoTest {
  @TempDir Path tmp;

  private Path repo() throws Exception {
    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir);
    DvcOracle.runOk(dir, "git", "init", "-q");
    DvcOracle.dvc(dir, "init", "-q");
    Files.writeString(dir.resolve("params.yaml"), "lr: 0.1\nmodel:\n  depth: 3\n");
    Files.writeString(dir.resolve("dvc.yaml"), "stages:\n  s:\n    cmd: echo\n    params:\n    - lr\n"
        + "    metrics:\n    - m.json:\n        cache: false\n");
    Files.writeString(dir.resolve("m.json"), "{\"acc\": 0.5}");
    DvcOracle.runOk(dir, "git", "add", "-A");
    DvcOracle.runOk(dir, "git", "commit", "-q", "-m", "base");
    Files.writeString(dir.resolve("params.yaml"), "lr: 0.2\nmodel:\n  depth: 3\n");
    Files.writeString(dir.resolve("m.json"), "{\"acc\": 0.75}");
    return dir;
  }

  @Test
  void unknownRevisionFailsTheBuildNamingIt() throws Exception {
    Path dir = repo();
    MetricsMojo mojo = new MetricsMojo();
    set(mojo, "root", dir.toFile());
    set(mojo, "rev", "no-such-branch");
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("unknown Git revision 'no-such-branch'"), e.getMessage());
  }

  @Test
  void outputFilesHoldWhatDvcPrints() throws Exception {
    Path dir = repo();
    File out = tmp.resolve("out/params.md").toFile();
    ParamsMojo params = new ParamsMojo();
    set(params, "root", dir.toFile());
    set(params, "rev", "HEAD");
    set(params, "md", true);
    set(params, "outputFile", out);
    params.execute();
    assertEquals(DvcOracle.dvc(dir, "params", "diff", "HEAD", "--md"),
        Files.readString(out.toPath(), StandardCharsets.UTF_8));

    File json = tmp.resolve("out/metrics.json").toFile();
    MetricsMojo metrics = new MetricsMojo();
    set(metrics, "root", dir.toFile());
    set(metrics, "rev", "HEAD");
    set(metrics, "json", true);
    set(metrics, "outputFile", json);
    metrics.execute();
    assertEquals(DvcOracle.dvc(dir, "metrics", "diff", "--json"),
        Files.readString(json.toPath(), StandardCharsets.UTF_8));
  }

  private static void set(Object target, String name, Object value) throws Exception {
    Fields.set(target, name, value);
  }
}
