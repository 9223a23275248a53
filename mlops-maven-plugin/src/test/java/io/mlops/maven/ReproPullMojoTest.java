package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.Fields;
import io.mlops.testing.Trees;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn mlops:repro -Dmlops.pull=true} ({@code dvc repro --pull}) on a fresh clone against a gs:// remote:
 * everything on the remote is pulled and every stage is skipped; an output missing from the remote is no error,
 * its stage runs again and gives the same bytes.
 */
class ReproPullMojoTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path base;
  @TempDir Path tmp;

  /** A pushed workspace: data/ tracked, two chained stages; returns the bucket. */
  private String pushedWorkspace() throws Exception {
    String bucket = GcsTesting.uniqueBucket("repro-pull");
    gcs.createBucket(bucket);
    CapturingLog log = new CapturingLog(false);
    Repo.init(base, true, log);
    // anonymous by configuration: no credential of the machine running the tests is looked up
    Files.writeString(base.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = gs://" + bucket + "/p\n    endpointurl = " + gcs.endpoint() + "\n"
        + "    allow_anonymous_login = true\n");
    Files.createDirectories(base.resolve("data"));
    Files.writeString(base.resolve("data/a.txt"), "3\n1\n2\n");
    Files.writeString(base.resolve("dvc.yaml"), "stages:\n"
        + "  sort:\n    cmd: sort data/a.txt > sorted.txt\n    deps: [data]\n    outs: [sorted.txt]\n"
        + "  count:\n    cmd: wc -l < sorted.txt > count.txt\n    deps: [sorted.txt]\n    outs: [count.txt]\n");
    Map<String, String> env = GcsTesting.env(tmp.resolve("home"));
    try (Repo repo = Repo.open(base, log, env, 1)) {
      new Workspace(repo).add(List.of("data"));
    }
    try (Repo repo = Repo.open(base, log, env, 1)) {
      new Reproducer(repo, Index.load(repo), env).run(ReproRequest.defaults());
      assertEquals(4, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false)).transferred()); // a.txt, its .dir, two outputs
    }
    return bucket;
  }

  private Path freshClone(String name) {
    Path fresh = tmp.resolve(name);
    Trees.copy(base, fresh);
    for (String p : List.of(".dvc/cache", ".dvc/tmp", "data", "sorted.txt", "count.txt")) {
      PathUtil.deleteRecursively(fresh.resolve(p));
    }
    return fresh;
  }

  private static Map<String, String> outcomes(Path reproJson) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode s : new ObjectMapper().readTree(reproJson.toFile()).get("stages")) {
      out.put(s.get("stage").asText(), s.get("outcome").asText());
    }
    return out;
  }

  private static void reproWithPull(Path root, File report) throws Exception {
    ReproMojo mojo = new ReproMojo();
    Fields.set(mojo, "root", root.toFile());
    Fields.set(mojo, "pull", true);
    Fields.set(mojo, "jobs", 1);
    Fields.set(mojo, "report", report);
    mojo.execute();
  }

  @Test
  void aFreshCloneSkipsEveryStage() throws Exception {
    pushedWorkspace();
    Path fresh = freshClone("fresh");
    Path report = tmp.resolve("repro.json");
    reproWithPull(fresh, report.toFile());
    assertEquals(Map.of("count", "skipped", "data.dvc", "skipped", "sort", "skipped"), outcomes(report));
    assertEquals("1\n2\n3\n", Files.readString(fresh.resolve("sorted.txt")));
    assertEquals(FileHasher.md5(base.resolve("count.txt")), FileHasher.md5(fresh.resolve("count.txt")));
  }

  @Test
  void runsPushedWithTheirRunCacheAreRestoredWithoutTheLock() throws Exception {
    pushedWorkspace();
    try (Repo repo = Repo.open(base, new CapturingLog(false), GcsTesting.env(tmp.resolve("home")), 1)) {
      // 2 run-cache entries; their outputs are already on the remote
      assertEquals(2, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false, true)).transferred());
    }
    Path fresh = freshClone("nolock");
    Files.delete(fresh.resolve("dvc.lock"));
    Path report = tmp.resolve("repro.json");
    reproWithPull(fresh, report.toFile());
    assertEquals(Map.of("count", "restored", "data.dvc", "skipped", "sort", "restored"), outcomes(report));
    assertEquals(Files.readString(base.resolve("dvc.lock")), Files.readString(fresh.resolve("dvc.lock")),
        "the lock rebuilt from the recorded runs");
  }

  @Test
  void anOutputMissingFromTheRemoteIsRecomputed() throws Exception {
    String bucket = pushedWorkspace();
    String md5 = FileHasher.md5(base.resolve("count.txt"));
    assertTrue(gcs.storage().delete(BlobId.of(bucket, "p/files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2))));
    Path fresh = freshClone("partial");
    Path report = tmp.resolve("repro.json");
    reproWithPull(fresh, report.toFile());
    assertEquals(Map.of("count", "ran", "data.dvc", "skipped", "sort", "skipped"), outcomes(report));
    assertEquals(md5, FileHasher.md5(fresh.resolve("count.txt")), "the same bytes again");
  }
}
