package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.api.TransferSummary;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.FlakyProxy;
import io.mlops.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The S3 remote through the engine, against moto's S3 server on 127.0.0.1. */
class S3RemoteTest extends RemoteTestBase {
  static final String BUCKET = "mlops-test";
  static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    // never ask an instance metadata service: credentials here always come from the config or env map
    System.setProperty("aws.disableEc2Metadata", "true");
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @BeforeEach
  void init() throws IOException {
    moto.reset();
    moto.createBucket(BUCKET);
    Repo.init(root, true, log);
    env.put("HOME", home.toString());
    env.put("SHELL", "/bin/sh");
    s3Remote("s3://" + BUCKET + "/prefix", moto.endpoint());
    credentials(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY);
  }

  private void s3Remote(String url, String endpoint, String... extra) throws IOException {
    StringBuilder sb = new StringBuilder("[core]\n    no_scm = True\n    remote = store\n['remote \"store\"']\n");
    sb.append("    url = ").append(url).append('\n');
    if (endpoint != null) {
      sb.append("    endpointurl = ").append(endpoint).append('\n');
    }
    for (String e : extra) {
      sb.append("    ").append(e).append('\n');
    }
    Files.writeString(root.resolve(".dvc/config"), sb.toString());
  }

  private void credentials(String key, String secret) throws IOException {
    Files.writeString(root.resolve(".dvc/config.local"),
        "['remote \"store\"']\n    access_key_id = " + key + "\n    secret_access_key = " + secret + "\n");
  }

  /** A tracked file and a tracked directory, added with the engine. */
  private Map<String, byte[]> workspace() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("model.bin", random(300_000, 1));
    files.put("data/a.txt", "a\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/b.txt", "b\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/sub/c.bin", random(70_000, 2));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      write(f.getKey(), f.getValue());
    }
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("model.bin", "data"));
    }
    return files;
  }

  /** Relative paths of the local cache objects. */
  private List<String> cacheObjects() throws IOException {
    Path files = root.resolve(".dvc/cache/files");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(files)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(files)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add("files/" + PathUtil.posix(files.relativize(p))));
    }
    out.sort(null);
    return out;
  }

  @Test
  void pushWipePullIsByteIdenticalAndUsesDvcsLayout() throws IOException {
    Map<String, byte[]> files = workspace();
    List<String> objects = cacheObjects();
    assertEquals(5, objects.size(), objects.toString()); // 4 files + 1 .dir
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
      assertEquals(0, new Sync(repo).push(req(4)).transferred());
    }
    List<String> expected = objects.stream().map(o -> "prefix/" + o).sorted().toList();
    assertEquals(expected, moto.keys(BUCKET));
    Map<String, String> inBucket = moto.objects(BUCKET);
    for (String o : objects) {
      assertEquals(Files.readString(root.resolve(".dvc/cache").resolve(o), StandardCharsets.ISO_8859_1),
          inBucket.get("prefix/" + o), o);
    }

    wipe();
    try (Repo repo = open()) {
      TransferSummary s = new Sync(repo).pull(req(4), false);
      assertEquals(5, s.transferred());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
    assertEquals(objects, cacheObjects());
    try (Repo repo = open(); S3Remote r = (S3Remote) Remotes.open(repo, null)) {
      assertEquals("s3://" + BUCKET + "/prefix", r.url());
      assertEquals(objects.stream().filter(o -> o.startsWith("files/md5/" + objects.get(0).substring(10, 12)))
          .collect(java.util.stream.Collectors.toSet()), r.list("files/md5/" + objects.get(0).substring(10, 12)));
      assertEquals(5, r.list("files/md5/").size());
      assertTrue(r.exists(objects.get(0)));
      assertFalse(r.exists("files/md5/00/000000000000000000000000000000"));
    }
  }

  @Test
  void bigFilesGoUpInPartsAndComeBackWhole() throws IOException {
    // the profile's `s3 =` block sets boto's multipart sizes, which DVC honours too
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"),
        "[default]\ns3 =\n    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n");
    byte[] big = random(12 * 1024 * 1024 + 123, 3);
    write("big.bin", big);
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("big.bin"));
      assertEquals(1, new Sync(repo).push(req(2)).transferred());
    }
    String md5 = FileHasher.md5Hex(big);
    try (S3Client c = moto.client()) {
      HeadObjectResponse h = c.headObject(b -> b.bucket(BUCKET).key("prefix/" + key(md5)));
      assertTrue(h.eTag().endsWith("-3\""), "3 parts expected, ETag " + h.eTag());
      assertEquals(big.length, h.contentLength());
      assertTrue(c.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().isEmpty());
    }
    PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    Files.delete(root.resolve("big.bin"));
    try (Repo repo = open()) {
      new Sync(repo).pull(req(2), false);
    }
    assertArrayEquals(big, Files.readAllBytes(root.resolve("big.bin")));
  }

  @Test
  void defaultMultipartSizesAreBotos() throws IOException {
    byte[] nine = random(9 * 1024 * 1024, 4); // above boto's 8 MiB threshold: 8 MiB + 1 MiB parts
    byte[] seven = random(7 * 1024 * 1024, 5); // below it: one PUT
    write("nine.bin", nine);
    write("seven.bin", seven);
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("nine.bin", "seven.bin"));
      assertEquals(2, new Sync(repo).push(req(2)).transferred());
    }
    try (S3Client c = moto.client()) {
      String nineTag = c.headObject(b -> b.bucket(BUCKET).key("prefix/" + key(FileHasher.md5Hex(nine)))).eTag();
      String sevenTag = c.headObject(b -> b.bucket(BUCKET).key("prefix/" + key(FileHasher.md5Hex(seven)))).eTag();
      assertTrue(nineTag.endsWith("-2\""), nineTag);
      assertEquals("\"" + FileHasher.md5Hex(seven) + "\"", sevenTag);
    }
  }

  @Test
  void throttlingIsRetriedByTheEngineOnly() throws IOException {
    workspace();
    try (FlakyProxy proxy = new FlakyProxy(moto.port(), 3)) {
      s3Remote("s3://" + BUCKET + "/prefix", proxy.endpoint());
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(1)).transferred());
      }
      assertEquals(3, proxy.refused(), proxy.refusedRequests().toString());
      assertEquals(5, moto.keys(BUCKET).size());

      wipe();
      proxy.failNext(4);
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).pull(req(1), false).transferred());
      }
      assertEquals(7, proxy.refused(), proxy.refusedRequests().toString());
      assertEquals("a\n", Files.readString(root.resolve("data/a.txt")));

      // a store that never stops throttling: exactly Retry.ATTEMPTS requests, so the SDK does not retry too
      proxy.failNext(1000);
      write("more.txt", "more\n".getBytes(StandardCharsets.UTF_8));
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("more.txt"));
        MlopsException e = assertThrows(MlopsException.class,
            () -> new Sync(repo).push(new Sync.Request(List.of("more.txt.dvc"), null, 1, false)));
        System.out.println("throttled: " + e.getMessage());
        assertTrue(e.getMessage().contains("SlowDown"), e.getMessage());
      }
      assertEquals(7 + Retry.ATTEMPTS, proxy.refused(), proxy.refusedRequests().toString());
    }
  }

  @Test
  void missingObjectIsReportedByName() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    try (S3Client c = moto.client()) {
      c.deleteObject(b -> b.bucket(BUCKET).key("prefix/" + key(md5("a\n"))));
    }
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      System.out.println("missing object: " + e.getMessage());
      assertTrue(e.getMessage().contains("missing from remote 'store'"), e.getMessage());
      assertTrue(e.getMessage().contains("data/a.txt"), e.getMessage());
      assertTrue(e.getMessage().contains("s3://" + BUCKET + "/prefix/" + key(md5("a\n"))), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("a\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("b\n"))), "the other objects were fetched");
    }
  }

  @Test
  void missingBucketIsAClearError() throws IOException {
    workspace();
    s3Remote("s3://no-such-bucket/p", moto.endpoint());
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      System.out.println("missing bucket: " + push.getMessage());
      assertTrue(push.getMessage().contains("bucket 'no-such-bucket' of remote 'store'"), push.getMessage());
      assertTrue(push.getMessage().contains("does not exist"), push.getMessage());
      assertTrue(push.getMessage().contains("aws s3 mb s3://no-such-bucket"), push.getMessage());
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      assertTrue(fetch.getMessage().contains("bucket 'no-such-bucket' of remote 'store'"), fetch.getMessage());
    }
  }

  @Test
  void corruptRemoteObjectNeverEntersTheCache() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    try (S3Client c = moto.client()) {
      c.putObject(b -> b.bucket(BUCKET).key("prefix/" + key(md5("b\n"))), RequestBody.fromString("tampered\n"));
    }
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).pull(req(4), false));
      System.out.println("corrupt object: " + e.getMessage());
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
      assertTrue(e.getMessage().contains("data/sub/b.txt"), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("b\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("a\n"))));
    }
    try (Stream<Path> s = Files.walk(root.resolve(".dvc/cache"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void sseAndAclGoWithEveryUpload() throws IOException {
    s3Remote("s3://" + BUCKET + "/enc", moto.endpoint(), "sse = AES256", "acl = bucket-owner-full-control");
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    try (S3Client c = moto.client()) {
      for (String k : moto.keys(BUCKET)) {
        assertEquals("AES256", c.headObject(b -> b.bucket(BUCKET).key(k)).serverSideEncryptionAsString(), k);
      }
    }
  }

  @Test
  void credentialsFromTheEnvironmentMapAndProfiles() throws IOException {
    workspace();
    Files.delete(root.resolve(".dvc/config.local"));
    env.put("AWS_ACCESS_KEY_ID", "from-env");
    env.put("AWS_SECRET_ACCESS_KEY", "from-env-secret");
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
    }
    // a named profile that is not there is a clear error, naming the files looked at
    s3Remote("s3://" + BUCKET + "/prefix", moto.endpoint(), "profile = ci");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      assertTrue(e.getMessage().contains("AWS profile 'ci'"), e.getMessage());
      assertTrue(e.getMessage().contains(home.resolve(".aws/credentials").toString()), e.getMessage());
    }
    // credentialpath is resolved against the config file's directory, as DVC does
    Files.writeString(root.resolve(".dvc/creds"), "[ci]\naws_access_key_id = p\naws_secret_access_key = q\n");
    s3Remote("s3://" + BUCKET + "/prefix", moto.endpoint(), "profile = ci", "credentialpath = creds");
    try (Repo repo = open()) {
      assertEquals(0, new Sync(repo).push(req(4)).transferred());
    }
  }

  @Test
  void sslVerifyChecksTheEndpointsCertificate(@TempDir Path certs) throws IOException {
    workspace();
    FlakyProxy.SelfSigned tls = FlakyProxy.selfSigned(certs);
    try (FlakyProxy https = new FlakyProxy(moto.port(), 0, tls.serverContext())) {
      s3Remote("s3://" + BUCKET + "/prefix", https.endpoint());
      try (Repo repo = open()) {
        MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(1)));
        System.out.println("untrusted certificate: " + e.getMessage());
        assertTrue(e.getMessage().contains("TLS certificate of " + https.endpoint() + " is not trusted"),
            e.getMessage());
        assertTrue(e.hint().contains("ssl_verify"), e.getMessage());
      }
      s3Remote("s3://" + BUCKET + "/prefix", https.endpoint(), "ssl_verify = " + tls.caPem());
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(2)).transferred());
      }
      s3Remote("s3://" + BUCKET + "/prefix", https.endpoint(), "ssl_verify = false");
      wipe();
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).pull(req(2), false).transferred());
      }
      assertEquals("b\n", Files.readString(root.resolve("data/sub/b.txt")));
    }
  }

  @Test
  void optionsDvcHasButThisCannotHonourAreRefused() throws IOException {
    for (String[] bad : new String[][] {
        {"version_aware = true", "version_aware"},
        {"use_ssl = maybe", "expected true or false"},
        {"acl = private", "mutually exclusive", "grant_read = id=x"},
        {"sse = rot13", "sse 'rot13'"},
        {"acl = not-an-acl", "not a canned S3 ACL"},
        {"endpoint = http://x", "options that DVC's s3 remotes do not have: [endpoint]"},
        {"read_timeout = soon", "not a number of seconds"}}) {
      String[] extra = bad.length > 2 ? new String[] {bad[0], bad[2]} : new String[] {bad[0]};
      s3Remote("s3://" + BUCKET + "/prefix", moto.endpoint(), extra);
      try (Repo repo = open()) {
        MlopsException e = assertThrows(MlopsException.class, () -> Remotes.open(repo, null).close(), bad[0]);
        assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        assertTrue(e.hint() != null && !e.hint().isEmpty(), e.getMessage());
      }
    }
    s3Remote("s3:///prefix", moto.endpoint());
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Remotes.open(repo, null).close());
      assertTrue(e.getMessage().contains("names no bucket"), e.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreRefusedWithoutEchoingSecrets() throws IOException {
    String secret = "Wr0ngSecretValue/Do-Not-Print+1234567890";
    String token = "SessionTokenValue-Do-Not-Print-0987654321";
    workspace();
    try (MotoServer strict = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "0"))) {
      s3Remote("s3://" + BUCKET + "/prefix", strict.endpoint());
      Files.writeString(root.resolve(".dvc/config.local"), "['remote \"store\"']\n    access_key_id = AKIAWRONG\n"
          + "    secret_access_key = " + secret + "\n    session_token = " + token + "\n");
      List<String> messages = new ArrayList<>();
      try (Repo repo = open()) {
        MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)));
        messages.add(trace(push));
        PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
        MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
        messages.add(trace(fetch));
        System.out.println("wrong credentials (push): " + push.getMessage());
        System.out.println("wrong credentials (fetch): " + fetch.getMessage());
        assertTrue(fetch.getMessage().contains("S3 rejected the credentials of remote 'store'"), fetch.getMessage());
        assertTrue(fetch.getMessage().contains("bucket '" + BUCKET + "'"), fetch.getMessage());
        assertTrue(push.getMessage().contains("bucket '" + BUCKET + "'"), push.getMessage());
        assertTrue(push.hint().contains("access_key_id/secret_access_key"), push.getMessage());
      }
      String all = String.join("\n", messages) + "\n" + String.join("\n", lines);
      assertFalse(all.contains(secret), all);
      assertFalse(all.contains(token), all);
    }
  }

}
