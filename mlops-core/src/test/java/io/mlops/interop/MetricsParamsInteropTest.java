package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.json.PyJson;
import io.mlops.internal.metrics.MetricsParams.Format;
import io.mlops.internal.metrics.MetricsParams.Options;
import io.mlops.internal.metrics.MetricsParams;
import io.mlops.internal.pipeline.ParamsFile;
import io.mlops.internal.rev.RevisionFiles;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics show/diff} and {@code params diff} against real DVC 3.67.1 on small Git repositories: a baseline
 * commit, then a changed workspace (and branches), compared byte for byte in the plain, Markdown and JSON forms.
 */
class MetricsParamsInteropTest {
  @TempDir Path tmp;

  private static final String DVC_YAML = """
      stages:
        train:
          cmd: python -c "print(1)"
          params:
          - lr
          - model
          - config.toml:
          metrics:
          - metrics.json:
              cache: true
          - summary.yaml:
              cache: false
      metrics:
      - extra.json
      params:
      - extra_params.json
      """;

  private static Map<String, String> baseline() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("dvc.yaml", DVC_YAML);
    f.put("params.yaml", """
        lr: 0.001
        epochs: 10
        model:
          name: sgd
          layers: [1, 2, 3]
          dropout: 0.123456789012345
          deep: {a: {b: 1}}
        flag: true
        gone: 1
        nothing: null
        big: 123456789012345678901234567890
        """);
    f.put("config.toml", "[train]\nbatch = 32\nrate = 1e-7\nlabel = \"base\"\n");
    f.put("metrics.json", "{\"acc\": 0.912345678, \"loss\": 0.25, \"nested\": {\"f1\": 0.5, \"count\": 3},"
        + " \"name\": \"x\", \"list\": [1, 2], \"ok\": true, \"tiny\": 1.23456789e-7, \"huge\": 12345678901234.567}");
    f.put("summary.yaml", "auc: 0.7\nsteps: 100\n");
    f.put("extra.json", "{\"other\": 1.5}");
    f.put("extra_params.json", "{\"seed\": 42, \"opt\": {\"beta\": 0.9}}");
    return f;
  }

  private static Map<String, String> changed() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("params.yaml", """
        lr: 0.0001
        epochs: 10.0
        model:
          name: adam
          layers: [1, 2]
          dropout: 0.123456789012345
          deep: {a: {b: 2, c: x}}
        flag: 1
        added: "hello wörld 日本"
        nothing: null
        big: 123456789012345678901234567891
        """);
    f.put("config.toml", "[train]\nbatch = 64\nrate = 2.5e-7\nlabel = \"base\"\n");
    f.put("metrics.json", "{\"acc\": 0.9523456789, \"loss\": 0.125, \"nested\": {\"f1\": 0.5, \"count\": 5, \"new\": 7},"
        + " \"name\": \"y\", \"ok\": false, \"tiny\": 2.5e-7, \"huge\": 12345678901234.5}");
    f.put("summary.yaml", "auc: 0.7\n");
    return f;
  }

  /** git init + dvc init, the baseline committed (metrics.json in the cache, gitignored), then the changes. */
  private Path repo() {
    Path dir = Workspaces.initRepo(tmp.resolve("repo"));
    Workspaces.write(dir, baseline());
    DvcOracle.dvc(dir, "commit", "-f", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "baseline");
    git(dir, "branch", "-M", "main");
    Workspaces.write(dir, changed());
    return dir;
  }

  @Test
  void paramsDiffAgainstHeadMatchesDvc() {
    Path dir = repo();
    for (boolean all : new boolean[] {false, true}) {
      String[] flag = all ? new String[] {"--all"} : new String[0];
      Options opts = new Options(all, false, null, false);
      assertSameRows(dvc(dir, concat(new String[] {"params", "diff"}, flag)),
          engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.PLAIN), 1);
      assertSameRows(dvc(dir, concat(new String[] {"params", "diff", "HEAD", "--md"}, flag)),
          engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
      assertSameJson(dvc(dir, concat(new String[] {"params", "diff", "--json"}, flag)),
          engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.JSON));
    }
    Options deps = new Options(false, true, null, true);
    assertSameRows(dvc(dir, "params", "diff", "--deps", "--no-path", "--md"),
        engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, deps), Format.MD), 2);
  }

  @Test
  void metricsDiffAgainstHeadMatchesDvcWithTheOldValuesFromTheCache() {
    Path dir = repo();
    for (boolean all : new boolean[] {false, true}) {
      String[] flag = all ? new String[] {"--all"} : new String[0];
      Options opts = new Options(all, false, null, false);
      assertSameRows(dvc(dir, concat(new String[] {"metrics", "diff"}, flag)),
          engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.PLAIN), 1);
      assertSameRows(dvc(dir, concat(new String[] {"metrics", "diff", "HEAD", "--md"}, flag)),
          engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
      assertSameJson(dvc(dir, concat(new String[] {"metrics", "diff", "--json"}, flag)),
          engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.JSON));
    }
    Options p2 = new Options(true, true, 2, false);
    assertSameRows(dvc(dir, "metrics", "diff", "--all", "--no-path", "--precision", "2", "--md"),
        engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, p2), Format.MD), 2);
    Options p9 = new Options(false, false, 9, false);
    assertSameRows(dvc(dir, "metrics", "diff", "--precision", "9"),
        engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, p9), Format.PLAIN), 1);
  }

  @Test
  void metricsShowMatchesDvcByteForByte() {
    Path dir = repo();
    Options opts = Options.defaults();
    assertEquals(dvc(dir, "metrics", "show"),
        engine(dir, f -> MetricsParams.showMetrics(f, opts), Format.PLAIN));
    assertEquals(dvc(dir, "metrics", "show", "--md"),
        engine(dir, f -> MetricsParams.showMetrics(f, opts), Format.MD));
    assertEquals(dvc(dir, "metrics", "show", "--json"),
        engine(dir, f -> MetricsParams.showMetrics(f, opts), Format.JSON));
    Options p3 = new Options(false, false, 3, false);
    assertEquals(dvc(dir, "metrics", "show", "--precision", "3", "--md"),
        engine(dir, f -> MetricsParams.showMetrics(f, p3), Format.MD));
  }

  @Test
  void paramsShowMatchesDvcsMetricsTableOfParams() {
    Path dir = repo();
    String expected = DvcOracle.python(dir,
        "from dvc.repo import Repo\nfrom dvc.compare import show_metrics\n"
            + "show_metrics(Repo('.').params.show(), markdown=True)\n");
    assertEquals(expected, engine(dir, f -> MetricsParams.showParams(f, Options.defaults()), Format.MD));
  }

  @Test
  void diffAgainstABranchNamesItInTheHeader() {
    Path dir = repo();
    git(dir, "checkout", "-q", "-b", "exp");
    DvcOracle.dvc(dir, "commit", "-f", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "experiment");
    Workspaces.write(dir, Map.of("params.yaml", "lr: 0.5\nepochs: 3\n",
        "metrics.json", "{\"acc\": 0.1, \"loss\": 3}"));
    Options opts = Options.defaults();
    String ours = engine(dir, f -> MetricsParams.diffParams(f, "main", RevisionFiles.WORKSPACE, opts), Format.MD);
    assertTrue(ours.startsWith("| Path "), ours);
    assertTrue(ours.lines().findFirst().orElseThrow().contains("| main "), ours);
    assertSameRows(dvc(dir, "params", "diff", "main", "--md"), ours, 2);
    assertSameRows(dvc(dir, "params", "diff", "main", "exp"),
        engine(dir, f -> MetricsParams.diffParams(f, "main", "exp", opts), Format.PLAIN), 1);
    assertSameRows(dvc(dir, "metrics", "diff", "main", "--md"),
        engine(dir, f -> MetricsParams.diffMetrics(f, "main", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
    assertSameRows(dvc(dir, "metrics", "diff", "HEAD~1", "HEAD", "--all"),
        engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD~1", "HEAD", new Options(true, false, null, false)),
            Format.PLAIN), 1);
  }

  @Test
  void oldValuesOfACachedMetricComeFromTheRemoteWhenTheCacheLacksThem() throws Exception {
    Path dir = repo();
    Path remote = tmp.resolve("remote");
    DvcOracle.dvc(dir, "remote", "add", "-d", "store", remote.toString());
    DvcOracle.dvc(dir, "push", "-q");
    git(dir, "add", ".dvc/config");
    git(dir, "commit", "-q", "-m", "remote");
    PathUtil.deleteRecursively(dir.resolve(".dvc/cache"));
    Options opts = Options.defaults();
    String expected = dvc(dir, "metrics", "diff", "--md");
    assertTrue(expected.contains("0.91235"), expected);
    assertSameRows(expected,
        engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
  }

  @Test
  void filesOfATrackedDirectoryAtARevisionAndTopLevelMetricsDirectories() throws Exception {
    Path dir = Workspaces.initRepo(tmp.resolve("dirs"));
    Workspaces.write(dir, Map.of(
        "dvc.yaml", "stages:\n  eval:\n    cmd: echo\n    outs:\n    - eval\nmetrics:\n- eval\n",
        "eval/a.json", "{\"x\": 1, \"y\": {\"z\": 0.5}}",
        "eval/sub/b.yaml", "k: v\nn: 2\n",
        "eval/plot.csv", "step,loss\n1,0.5\n"));
    DvcOracle.dvc(dir, "commit", "-f", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "eval");
    Workspaces.write(dir, Map.of("eval/a.json", "{\"x\": 2, \"y\": {\"z\": 0.25}}"));
    Files.delete(dir.resolve("eval/plot.csv"));
    Options opts = Options.defaults();
    String expected = dvc(dir, "metrics", "diff", "--all", "--md");
    assertSameRows(expected, engine(dir,
        f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, new Options(true, false, null, false)),
        Format.MD), 2);
    try (Repo r = Repo.open(dir, new CapturingLog(false)); RevisionFiles files = RevisionFiles.open(r)) {
      assertEquals(List.of("eval/a.json", "eval/plot.csv", "eval/sub/b.yaml"), files.list("HEAD", "eval"));
      assertEquals("step,loss\n1,0.5\n",
          new String(files.read("HEAD", "eval/plot.csv").orElseThrow(), StandardCharsets.UTF_8));
      assertEquals("{\"x\": 1, \"y\": {\"z\": 0.5}}",
          new String(files.read("HEAD", "eval/a.json").orElseThrow(), StandardCharsets.UTF_8));
      // the workspace lost it, but the workspace's dvc.lock still records it: DVC reads it from the cache
      assertTrue(files.read(RevisionFiles.WORKSPACE, "eval/plot.csv").isPresent());
      assertTrue(files.isDirectory("HEAD", "eval/sub"));
      assertFalse(files.read("HEAD", "eval/none.json").isPresent());
      assertEquals("stages:\n  eval:\n    cmd: echo\n    outs:\n    - eval\nmetrics:\n- eval\n",
          new String(files.read("HEAD", "dvc.yaml").orElseThrow(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRepositoryInASubdirectoryOfTheGitWorkTree() {
    Path top = tmp.resolve("top");
    DvcOracle.Result init = DvcOracle.run(List.of("git", "init", "-q", top.toString()), tmp, 60);
    assertEquals(0, init.exitCode(), init.stdout());
    Path dir = top.resolve("project");
    Workspaces.write(dir, baseline());
    DvcOracle.dvc(dir, "init", "--subdir", "-q");
    DvcOracle.dvc(dir, "commit", "-f", "-q");
    git(top, "add", "-A");
    git(top, "commit", "-q", "-m", "baseline");
    Workspaces.write(dir, changed());
    Options opts = Options.defaults();
    assertSameRows(dvc(dir, "params", "diff", "--md"),
        engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
    assertSameRows(dvc(dir, "metrics", "diff", "--md"),
        engine(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD), 2);
  }

  @Test
  void anUnknownRevisionIsAnErrorNamingIt() {
    Path dir = repo();
    DvcOracle.Result dvc = DvcOracle.dvcAllowFailure(dir, "metrics", "diff", "nosuch");
    assertTrue(dvc.stdout().contains("unknown Git revision 'nosuch'"), dvc.stdout());
    try (Repo r = Repo.open(dir, new CapturingLog(false)); RevisionFiles files = RevisionFiles.open(r)) {
      MlopsException e = assertThrows(MlopsException.class,
          () -> MetricsParams.diffMetrics(files, "nosuch", RevisionFiles.WORKSPACE, Options.defaults()));
      assertTrue(e.getMessage().startsWith("unknown Git revision 'nosuch'"), e.getMessage());
      assertTrue(e.getMessage().contains("git branch"), e.getMessage());
    }
  }

  @Test
  void noChangesPrintNothingPlainAndAnEmptyTableInMarkdown() {
    Path dir = repo();
    git(dir, "checkout", "--", "params.yaml", "config.toml", "summary.yaml");
    Workspaces.write(dir, Map.of("params.yaml", baseline().get("params.yaml")));
    Options opts = Options.defaults();
    assertEquals(dvc(dir, "params", "diff"),
        engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.PLAIN));
    assertEquals(dvc(dir, "params", "diff", "--md"),
        engine(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), Format.MD));
  }

  /** A DVC 2 {@code live:} section: DVC 3's schema rejects it. */
  private static final String LIVE = "live:\n  dvclive:\n    summary: true\n";

  @Test
  void anInvalidDvcYamlInTheWorkspaceIsAWarningAsInDvc() {
    Path dir = repo();
    Workspaces.write(dir, Map.of("dvc.yaml", DVC_YAML + LIVE));
    Options opts = Options.defaults();
    // DVC names the workspace '' in show (its brancher does) and 'workspace' in a diff
    assertSameAsDvc(dir, f -> MetricsParams.showMetrics(f, opts), 0, "metrics", "show");
    assertSameAsDvc(dir, f -> MetricsParams.showMetrics(f, opts), 0, "metrics", "show", "--md");
    assertSameAsDvc(dir, f -> MetricsParams.showMetrics(f, opts), 0, "metrics", "show", "--json");
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), 1,
        "metrics", "diff");
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), 2,
        "metrics", "diff", "--md");
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), -1,
        "metrics", "diff", "--json");
    assertSameAsDvc(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), 1,
        "params", "diff");
    assertSameAsDvc(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), -1,
        "params", "diff", "--json");
    // DVC's API (it has no `params show` command) warns the same way and shows an empty table
    String expected = DvcOracle.python(dir,
        "from dvc.repo import Repo\nfrom dvc.compare import show_metrics\n"
            + "show_metrics(Repo('.').params.show(), markdown=True)\n");
    assertTrue(expected.contains("WARNING: failed to load params in revision '', './dvc.yaml' validation failed\n"),
        expected);
    CapturingLog log = new CapturingLog(false);
    assertEquals(expected.replaceAll("(?m)^WARNING: .*\n", ""),
        engine(dir, log, f -> MetricsParams.showParams(f, opts), Format.MD));
    assertEquals(List.of("failed to load params in revision '', './dvc.yaml' validation failed"), warnings(log));
  }

  @Test
  void aYamlSyntaxErrorAtTheBaselineRevisionIsAWarningAsInDvc() {
    Path dir = repo();
    Workspaces.write(dir, Map.of("sub/dvc.yaml", "stages:\n  s:\n    cmd: echo\n   x: [\n"));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "broken");
    PathUtil.deleteRecursively(dir.resolve("sub"));
    Options opts = Options.defaults();
    Options all = new Options(true, false, null, false);
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), 1,
        "metrics", "diff");
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, all), 2,
        "metrics", "diff", "--all", "--md");
    assertSameAsDvc(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), 2,
        "params", "diff", "--md");
    assertSameAsDvc(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), -1,
        "params", "diff", "--json");
    // the workspace itself is fine: no warning
    assertSameAsDvc(dir, f -> MetricsParams.showMetrics(f, opts), 0, "metrics", "show", "--json");
  }

  @Test
  void invalidAtBothRevisionsWarnsTwiceWorkspaceFirstAndShowsNothing() {
    Path dir = repo();
    Workspaces.write(dir, Map.of("dvc.yaml", DVC_YAML + LIVE));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "dvc 2");
    // two errors in another dvc.yaml: DVC counts them ("validation failed: 2 errors")
    Workspaces.write(dir, Map.of("dvc.yaml", DVC_YAML, "sub/dvc.yaml", "stages:\n  s:\n    cmd: echo\n    foo: 1\n"
        + "    bar: 2\n"));
    Options opts = Options.defaults();
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), 0,
        "metrics", "diff");
    assertSameAsDvc(dir, f -> MetricsParams.diffMetrics(f, "HEAD", RevisionFiles.WORKSPACE, opts), 2,
        "metrics", "diff", "--md");
    assertSameAsDvc(dir, f -> MetricsParams.diffParams(f, "HEAD", RevisionFiles.WORKSPACE, opts), -1,
        "params", "diff", "--json");
    assertSameAsDvc(dir, f -> MetricsParams.showMetrics(f, opts), 0, "metrics", "show", "--json");
  }

  /**
   * Our output equals DVC's standard output (rows compared as in {@link #assertSameRows} when {@code headerLines}
   * is positive, JSON as a value when -1, bytes when 0), DVC exits 0 as we do, and our warnings are DVC's WARNING
   * lines on standard error, in the same order (our detail lines after each aside).
   */
  private void assertSameAsDvc(Path dir, Function<RevisionFiles, MetricsParams.Result> cmd, int headerLines,
      String... args) {
    Path err = tmp.resolve("dvc-stderr.txt");
    List<String> sh = new ArrayList<>(List.of("sh", "-c", "\"$0\" \"$@\" 2>\"" + err + "\"",
        DvcOracle.venv().resolve("bin/dvc").toString()));
    sh.addAll(List.of(args));
    DvcOracle.Result r = DvcOracle.run(sh, dir, 600);
    String stderr;
    try {
      stderr = Files.readString(err);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(0, r.exitCode(), String.join(" ", args) + ":\n" + r.stdout() + stderr);
    List<String> dvcWarnings = stderr.lines().filter(l -> l.startsWith("WARNING: "))
        .map(l -> l.substring("WARNING: ".length())).toList();
    Format format = List.of(args).contains("--json") ? Format.JSON
        : List.of(args).contains("--md") ? Format.MD : Format.PLAIN;
    CapturingLog log = new CapturingLog(false);
    String ours = engine(dir, log, cmd, format);
    if (headerLines < 0) {
      assertSameJson(r.stdout(), ours);
    } else if (headerLines == 0) {
      assertEquals(r.stdout(), ours, String.join(" ", args));
    } else {
      assertSameRows(r.stdout(), ours, headerLines);
    }
    assertEquals(dvcWarnings, warnings(log), String.join(" ", args) + "\nDVC's stderr:\n" + stderr);
  }

  /** The first line of each warning (the rest is our detail: file, line, fix). */
  private static List<String> warnings(CapturingLog log) {
    return log.lines().stream().filter(l -> l.startsWith("WARN "))
        .map(l -> l.substring(5).lines().findFirst().orElse("")).toList();
  }

  // ---------------------------------------------------------------------------------------------------------

  private static String engine(Path dir, Function<RevisionFiles, MetricsParams.Result> cmd, Format format) {
    return engine(dir, new CapturingLog(false), cmd, format);
  }

  private static String engine(Path dir, CapturingLog log, Function<RevisionFiles, MetricsParams.Result> cmd,
      Format format) {
    try (Repo r = Repo.open(dir, log); RevisionFiles files = RevisionFiles.open(r)) {
      return cmd.apply(files).output(format);
    }
  }

  private static String dvc(Path dir, String... args) {
    return DvcOracle.dvc(dir, args).replaceAll("DVC failed to load some metrics for following revisions: '[^']*'\\.\n?",
        "");
  }

  private static void git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    DvcOracle.Result r = DvcOracle.run(cmd, dir, 120);
    assertEquals(0, r.exitCode(), "git " + String.join(" ", args) + ":\n" + r.stdout());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Same bytes, except that DVC orders the files of a diff by a Python set (different from run to run): the
   * header lines must be equal, the rows the same multiset, and ours sorted by path.
   */
  private static void assertSameRows(String dvc, String ours, int headerLines) {
    List<String> d = new ArrayList<>(dvc.lines().toList());
    List<String> o = new ArrayList<>(ours.lines().toList());
    assertEquals(d.size(), o.size(), "DVC:\n" + dvc + "\nours:\n" + ours);
    int h = Math.min(headerLines, d.size());
    assertEquals(d.subList(0, h), o.subList(0, h), "DVC:\n" + dvc + "\nours:\n" + ours);
    List<String> dr = new ArrayList<>(d.subList(h, d.size()));
    List<String> or = new ArrayList<>(o.subList(h, o.size()));
    List<String> sorted = new ArrayList<>(or);
    dr.sort(null);
    sorted.sort(null);
    assertEquals(dr, sorted, "DVC:\n" + dvc + "\nours:\n" + ours);
    assertEquals(dvc.endsWith("\n\n"), ours.endsWith("\n\n"));
    assertEquals(dvc.length(), ours.length(), "DVC:\n" + dvc + "\nours:\n" + ours);
  }

  /** The same JSON value (key order aside: DVC's follows Python sets), every number with the same repr. */
  private static void assertSameJson(String dvc, String ours) {
    assertTrue(ours.endsWith("\n") && !ours.endsWith("\n\n"));
    assertEquals(canonical(dvc), canonical(ours), "DVC:\n" + dvc + "\nours:\n" + ours);
  }

  private static String canonical(String json) {
    return PyJson.dumps(ParamsFile.parse(json.strip().getBytes(StandardCharsets.UTF_8), Path.of("out.json")));
  }
}
