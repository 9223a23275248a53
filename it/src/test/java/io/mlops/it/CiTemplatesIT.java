package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.BuildResult;
import io.mlops.harness.Experiment;
import io.mlops.harness.GcsServer;
import io.mlops.harness.ReproAssert;
import io.mlops.harness.RequiresDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The CI templates shipped with the example (examples/digits/.github/workflows/experiment.yml and
 * examples/digits/.gitlab-ci.yml) are parsed, checked for what the README promises (the key secret, the caches,
 * the full history the report needs, the report published), and their Maven commands are run as the job would run
 * them, on a pull request that changes {@code train.epochs}, in a clean container against the fake GCS remote.
 */
@RequiresDocker
class CiTemplatesIT {
  private static final String BUCKET = "mlops-ci";
  private static final String SECRET = "${{ secrets.GOOGLE_SERVICE_ACCOUNT_KEY }}";
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  @RegisterExtension static final GcsServer gcs = GcsServer.container();

  @TempDir Path work;

  @BeforeAll
  static void createBucket() {
    gcs.createBucket(BUCKET);
  }

  private static Path template(String rel) {
    return Path.of(System.getProperty("mlops.examples")).resolve("digits").resolve(rel);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    assertTrue(doc instanceof Map, file + " holds a mapping");
    return (Map<String, Object>) doc;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... keys) {
    Object n = node;
    for (String k : keys) {
      assertTrue(n instanceof Map<?, ?> m && m.containsKey(k), "no '" + k + "' in " + n);
      n = ((Map<String, Object>) n).get(k);
    }
    return (T) n;
  }

  /** The job's commands with the wrapper replaced by the runner's Maven and the plugin version under test. */
  private static String mavenPart(String command) {
    assertTrue(command.contains("./mvnw -B"), "commands use the project's Maven wrapper in batch mode: " + command);
    return command.replace("./mvnw", "mvn -ntp -Dmlops.version=" + System.getProperty("mlops.version"));
  }

  /** A pull request: main holds the pushed experiment, the checked-out branch changes train.epochs. */
  private Experiment pullRequest() {
    Experiment p = CleanReproductionIT.digitsPushedTo(gcs, BUCKET, "ci-" + PREFIXES.incrementAndGet(), work);
    p.git("branch", "-f", "main");
    p.git("checkout", "-q", "-B", "fewer-epochs");
    String params = p.read("params.yaml");
    String changed = params.replaceFirst("epochs: (\\d+)", "epochs: 7");
    assertTrue(!changed.equals(params), params);
    p.write("params.yaml", changed);
    p.commit("fewer epochs");
    return p;
  }

  private static void assertReported(BuildResult r, Path report) throws IOException {
    ReproAssert.assertThat(r).succeeded().skipped("prepare").ran("train", "evaluate");
    assertTrue(Files.isRegularFile(report), "the report is written: " + report);
    String md = Files.readString(report);
    assertTrue(md.contains("train.epochs") && md.contains("| 7 "), "the changed param is reported:\n" + md);
    assertTrue(md.contains("accuracy"), "the changed metrics are reported:\n" + md);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGithubWorkflowReproducesAndReportsAPullRequest() throws IOException {
    Map<String, Object> wf = yaml(template(".github/workflows/experiment.yml"));
    assertTrue(((Map<String, Object>) wf.get("on")).containsKey("pull_request"), "runs on pull requests");
    List<Map<String, Object>> steps = at(wf, "jobs", "reproduce", "steps");
    List<String> commands = new ArrayList<>();
    boolean fullHistory = false;
    boolean mavenCache = false;
    boolean dvcCache = false;
    boolean artifact = false;
    for (Map<String, Object> step : steps) {
      String uses = String.valueOf(step.getOrDefault("uses", ""));
      if (uses.startsWith("actions/checkout@")) {
        fullHistory = Integer.valueOf(0).equals(at(step, "with", "fetch-depth"));
      } else if (uses.startsWith("actions/setup-java@")) {
        mavenCache = "maven".equals(at(step, "with", "cache"));
      } else if (uses.startsWith("actions/cache@")) {
        dvcCache = String.valueOf((Object) at(step, "with", "path")).contains(".dvc/cache");
      } else if (uses.startsWith("actions/upload-artifact@")) {
        artifact = "target/mlops/report/".equals(at(step, "with", "path"));
      }
      if (step.containsKey("run")) {
        assertEquals(SECRET, at(step, "env", "GOOGLE_SERVICE_ACCOUNT_KEY"), "every Maven step gets the key: " + step);
        commands.add(mavenPart(((String) step.get("run")).replace("${{ github.base_ref }}", "main")));
      }
    }
    assertTrue(fullHistory && mavenCache && dvcCache && artifact,
        "checkout with full history, ~/.m2 and .dvc/cache cached, the report uploaded: " + steps);
    assertEquals(2, commands.size(), commands.toString());

    Experiment p = pullRequest();
    BuildResult r = p.cleanBuild()
        .withEnv("GITHUB_STEP_SUMMARY", "/work/project/target/step-summary.md")
        .runScript(String.join("\n", commands));
    assertReported(r, r.workspace().resolve("target/mlops/report/report.md"));
    String summary = Files.readString(r.workspace().resolve("target/step-summary.md"));
    assertTrue(summary.contains("train.epochs"), "the job summary holds the report:\n" + summary);
  }

  @Test
  void theGitlabJobReproducesAndReportsAMergeRequest() throws IOException {
    Map<String, Object> ci = yaml(template(".gitlab-ci.yml"));
    assertTrue(String.valueOf(ci.get("image")).startsWith("maven:3.9"), "a Maven 3.9 image: " + ci.get("image"));
    List<String> cached = at(ci, "cache", "paths");
    assertTrue(cached.contains(".m2/repository") && cached.contains(".dvc/cache"), cached.toString());
    String mavenOpts = at(ci, "variables", "MAVEN_OPTS");
    assertEquals("0", at(ci, "variables", "GIT_DEPTH"), "the report needs the target branch's history");
    List<String> paths = at(ci, "reproduce", "artifacts", "paths");
    assertTrue(paths.contains("target/mlops/report/"), paths.toString());
    List<String> script = at(ci, "reproduce", "script");
    List<String> commands = script.stream().map(CiTemplatesIT::mavenPart).toList();

    Experiment p = pullRequest();
    String projectDir = "/work/project";
    BuildResult r = p.cleanBuild()
        .withEnv("CI_PROJECT_DIR", projectDir)
        .withEnv("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
        .withEnv("MAVEN_OPTS", mavenOpts.replace("$CI_PROJECT_DIR", projectDir))
        .runScript(String.join("\n", commands));
    assertReported(r, r.workspace().resolve("target/mlops/report/report.md"));
    assertTrue(Files.isDirectory(r.workspace().resolve(".m2/repository")), "the job's cached local repository");
  }
}
