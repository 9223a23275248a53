package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.FaultProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: 64 parallel transfers through a server that answers 5 % of requests with 503 or drops the connection
 * (fake-gcs-server behind a fault-injecting proxy, seeded), and 50 independent stages reproduced 8 at a time.
 * Everything completes, nothing is lost or corrupted, and the retries are counted in the summary.
 */
class LoadTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path tmp;
  final CapturingLog log = new CapturingLog(false);

  @Test
  void pushAndPullWith64JobsThroughAServerFailingFivePercentOfRequests() throws IOException {
    Path root = tmp.resolve("repo");
    Mlops.init(root, true, log);
    Random rnd = new Random(5);
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 0; i < 1500; i++) {
      byte[] b = new byte[10 + rnd.nextInt(4000)];
      rnd.nextBytes(b);
      files.put("data/part-" + (i % 16) + "/f" + i + ".bin", b);
    }
    for (int i = 0; i < 3; i++) {
      byte[] b = new byte[400_000];
      rnd.nextBytes(b);
      files.put("data/big" + i + ".bin", b);
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    String bucket = GcsTesting.uniqueBucket("load");
    gcs.createBucket(bucket);
    Map<String, String> env = GcsTesting.env(tmp.resolve("home"));
    MlopsOptions options = MlopsOptions.defaults().env(env).transferJobs(64);
    try (Mlops m = Mlops.open(root, options, log)) {
      m.add(List.of("data"));
    }
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint())) {
      Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
          + "['remote \"store\"']\n    url = gs://" + bucket + "/p\n    endpointurl = " + proxy.endpoint() + "\n");
      proxy.failRandomly(0.05, 17);

      TransferSummary pushed;
      try (Mlops m = Mlops.open(root, options, log)) {
        pushed = m.push(TransferOptions.defaults());
      }
      int objects = files.size() + 1; // and the .dir manifest
      assertEquals(objects, pushed.transferred(), pushed.toString());
      assertTrue(pushed.failed().isEmpty(), pushed.failed().toString());
      int injectedOnPush = proxy.resets() + proxy.random503s();
      System.out.printf("load push: %d objects, %d requests, %d injected (%d resets, %d 503s), %d retried%n",
          objects, proxy.seen().size(), injectedOnPush, proxy.resets(), proxy.random503s(), pushed.retries());
      assertTrue(injectedOnPush > 10, "the proxy did fail requests: " + injectedOnPush);
      assertTrue(pushed.retries() > 0, pushed.toString());

      // every object on the server has the bytes its name says
      int blobs = 0;
      for (Blob b : gcs.storage().list(bucket).iterateAll()) {
        String md5 = b.getName().replaceFirst("^p/files/md5/", "").replace("/", "").replace(".dir", "");
        assertEquals(md5, FileHasher.md5Hex(b.getContent()), b.getName());
        blobs++;
      }
      assertEquals(objects, blobs);

      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      PathUtil.deleteRecursively(root.resolve("data"));
      proxy.clearSeen();
      int before = proxy.resets() + proxy.random503s();
      TransferSummary pulled;
      try (Mlops m = Mlops.open(root, options, log)) {
        pulled = m.pull(TransferOptions.defaults());
      }
      int injectedOnPull = proxy.resets() + proxy.random503s() - before;
      System.out.printf("load pull: %d objects, %d requests, %d injected, %d retried%n",
          objects, proxy.seen().size(), injectedOnPull, pulled.retries());
      assertTrue(pulled.failed().isEmpty(), pulled.failed().toString());
      assertEquals(objects, pulled.transferred(), pulled.toString());
      assertTrue(pulled.retries() > 0, pulled.toString());
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      assertEquals(FileHasher.md5Hex(e.getValue()), FileHasher.md5(root.resolve(e.getKey())), e.getKey());
    }
    try (Stream<Path> s = Files.walk(root)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file is left");
    }
  }

  @Test
  void fiftyIndependentStagesReproducedEightAtATime() throws IOException {
    Path root = tmp.resolve("stages");
    Mlops.init(root, true, log);
    StringBuilder yaml = new StringBuilder("stages:\n");
    for (int i = 0; i < 50; i++) {
      Files.writeString(root.resolve("in" + i + ".txt"), "input " + i + "\n");
      yaml.append("  s").append(i).append(":\n    cmd: sleep 0.1 && cat in").append(i).append(".txt in")
          .append(i).append(".txt > out").append(i).append(".txt\n    deps: [in").append(i)
          .append(".txt]\n    outs: [out").append(i).append(".txt]\n");
    }
    Files.writeString(root.resolve("dvc.yaml"), yaml.toString());
    MlopsOptions options = MlopsOptions.defaults().stageJobs(8);
    ReproResult r;
    try (Mlops m = Mlops.open(root, options, log)) {
      r = m.repro(ReproOptions.defaults());
    }
    assertFalse(r.failed(), r.toString());
    assertEquals(50, r.stages().stream().filter(s -> s.outcome() == ReproResult.Outcome.RAN).count(), r.toString());
    String lock = Files.readString(root.resolve("dvc.lock"), StandardCharsets.UTF_8);
    for (int i = 0; i < 50; i++) {
      assertEquals("input " + i + "\ninput " + i + "\n", Files.readString(root.resolve("out" + i + ".txt")));
      assertTrue(lock.contains("  s" + i + ":\n"), "s" + i + " is in the lock");
    }
    // all recorded, nothing left to do
    try (Mlops m = Mlops.open(root, options, log)) {
      assertTrue(m.status(List.of()).changed().isEmpty());
      ReproResult again = m.repro(ReproOptions.defaults());
      assertEquals(0, again.stages().stream().filter(s -> s.outcome() == ReproResult.Outcome.RAN).count());
    }
  }
}
