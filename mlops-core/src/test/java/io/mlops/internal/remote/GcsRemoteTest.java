package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.mlops.api.MlopsException;
import io.mlops.api.ReproResult;
import io.mlops.api.TransferSummary;
import io.mlops.harness.GcsServer;
import io.mlops.harness.GcsTesting;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Index;
import io.mlops.internal.repro.ReproRequest;
import io.mlops.internal.repro.Reproducer;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.FaultProxy;
import io.mlops.testing.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * gs:// remotes through the engine against a real fake-gcs-server on 127.0.0.1: round trips, DVC's key layout,
 * retries of transient errors (through a fault-injecting proxy), and the errors for missing objects, missing
 * buckets, corrupt objects and refused permissions.
 */
class GcsRemoteTest {
  @RegisterExtension static final GcsServer gcs = new GcsServer();

  @TempDir Path root;
  @TempDir Path home;
  final CapturingLog log = new CapturingLog(false);
  final List<String> lines = log.lines();
  String bucket;
  Map<String, String> env;

  @BeforeEach
  void init() {
    Repo.init(root, true, log);
    bucket = GcsTesting.uniqueBucket("engine");
    gcs.createBucket(bucket);
    env = GcsTesting.env(home);
  }

  private void remoteConfig(String url, String endpoint) throws IOException {
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = " + url + "\n"
        + (endpoint == null ? "" : "    endpointurl = " + endpoint + "\n"));
  }

  private void write(String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private Repo open() {
    return Repo.open(root, log, env, 1);
  }

  private static Sync.Request req(int jobs) {
    return new Sync.Request(List.of(), null, jobs, false);
  }

  /** data/ (a directory with a 9 MiB file, so resumable uploads are used), model.bin and a stage output. */
  private void workspace() throws IOException {
    write("data/a.txt", "a\n");
    write("data/sub/b.txt", "b\n");
    byte[] big = new byte[9 << 20];
    new Random(42).nextBytes(big);
    Files.write(root.resolve("data/big.bin"), big);
    Files.write(root.resolve("model.bin"), new byte[] {0, 1, 2, (byte) 0xff});
    write("dvc.yaml", "stages:\n  cat:\n    cmd: cat data/a.txt data/sub/b.txt > all.txt\n    deps: [data]\n"
        + "    outs: [all.txt]\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("data", "model.bin"));
    }
    try (Repo repo = open()) {
      ReproResult r = new Reproducer(repo, Index.load(repo), env).run(ReproRequest.defaults());
      assertFalse(r.failed(), r.toString());
    }
  }

  private Set<String> bucketKeys() {
    Set<String> keys = new TreeSet<>();
    for (Blob b : gcs.storage().list(bucket).iterateAll()) {
      keys.add(b.getName());
    }
    return keys;
  }

  private Set<String> cacheKeys(String prefix) throws IOException {
    Set<String> keys = new TreeSet<>();
    Path files = root.resolve(".dvc/cache/files");
    try (Stream<Path> s = Files.walk(files)) {
      s.filter(Files::isRegularFile).forEach(p -> keys.add(prefix + "files/" + PathUtil.posix(files.relativize(p))));
    }
    return keys;
  }

  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = PathUtil.posix(root.relativize(p));
        // the run-cache is pushed only on request (dvc push --run-cache), like DVC
        if (!rel.startsWith(".dvc/tmp/") && !rel.startsWith(".dvc/cache/runs/")) {
          out.put(rel, FileHasher.md5(p));
        }
      }
    }
    return out;
  }

  private void wipeCacheAndOutputs() throws IOException {
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    PathUtil.deleteRecursively(root.resolve("data"));
    Files.delete(root.resolve("model.bin"));
    Files.delete(root.resolve("all.txt"));
  }

  private static String md5(String s) {
    return FileHasher.md5Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String objectKey(String md5) {
    return "files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2);
  }

  @Test
  void pushWipePullRestoresTheWorkspaceAndWritesDvcKeys() throws IOException {
    remoteConfig("gs://" + bucket + "/proj/dvcstore", gcs.endpoint());
    workspace();
    Map<String, String> before = snapshot();
    try (Repo repo = open()) {
      TransferSummary s = new Sync(repo).push(req(4));
      // a.txt, b.txt, big.bin, the .dir, model.bin, all.txt
      assertEquals(6, s.transferred(), s.toString());
      assertEquals(0, new Sync(repo).push(req(4)).transferred(), "second push uploads nothing");
    }
    assertEquals(cacheKeys("proj/dvcstore/"), bucketKeys(), "keys are exactly <path>/files/md5/xx/rest");
    byte[] stored = gcs.storage().readAllBytes(BlobId.of(bucket, "proj/dvcstore/" + objectKey(md5("a\n"))));
    assertArrayEquals("a\n".getBytes(StandardCharsets.UTF_8), stored);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG remote 'store': gs://" + bucket)
        && l.contains("anonymous (emulator endpoint)")), lines.toString());

    wipeCacheAndOutputs();
    try (Repo repo = open()) {
      TransferSummary s = new Sync(repo).pull(req(4), false);
      assertEquals(6, s.transferred(), s.toString());
    }
    assertEquals(before, snapshot(), "byte-identical workspace and cache");
    try (Repo repo = open()) {
      ReproResult again = new Reproducer(repo, Index.load(repo), env).run(ReproRequest.defaults());
      assertEquals(again.stages().size(), again.count(ReproResult.Outcome.SKIPPED), again.toString());
    }
  }

  @Test
  void listReturnsKeysRelativeToTheRemoteAcrossPages() throws IOException {
    Storage st = gcs.storage();
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < 1205; i++) {
      String key = String.format("files/md5/0%d/%030d", i % 3, i);
      st.create(BlobInfo.newBuilder(bucket, "root/" + key).build(), new byte[] {1});
      if (key.startsWith("files/md5/01")) {
        expected.add(key);
      }
    }
    st.create(BlobInfo.newBuilder(bucket, "other/files/md5/01/x").build(), new byte[] {1});
    try (GcsRemote r = GcsRemote.open("store", "gs://" + bucket + "/root/", Map.of("endpointurl", gcs.endpoint()),
        null, env, log)) {
      assertEquals("gs://" + bucket + "/root", r.url());
      assertEquals(expected, r.list("files/md5/01"));
      assertEquals(1205, r.list("files/md5/").size());
      assertEquals(Set.of(), r.list("files/md5/ff"));
    }
  }

  @Test
  void storageEmulatorHostIsTheEndpointWhenEndpointurlIsAbsent() throws IOException {
    remoteConfig("gs://" + bucket + "/p", null);
    env = GcsTesting.env(home, "STORAGE_EMULATOR_HOST", gcs.endpoint().replace("http://", ""));
    write("x.txt", "x\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("x.txt"));
      assertEquals(1, new Sync(repo).push(req(1)).transferred());
    }
    assertEquals(Set.of("p/" + objectKey(md5("x\n"))), bucketKeys());
  }

  @Test
  void everyRequestCarriesTheServiceAccountsTokenAndTheObjectsKeepTheirMd5() throws Exception {
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint()); TestKeys.TokenServer tokens = new TestKeys.TokenServer()) {
      TestKeys.Key key = TestKeys.serviceAccount(tokens.tokenUri());
      tokens.trust(key.publicKey());
      env = GcsTesting.env(home, "GOOGLE_SERVICE_ACCOUNT_KEY", key.base64());
      String prefix = "d\u00e4t\u00e4 & m\u00f6re/"; // escaped in the upload's JSON metadata, encoded in URLs
      remoteConfig("gs://" + bucket + "/" + prefix.substring(0, prefix.length() - 1), proxy.endpoint());
      write("data/a.txt", "a\n");
      write("data/q.txt", "q\n");
      byte[] binary = new byte[3 << 20];
      new Random(7).nextBytes(binary);
      Files.write(root.resolve("data/bin.dat"), binary);
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("data"));
        assertEquals(4, new Sync(repo).push(req(2)).transferred());
      }
      List<FaultProxy.Seen> uploads = proxy.seen().stream().filter(FaultProxy.uploads()).toList();
      assertEquals(4, uploads.size(), proxy.seen().toString());
      assertFalse(tokens.issued().isEmpty(), "the key was exchanged for a token");
      for (FaultProxy.Seen u : uploads) {
        assertTrue(u.authorization() != null && tokens.issued().contains(u.authorization().replace("Bearer ", "")),
            "each upload carries an issued token: " + u);
      }
      // the server stored each object under its DVC key with the md5 of its bytes (it checks the md5 we send)
      assertEquals(cacheKeys(prefix), bucketKeys());
      for (String k : cacheKeys(prefix)) {
        Blob b = gcs.storage().get(BlobId.of(bucket, k));
        assertTrue(b != null, k);
        byte[] cached = Files.readAllBytes(root.resolve(".dvc/cache/" + k.substring(prefix.length())));
        assertEquals(java.util.Base64.getEncoder().encodeToString(FileHasher.md5().digest(cached)), b.getMd5(), k);
        assertArrayEquals(cached, gcs.storage().readAllBytes(BlobId.of(bucket, k)), k);
      }
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      PathUtil.deleteRecursively(root.resolve("data"));
      proxy.clearSeen();
      try (Repo repo = open()) {
        assertEquals(4, new Sync(repo).pull(req(2), false).transferred());
      }
      assertArrayEquals(binary, Files.readAllBytes(root.resolve("data/bin.dat")));
      assertEquals("q\n", Files.readString(root.resolve("data/q.txt")));
      assertTrue(proxy.seen().stream().allMatch(r -> r.authorization() != null
          && r.authorization().startsWith("Bearer ")), proxy.seen().toString());
    }
  }

  @Test
  void aRefusedUploadNamesTheServersReason() {
    assertEquals("provided MD5 hash \"x\" doesn't match", GcsRemote.errorMessage(400,
        "{\"error\":{\"code\":400,\"message\":\"provided MD5 hash \\\"x\\\" doesn't match\"}}"
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals("Service Unavailable", GcsRemote.errorMessage(503, "Service Unavailable\n".getBytes()));
    assertEquals("HTTP 502", GcsRemote.errorMessage(502, new byte[0]));
  }

  @Test
  void transientErrorsAreRetriedOnPushAndPull() throws IOException {
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint())) {
      remoteConfig("gs://" + bucket + "/p", proxy.endpoint());
      write("data/a.txt", "a\n");
      write("data/b.txt", "b\n");
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("data"));
        proxy.failNext(2, 503, FaultProxy.uploads());
        assertEquals(3, new Sync(repo).push(req(1)).transferred());
        assertEquals(2, proxy.injected(), "the proxy answered 503 twice");
        long uploads = proxy.seen().stream().filter(FaultProxy.uploads()).count();
        assertEquals(5, uploads, "3 objects + 2 retried attempts: " + proxy.seen());
      }
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      PathUtil.deleteRecursively(root.resolve("data"));
      proxy.clearSeen();
      proxy.failNext(3, 429, FaultProxy.downloads());
      try (Repo repo = open()) {
        assertEquals(3, new Sync(repo).pull(req(1), false).transferred());
      }
      assertEquals(3, proxy.injected());
      assertEquals(6, proxy.seen().stream().filter(FaultProxy.downloads()).count(), proxy.seen().toString());
      assertEquals("a\n", Files.readString(root.resolve("data/a.txt")));
      assertEquals("b\n", Files.readString(root.resolve("data/b.txt")));
    }
  }

  @Test
  void aFailedResumableUploadIsRestartedOnce() throws IOException {
    Path file = root.resolve("big.bin");
    byte[] bytes = new byte[(1 << 20) + 123];
    new Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    GcsRemote.Settings small = new GcsRemote.Settings(5_000, 10_000, 256 << 10, 256 << 10);
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint());
        GcsRemote r = GcsRemote.open("store", "gs://" + bucket + "/p", Map.of("endpointurl", proxy.endpoint()), null,
            env, log, small)) {
      // the client streams the file in one PUT of a resumable session; that PUT fails once, the client does not
      // retry it (its recovery would query the session), Retry restarts the upload with a new session
      proxy.failNext(1, 503, s -> s.method().equals("PUT") && s.uri().startsWith("/upload/"));
      Retry.run(() -> {
        r.upload(file, "files/md5/aa/bb");
        return null;
      });
      assertEquals(1, proxy.injected(), proxy.seen().toString());
      long starts = proxy.seen().stream().filter(s -> s.method().equals("POST") && s.uri().startsWith("/upload/"))
          .count();
      assertEquals(2, starts, "one restarted resumable session: " + proxy.seen());
      assertEquals(2, proxy.seen().stream().filter(s -> s.method().equals("PUT")).count(), proxy.seen().toString());
    }
    assertArrayEquals(bytes, gcs.storage().readAllBytes(BlobId.of(bucket, "p/files/md5/aa/bb")));
  }

  @Test
  void aTimeoutIsTransient() throws IOException {
    gcs.storage().create(BlobInfo.newBuilder(bucket, "p/files/md5/aa/cc").build(), "slow".getBytes());
    GcsRemote.Settings quick = new GcsRemote.Settings(2_000, 500, 8 << 20, 8 << 20);
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint());
        GcsRemote r = GcsRemote.open("store", "gs://" + bucket + "/p", Map.of("endpointurl", proxy.endpoint()), null,
            env, log, quick)) {
      proxy.delayNext(1, Duration.ofMillis(2_000), FaultProxy.downloads());
      Path target = root.resolve("out");
      IOException first = assertThrows(IOException.class, () -> r.download("files/md5/aa/cc", target));
      assertInstanceOf(Retry.TransientException.class, first, first.toString());
      assertTrue(first.getMessage().contains("gs://" + bucket + "/p/files/md5/aa/cc"), first.getMessage());
      proxy.delayNext(1, Duration.ofMillis(2_000), FaultProxy.downloads());
      Retry.run(() -> {
        r.download("files/md5/aa/cc", target);
        return null;
      });
      assertEquals("slow", Files.readString(target));
      assertEquals(1, proxy.delayed());
      // the first attempt of each phase timed out; the retry of the second phase got through
      assertEquals(3, proxy.arrived().stream().filter(FaultProxy.downloads()).count(), proxy.arrived().toString());
    }
  }

  @Test
  void persistentServerErrorsFailAfterTheRetriesWithTheKeyNamed() throws IOException {
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint())) {
      remoteConfig("gs://" + bucket + "/p", proxy.endpoint());
      write("x.txt", "x\n");
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("x.txt"));
        proxy.failNext(100, 500, FaultProxy.uploads());
        MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(1)));
        assertEquals(Retry.ATTEMPTS, proxy.injected(), "our retries only: no client retries on top");
        assertTrue(e.getMessage().contains("1 object(s) failed to push"), e.getMessage());
        assertTrue(e.getMessage().contains("gs://" + bucket + "/p/" + objectKey(md5("x\n")) + ": HTTP 500"),
            e.getMessage());
      }
    }
  }

  @Test
  void missingAndCorruptObjectsAreReportedAndNeverCached() throws IOException {
    remoteConfig("gs://" + bucket + "/p", gcs.endpoint());
    write("data/a.txt", "a\n");
    write("data/b.txt", "b\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("data"));
      new Sync(repo).push(req(2));
    }
    BlobId a = BlobId.of(bucket, "p/" + objectKey(md5("a\n")));
    gcs.storage().create(BlobInfo.newBuilder(a).build(), "tampered\n".getBytes(StandardCharsets.UTF_8));
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertTrue(e.getMessage().contains("data/a.txt: remote object gs://" + bucket + "/p/" + objectKey(md5("a\n"))
          + " is corrupt"), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("a\n"))), "corrupt object kept out of the cache");
      assertTrue(repo.cache().exists(HashInfo.md5(md5("b\n"))), "the good one was fetched");
    }
    // a large object, hashed on the download's own hashing thread: one bit flipped on the remote is found too
    byte[] big = new byte[5 << 20];
    new Random(5).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("big.bin"));
      new Sync(repo).push(new Sync.Request(List.of("big.bin"), null, 1, false));
    }
    String bigMd5 = FileHasher.md5Hex(big);
    BlobId bigBlob = BlobId.of(bucket, "p/" + objectKey(bigMd5));
    big[3 << 20] ^= 0x10;
    gcs.storage().create(BlobInfo.newBuilder(bigBlob).build(), big);
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    Files.delete(root.resolve("big.bin"));
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class,
          () -> new Sync(repo).pull(new Sync.Request(List.of("big.bin"), null, 1, false), false));
      assertTrue(e.getMessage().contains("big.bin: remote object gs://" + bucket + "/p/" + objectKey(bigMd5)
          + " is corrupt (its md5 is " + FileHasher.md5Hex(big) + ")"), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(bigMd5)), "corrupt object kept out of the cache");
      assertFalse(Files.exists(root.resolve("big.bin")), "nothing checked out");
    }
    gcs.storage().delete(a);
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertTrue(e.getMessage().contains("1 object(s) missing from remote 'store'"), e.getMessage());
      assertTrue(e.getMessage().contains("data/a.txt (gs://" + bucket + "/p/" + objectKey(md5("a\n")) + ")"),
          e.getMessage());
    }
    try (GcsRemote r = GcsRemote.open("store", "gs://" + bucket + "/p", Map.of("endpointurl", gcs.endpoint()), null,
        env, log)) {
      IOException nf = assertThrows(IOException.class, () -> r.download(objectKey(md5("a\n")), root.resolve("t")));
      assertInstanceOf(NoSuchFileException.class, nf);
      assertTrue(r.isNotFound(nf));
      assertFalse(r.exists(objectKey(md5("a\n"))));
      assertTrue(r.exists(objectKey(md5("b\n"))));
    }
  }

  @Test
  void aMissingBucketIsOneClearError() throws IOException {
    remoteConfig("gs://no-such-bucket-" + bucket + "/p", gcs.endpoint());
    write("x.txt", "x\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("x.txt"));
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)),
          () -> lines + " " + gcs.storage().list().streamAll().map(b -> b.getName()).toList());
      assertTrue(push.getMessage().contains("bucket 'no-such-bucket-" + bucket + "' of remote 'store'"),
          push.getMessage());
      assertTrue(push.getMessage().contains("does not exist"), push.getMessage());
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      assertTrue(fetch.getMessage().contains("bucket 'no-such-bucket-" + bucket + "'"), fetch.getMessage());
    }
  }

  @Test
  void refusedPermissionIsOneClearError() throws IOException {
    try (FaultProxy proxy = new FaultProxy(gcs.endpoint())) {
      remoteConfig("gs://" + bucket + "/p", proxy.endpoint());
      write("x.txt", "x\n");
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("x.txt"));
        proxy.failNext(100, 403, s -> true);
        MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(1)));
        assertTrue(e.getMessage().contains("no permission on gs://" + bucket + "/p/" + objectKey(md5("x\n"))
            + "; check the service account's roles"), e.getMessage());
        assertEquals(1, proxy.injected(), "a 403 is not retried");
        proxy.failNext(100, 401, s -> true);
        MlopsException u = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(1)));
        assertTrue(u.getMessage().contains("were not accepted"), u.getMessage());
      }
    }
  }

  @Test
  void badUrlsAndEndpointsAreClearErrors() {
    MlopsException noBucket = assertThrows(MlopsException.class,
        () -> GcsRemote.open("s", "gs://", Map.of(), null, env, log));
    assertTrue(noBucket.getMessage().contains("names no bucket"), noBucket.getMessage());
    MlopsException endpoint = assertThrows(MlopsException.class,
        () -> GcsRemote.open("s", "gs://b/p", Map.of("endpointurl", "127.0.0.1:4443"), null, env, log));
    assertTrue(endpoint.getMessage().contains("without http:// or https://"), endpoint.getMessage());
    assertEquals("http://127.0.0.1:1",
        GcsRemote.endpoint("s", Map.of(), Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:1")));
    assertEquals("http://h:2", GcsRemote.endpoint("s", Map.of("endpointurl", "http://h:2/"),
        Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:1")));
    assertEquals(null, GcsRemote.endpoint("s", Map.of(), Map.of("STORAGE_EMULATOR_HOST", "default")));
    MlopsException versioned = assertThrows(MlopsException.class,
        () -> GcsRemote.open("s", "gs://b/p", Map.of("version_aware", "true"), null, env, log));
    assertTrue(versioned.getMessage().contains("remote 's' is version_aware")
        && versioned.getMessage().contains("dvc remote modify --unset s version_aware"), versioned.getMessage());
  }
}
