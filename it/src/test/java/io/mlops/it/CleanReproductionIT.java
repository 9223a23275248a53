package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import io.mlops.harness.BuildResult;
import io.mlops.harness.Experiment;
import io.mlops.harness.GcsServer;
import io.mlops.harness.ReproAssert;
import io.mlops.harness.RequiresDocker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of "A guide to MLOps", chapter 2.3, proven: the digits experiment, pushed to a GCS bucket
 * (fake-gcs-server in a container), reproduces in a clean container that gets nothing but a fresh clone, the
 * staged plugin and the bucket's endpoint.
 */
@RequiresDocker
class CleanReproductionIT {
  private static final String BUCKET = "mlops-it";
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  @RegisterExtension static final GcsServer gcs = GcsServer.container();

  @TempDir Path work;

  @BeforeAll
  static void createBucket() {
    gcs.createBucket(BUCKET);
  }

  /** The digits example on this machine, its remote moved to the fake bucket, pushed and committed. */
  private Experiment pushedToGcs() {
    return digitsPushedTo(gcs, BUCKET, "digits-" + PREFIXES.incrementAndGet(), work);
  }

  /**
   * The guide's workflow through the harness: the digits example reproduced on this machine (its data from the
   * embedded local remote), its remote moved to {@code gs://bucket/prefix} on the fake server, pushed there with
   * {@code mlops:push}, committed.
   */
  static Experiment digitsPushedTo(GcsServer gcs, String bucket, String prefix, Path work) {
    Path digits = Path.of(System.getProperty("mlops.examples")).resolve("digits");
    Experiment exp = Experiment.copyOf(digits, work, "../digits-remote");
    exp.mvn("verify");
    return exp.withRemote(gcs.emulator(), bucket, prefix).push();
  }

  private static BuildResult cleanBuild(Experiment p, String... mavenArgs) {
    List<String> args = new java.util.ArrayList<>(List.of("-B", "-ntp",
        "-Dmlops.version=" + System.getProperty("mlops.version")));
    args.addAll(List.of(mavenArgs));
    return p.cleanBuild().run(args.toArray(String[]::new));
  }

  @Test
  void aCleanMachinePullsAndSkipsEveryStage() throws java.io.IOException {
    Experiment p = pushedToGcs();
    BuildResult r = cleanBuild(p, "verify");
    ReproAssert.assertThat(r).succeeded()
        .everyStageSkipped()
        .fileEquals("evaluation/metrics.json", p.read("evaluation/metrics.json"))
        .fileEquals("dvc.lock", p.read("dvc.lock"));
  }

  @Test
  void aChangedEpochCountRerunsTrainAndEvaluateOnly() throws java.io.IOException {
    Experiment p = pushedToGcs();
    String params = p.read("params.yaml");
    String changed = params.replaceFirst("epochs: (\\d+)", "epochs: 7");
    assertTrue(!changed.equals(params), params);
    p.write("params.yaml", changed);
    p.commit("fewer epochs");
    BuildResult r = cleanBuild(p, "verify");
    ReproAssert.assertThat(r).succeeded().skipped("prepare").ran("train", "evaluate");
    assertTrue(r.read("dvc.lock").contains("epochs: 7"), r.read("dvc.lock"));
  }

  @Test
  void aForcedRecomputeGivesEveryCommittedHashBitForBit() throws java.io.IOException {
    Experiment p = pushedToGcs();
    BuildResult r = cleanBuild(p, "-Dmlops.force=true", "verify");
    ReproAssert.assertThat(r).succeeded()
        .ran("prepare", "train", "evaluate")
        .outputsMatchLock(p.read("dvc.lock"))
        .fileEquals("evaluation/metrics.json", p.read("evaluation/metrics.json"));
  }

  @Test
  void aProjectMadeAndPushedByRealDvcReproducesWithEveryStageSkipped() throws java.io.IOException {
    MavenProject p = MavenProject.cloneExample("quickstart", work);
    // a DVC user's repository from the start: the raw data, then no lock, no .dvc file, no cache
    p.dvc("pull", "data/raw.dvc");
    for (String f : List.of("dvc.lock", "data/raw.dvc", ".dvc/cache", "data/prepared", "model", "evaluation")) {
      p.delete(f);
    }
    String prefix = "dvc-made-" + PREFIXES.incrementAndGet();
    p.dvc("remote", "add", "-d", "-f", "bucket", "gs://" + BUCKET + "/" + prefix);
    p.dvc("remote", "modify", "bucket", "endpointurl", gcs.endpoint());
    p.dvc("remote", "modify", "bucket", "allow_anonymous_login", "true");
    p.dvc("add", "data/raw");
    String repro = p.dvc("repro");
    assertTrue(repro.contains("Running stage 'evaluate'"), repro);
    String push = p.dvc("push");
    assertTrue(push.matches("(?s).*\\d+ files? pushed.*"), push);
    p.commit("made, reproduced and pushed by DVC");

    BuildResult r = cleanBuild(Experiment.at(p.dir()), "verify"); // the endpoint is in the committed config
    ReproAssert.assertThat(r).succeeded()
        .everyStageSkipped()
        .outputsMatchLock(p.read("dvc.lock"))
        .fileEquals("dvc.lock", p.read("dvc.lock"))
        .fileEquals("evaluation/metrics.json", p.read("evaluation/metrics.json"));
  }

  @Test
  void anIncompleteRemoteFailsTheCleanBuildNamingTheMissingObject() throws java.io.IOException {
    Experiment p = pushedToGcs();
    String raw = p.read("data/raw.dvc");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("md5: ([0-9a-f]{32}\\.dir)").matcher(raw);
    assertTrue(m.find(), raw);
    String prefix = p.read(".dvc/config").replaceAll("(?s).*gs://" + BUCKET + "/(\\S+).*", "$1");
    String key = prefix + "/files/md5/" + m.group(1).substring(0, 2) + "/" + m.group(1).substring(2);
    assertTrue(gcs.storage().delete(BlobId.of(BUCKET, key)), "deleted " + key);
    BuildResult r = cleanBuild(p, "verify");
    ReproAssert.assertThat(r).failedWith(key).logContains("data/raw");
  }
}
