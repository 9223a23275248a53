package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.pipeline.ParamsFile;
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

  @Test
  void anInvalidDvcYamlIsAWarningAsInDvcForMetricsAndParamsButStillFailsStatus() throws Exception {
    Path dir = repo();
    // DVC 2's live: section, rejected by DVC 3's schema
    Files.writeString(dir.resolve("dvc.yaml"), Files.readString(dir.resolve("dvc.yaml"))
        + "live:\n  dvclive:\n    summary: true\n");
    String dvcMetrics = DvcOracle.dvc(dir, "metrics", "diff", "HEAD", "--md");
    String warning = "failed to load metrics in revision 'workspace', './dvc.yaml' validation failed";
    assertTrue(dvcMetrics.contains("WARNING: " + warning + "\n"), dvcMetrics);

    File out = tmp.resolve("out/metrics.md").toFile();
    MetricsMojo metrics = new MetricsMojo();
    MavenLogLines log = new MavenLogLines();
    metrics.setLog(log);
    set(metrics, "root", dir.toFile());
    set(metrics, "rev", "HEAD");
    set(metrics, "md", true);
    set(metrics, "outputFile", out);
    metrics.execute(); // no failure: DVC exits 0
    assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN " + warning)), log.lines.toString());
    // what DVC prints on standard output: the old values against '-'
    assertEquals(stdout(dir, "metrics", "diff", "HEAD", "--md"),
        Files.readString(out.toPath(), StandardCharsets.UTF_8));

    File params = tmp.resolve("out/params.json").toFile();
    ParamsMojo p = new ParamsMojo();
    MavenLogLines plog = new MavenLogLines();
    p.setLog(plog);
    set(p, "root", dir.toFile());
    set(p, "rev", "HEAD");
    set(p, "json", true);
    set(p, "outputFile", params);
    p.execute();
    assertTrue(plog.lines.stream().anyMatch(l -> l.startsWith(
        "WARN failed to load params in revision 'workspace', './dvc.yaml' validation failed")), plog.lines.toString());
    // DVC orders the keys of a params diff by Python's randomised string hashes (a set): compare the values
    String dvcJson = stdout(dir, "params", "diff", "HEAD", "--json");
    String ours = Files.readString(params.toPath(), StandardCharsets.UTF_8);
    assertEquals(dvcJson.length(), ours.length(), "DVC: " + dvcJson + "ours: " + ours);
    assertEquals(json(dvcJson), json(ours), "DVC: " + dvcJson + "ours: " + ours);

    // the pipeline itself is needed by status: that still fails, naming the file
    StatusMojo status = new StatusMojo();
    set(status, "root", dir.toFile());
    MojoFailureException e = assertThrows(MojoFailureException.class, status::execute);
    assertTrue(e.getMessage().contains("validation failed"), e.getMessage());
  }

  /** DVC's standard output alone (its warnings go to standard error). */
  private static Object json(String text) {
    return ParamsFile.parse(text.getBytes(StandardCharsets.UTF_8), Path.of("diff.json"));
  }

  private static String stdout(Path dir, String... args) {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("sh", "-c", "\"$0\" \"$@\" 2>/dev/null",
        DvcOracle.venv().resolve("bin/dvc").toString()));
    cmd.addAll(java.util.List.of(args));
    DvcOracle.Result r = DvcOracle.run(cmd, dir, 600);
    assertEquals(0, r.exitCode(), r.stdout());
    return r.stdout();
  }

  private static void set(Object target, String name, Object value) throws Exception {
    Fields.set(target, name, value);
  }
}
