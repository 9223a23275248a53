package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockListType;
import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.FileHasher;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.AzuriteServer;
import io.mlops.testing.FlakyProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The azure:// remote through the engine, against Azurite's blob service on 127.0.0.1. */
class AzureRemoteTest extends RemoteTestBase {
  static AzuriteServer azurite;

  String container;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @BeforeEach
  void init() throws IOException {
    container = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    azurite.createContainer(container);
    Repo.init(root, true, log);
    env.put("HOME", home.toString());
    remote("azure://" + container + "/prefix");
    local("connection_string = " + azurite.connectionString());
  }

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

  private List<String> cacheObjects() throws IOException {
    Path files = root.resolve(".dvc/cache/files");
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(files)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add("files/" + PathUtil.posix(files.relativize(p))));
    }
    out.sort(null);
    return out;
  }

  private BlobContainerClient blobs() {
    return azurite.client().getBlobContainerClient(container);
  }

  @Test
  void pushWipePullIsByteIdenticalAndUsesDvcsLayout() throws IOException {
    Map<String, byte[]> files = workspace();
    List<String> objects = cacheObjects();
    assertEquals(5, objects.size(), objects.toString());
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
      assertEquals(0, new Sync(repo).push(req(4)).transferred());
    }
    assertEquals(objects.stream().map(o -> "prefix/" + o).sorted().toList(), azurite.names(container));
    Map<String, String> stored = azurite.blobs(container);
    for (String o : objects) {
      assertEquals(Files.readString(root.resolve(".dvc/cache").resolve(o), StandardCharsets.ISO_8859_1),
          stored.get("prefix/" + o), o);
    }

    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
    assertEquals(objects, cacheObjects());
    try (Repo repo = open(); AzureRemote r = (AzureRemote) Remotes.open(repo, null)) {
      assertEquals("azure://" + container + "/prefix", r.url());
      assertTrue(r.canTraverse());
      String two = objects.get(0).substring(10, 12);
      assertEquals(objects.stream().filter(o -> o.startsWith("files/md5/" + two))
          .collect(java.util.stream.Collectors.toSet()), r.list("files/md5/" + two));
      assertEquals(5, r.list("files/md5/").size());
      assertEquals(Set.of(), r.list("files/md5/zz"));
      assertTrue(r.exists(objects.get(0)));
      assertFalse(r.exists("files/md5/00/000000000000000000000000000000"));
      NoSuchFileException missing = assertThrows(NoSuchFileException.class,
          () -> r.download("files/md5/00/000000000000000000000000000000", root.resolve("x.tmp")));
      assertTrue(r.isNotFound(missing));
      assertTrue(missing.getMessage().contains("azure://" + container + "/prefix/files/md5/00/"),
          missing.getMessage());
      assertTrue(r.credentialsDescription().contains("connection string from option connection_string"),
          r.credentialsDescription());
    }
  }

  @Test
  void bigFilesGoUpInBlocksAndComeBackWhole() throws IOException {
    byte[] big = random(3 * 1024 * 1024 + 123, 3);
    Path file = root.resolve("big.bin");
    Files.write(file, big);
    String md5 = FileHasher.md5Hex(big);
    AzureRemote.Settings small = new AzureRemote.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30),
        1024 * 1024, 1024 * 1024);
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://" + container + "/p",
        "connection_string", azurite.connectionString()), env, root.resolve(".dvc/config"), small, null)) {
      r.upload(file, key(md5));
      // four committed blocks of at most 1 MiB: the file was sent in pieces
      var blocks = blobs().getBlobClient("p/" + key(md5)).getBlockBlobClient().listBlocks(BlockListType.COMMITTED)
          .getCommittedBlocks();
      assertEquals(4, blocks.size());
      assertTrue(blocks.stream().allMatch(b -> b.getSizeLong() <= 1024 * 1024));
      Path back = root.resolve("back.bin");
      r.download(key(md5), back);
      assertArrayEquals(big, Files.readAllBytes(back));
      // a small file: one Put Blob, its Content-MD5 checked by the service against the key
      Path smallFile = root.resolve("small.txt");
      Files.writeString(smallFile, "small\n");
      r.upload(smallFile, key(md5("small\n")));
      assertArrayEquals(FileHasher.md5Hex("small\n".getBytes(StandardCharsets.UTF_8)).getBytes(),
          FileHasher.md5Hex(blobs().getBlobClient("p/" + key(md5("small\n"))).downloadContent().toBytes())
              .getBytes());
      // a body that does not match its key's md5 is refused by the service, not stored
      Files.writeString(smallFile, "not small\n");
      IOException refused = assertThrows(IOException.class, () -> r.upload(smallFile, key(md5("other\n"))));
      System.out.println("md5 mismatch: " + refused.getMessage());
      assertFalse(blobs().getBlobClient("p/" + key(md5("other\n"))).exists());
    }
  }

  @Test
  void accountKeyAndSasTokenWithAccountName() throws IOException {
    workspace();
    Path cfg = root.resolve(".dvc/config");
    Map<String, String> withKey = Map.of("url", "azure://" + container + "/k", "account_name", AzuriteServer.ACCOUNT,
        "account_key", AzuriteServer.KEY);
    Path file = root.resolve("data/a.txt");
    try (AzureRemote r = AzureRemote.open("store", withKey, env, cfg, AzureRemote.Settings.defaults(),
        azurite.endpoint())) {
      r.upload(file, key(md5("a\n")));
      assertTrue(r.exists(key(md5("a\n"))));
      assertEquals("account key from option account_key", r.credentialsDescription());
    }
    // the key from the environment as dvc-azure reads it (AZURE_STORAGE_KEY), the account from the CLI config
    Files.createDirectories(home.resolve(".azure"));
    Files.writeString(home.resolve(".azure/config"), "[storage]\naccount = " + AzuriteServer.ACCOUNT + "\n");
    Map<String, String> e2 = new HashMap<>(env);
    e2.put("AZURE_STORAGE_KEY", AzuriteServer.KEY);
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://" + container + "/k"), e2, cfg,
        AzureRemote.Settings.defaults(), azurite.endpoint())) {
      assertTrue(r.exists(key(md5("a\n"))));
      assertEquals("account key from AZURE_STORAGE_KEY", r.credentialsDescription());
    }
    // a SAS token for the container (read and list only)
    String sas = blobs().generateSas(new com.azure.storage.blob.sas.BlobServiceSasSignatureValues(
        java.time.OffsetDateTime.now().plusHours(1),
        com.azure.storage.blob.sas.BlobContainerSasPermission.parse("rl")));
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://" + container + "/k",
        "account_name", AzuriteServer.ACCOUNT, "sas_token", sas), env, cfg, AzureRemote.Settings.defaults(),
        azurite.endpoint())) {
      assertEquals("SAS token from option sas_token", r.credentialsDescription());
      assertEquals(Set.of(key(md5("a\n"))), r.list("files/md5/"));
      Path back = root.resolve("back.txt");
      r.download(key(md5("a\n")), back);
      assertEquals("a\n", Files.readString(back));
      // writing with a read-only SAS: access denied, one clear line, no signature in it
      MlopsException denied = assertThrows(MlopsException.class, () -> r.upload(file, key(md5("x\n"))));
      System.out.println("read-only SAS: " + denied.getMessage());
      assertTrue(denied.getMessage().contains("access denied to container '" + container + "' of remote 'store'"),
          denied.getMessage());
      String sig = sas.replaceAll(".*sig=([^&]+).*", "$1");
      assertFalse(trace(denied).contains(sig), trace(denied));
      assertFalse(trace(denied).contains(java.net.URLDecoder.decode(sig, StandardCharsets.UTF_8)));
    }
  }

  @Test
  void credentialsComeInDvcsOrder() throws IOException {
    workspace();
    Path cfg = root.resolve(".dvc/config");
    Path file = root.resolve("data/a.txt");
    String url = "azure://" + container + "/o";
    // AZURE_STORAGE_CONNECTION_STRING alone, as in CI
    Map<String, String> e1 = new HashMap<>(env);
    e1.put("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", url), e1, cfg, AzureRemote.Settings.defaults(),
        null)) {
      assertEquals("connection string from AZURE_STORAGE_CONNECTION_STRING", r.credentialsDescription());
      r.upload(file, key(md5("a\n")));
      assertTrue(r.exists(key(md5("a\n"))));
    }
    // the remote's option wins over the environment
    String wrong = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
        + java.util.Base64.getEncoder().encodeToString(random(64, 5)) + ";BlobEndpoint=" + azurite.endpoint() + ";";
    Map<String, String> e2 = new HashMap<>(env);
    e2.put("AZURE_STORAGE_CONNECTION_STRING", wrong);
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", url, "connection_string",
        azurite.connectionString()), e2, cfg, AzureRemote.Settings.defaults(), null)) {
      assertTrue(r.exists(key(md5("a\n"))));
    }
    // a connection string wins over account_name/account_key; an account key over a SAS token
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", url, "connection_string",
        azurite.connectionString(), "account_name", "other", "account_key", "bm9wZQ=="), env, cfg,
        AzureRemote.Settings.defaults(), null)) {
      assertEquals("connection string from option connection_string", r.credentialsDescription());
      assertTrue(r.exists(key(md5("a\n"))));
    }
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", url, "account_name", AzuriteServer.ACCOUNT,
        "account_key", AzuriteServer.KEY, "sas_token", "sv=2020-01-01&sig=bm9wZQ%3D%3D"), env, cfg,
        AzureRemote.Settings.defaults(), azurite.endpoint())) {
      assertEquals("account key from option account_key", r.credentialsDescription());
      assertTrue(r.exists(key(md5("a\n"))));
    }
    // the Azure CLI's config file ($AZURE_CONFIG_DIR/config, [storage] connection_string)
    Path az = root.resolve("azcli");
    Files.createDirectories(az);
    Files.writeString(az.resolve("config"), "[core]\noutput = json\n\n[storage]\nconnection_string = "
        + azurite.connectionString() + "\n");
    Map<String, String> e3 = new HashMap<>(env);
    e3.put("AZURE_CONFIG_DIR", az.toString());
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", url), e3, cfg, AzureRemote.Settings.defaults(),
        null)) {
      assertEquals("connection string from the Azure CLI config (storage.connection_string)",
          r.credentialsDescription());
      assertTrue(r.exists(key(md5("a\n"))));
    }
  }

  @Test
  void wrongKeyIsRefusedWithoutEchoingIt() throws IOException {
    workspace();
    String wrong = java.util.Base64.getEncoder().encodeToString(random(64, 9));
    local("connection_string = DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
        + wrong + ";BlobEndpoint=" + azurite.endpoint() + ";");
    List<String> messages = new ArrayList<>();
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(2)));
      messages.add(trace(push));
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(2), false));
      messages.add(trace(fetch));
      System.out.println("wrong key (push): " + push.getMessage() + " / hint: " + push.hint());
      System.out.println("wrong key (fetch): " + fetch.getMessage());
      for (MlopsException e : List.of(push, fetch)) {
        assertTrue(e.getMessage().contains("Azure rejected the credentials of remote 'store' for storage account '"
            + AzuriteServer.ACCOUNT + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertTrue(e.hint().contains("dvc remote modify --local store connection_string"), e.hint());
      }
    }
    String all = String.join("\n", messages) + "\n" + String.join("\n", lines);
    assertFalse(all.contains(wrong), all);
    assertFalse(all.contains(wrong.substring(0, 20)), all);
  }

  @Test
  void missingContainerIsAClearError() throws IOException {
    workspace();
    remote("azure://no-such-container/p");
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      System.out.println("missing container: " + push.getMessage() + " / hint: " + push.hint());
      assertTrue(push.getMessage().contains("container 'no-such-container' of remote 'store'"), push.getMessage());
      assertTrue(push.getMessage().contains("does not exist"), push.getMessage());
      assertTrue(push.hint().contains("az storage container create --name no-such-container"), push.hint());
      PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
      MlopsException fetch = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      assertTrue(fetch.getMessage().contains("container 'no-such-container' of remote 'store'"), fetch.getMessage());
    }
    // the single checks too (exists of a blob in a missing container is a HEAD without an error body)
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://no-such-container/p",
        "connection_string", azurite.connectionString()), env, root.resolve(".dvc/config"),
        AzureRemote.Settings.defaults(), null)) {
      MlopsException e = assertThrows(MlopsException.class, () -> r.exists(key(md5("a\n"))));
      assertTrue(e.getMessage().contains("container 'no-such-container'"), e.getMessage());
    }
  }

  @Test
  void missingBlobIsReportedByName() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    blobs().getBlobClient("prefix/" + key(md5("a\n"))).delete();
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      System.out.println("missing blob: " + e.getMessage());
      assertTrue(e.getMessage().contains("missing from remote 'store'"), e.getMessage());
      assertTrue(e.getMessage().contains("data/a.txt"), e.getMessage());
      assertTrue(e.getMessage().contains("azure://" + container + "/prefix/" + key(md5("a\n"))), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("a\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("b\n"))), "the other objects were fetched");
    }
  }

  @Test
  void corruptBlobNeverEntersTheCache() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    blobs().getBlobClient("prefix/" + key(md5("b\n"))).upload(BinaryData.fromString("tampered\n"), true);
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).pull(req(4), false));
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("b\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("a\n"))));
    }
  }

  @Test
  void throttlingIsRetriedByTheEngineOnly() throws IOException {
    workspace();
    try (FlakyProxy proxy = new FlakyProxy(azurite.port(), 3)) {
      String cs = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
          + AzuriteServer.KEY + ";BlobEndpoint=" + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";";
      local("connection_string = " + cs);
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(1)).transferred());
      }
      assertEquals(3, proxy.refused(), proxy.refusedRequests().toString());
      assertEquals(5, azurite.names(container).size());

      // a store that never stops throttling: exactly Retry.ATTEMPTS requests, so the SDK does not retry too
      proxy.failNext(1000);
      write("more.txt", "more\n".getBytes(StandardCharsets.UTF_8));
      try (Repo repo = open()) {
        new Workspace(repo).add(List.of("more.txt"));
        MlopsException e = assertThrows(MlopsException.class,
            () -> new Sync(repo).push(new Sync.Request(List.of("more.txt.dvc"), null, 1, false)));
        System.out.println("throttled: " + e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
      }
      assertEquals(3 + Retry.ATTEMPTS, proxy.refused(), proxy.refusedRequests().toString());
    }
  }

  @Test
  void unreachableEndpointIsTransient() {
    String cs = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
        + AzuriteServer.KEY + ";BlobEndpoint=http://127.0.0.1:1/" + AzuriteServer.ACCOUNT + ";";
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://" + container + "/p",
        "connection_string", cs), env, root.resolve(".dvc/config"), AzureRemote.Settings.defaults(), null)) {
      IOException e = assertThrows(IOException.class, () -> r.exists("files/md5/00/0000"));
      assertInstanceOf(Retry.TransientException.class, e, e.toString());
      assertFalse(e.getMessage().contains(AzuriteServer.KEY), e.getMessage());
    }
  }

  @Test
  void aStalledDownloadTimesOutAsTransient() throws Exception {
    // a server that sends a blob's headers and a few bytes, then nothing
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (java.net.Socket c = server.accept()) {
          java.io.InputStream in = c.getInputStream();
          byte[] buf = new byte[8192];
          in.read(buf);
          c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/octet-stream"
              + "\r\nx-ms-blob-type: BlockBlob\r\nETag: \"0x1\"\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
          c.getOutputStream().flush();
          Thread.sleep(20_000);
        } catch (Exception e) {
          // the client gave up
        }
      });
      t.setDaemon(true);
      t.start();
      String cs = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
          + AzuriteServer.KEY + ";BlobEndpoint=http://127.0.0.1:" + server.getLocalPort() + "/"
          + AzuriteServer.ACCOUNT + ";";
      AzureRemote.Settings quick = new AzureRemote.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1),
          1024 * 1024, 1024 * 1024);
      try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://" + container + "/p",
          "connection_string", cs), env, root.resolve(".dvc/config"), quick, null)) {
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> r.download("files/md5/00/0000", root.resolve("x")));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        System.out.println("stalled download: " + e);
        assertInstanceOf(Retry.TransientException.class, e, e.toString());
        assertTrue(seconds < 10, "gave up after " + seconds + " s");
      }
    }
  }

  @Test
  void credentialsDvcCanUseButThisCannotAreRefusedClearly() throws IOException {
    Path cfg = root.resolve(".dvc/config");
    Map<String, String> noEnv = Map.of("HOME", home.toString());
    MlopsException none = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p"), noEnv, cfg, AzureRemote.Settings.defaults(),
            null));
    assertTrue(none.getMessage().contains("requires either account_name or connection_string"), none.getMessage());
    MlopsException defaults = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p", "account_name", "acct"), noEnv, cfg,
            AzureRemote.Settings.defaults(), null));
    assertTrue(defaults.getMessage().contains("default credentials"), defaults.getMessage());
    MlopsException sp = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p", "account_name", "acct", "tenant_id", "t",
            "client_id", "i", "client_secret", "SecretValueNeverShown123"), noEnv, cfg,
            AzureRemote.Settings.defaults(), null));
    assertTrue(sp.getMessage().contains("service principal"), sp.getMessage());
    assertFalse(sp.getMessage().contains("SecretValueNeverShown123"));
    MlopsException unknown = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p", "endpointurl", "x"), noEnv, cfg,
            AzureRemote.Settings.defaults(), null));
    assertTrue(unknown.getMessage().contains("[endpointurl]"), unknown.getMessage());
    MlopsException va = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p", "version_aware", "true"), noEnv, cfg,
            AzureRemote.Settings.defaults(), null));
    assertTrue(va.getMessage().contains("version_aware"), va.getMessage());
    MlopsException badCs = assertThrows(MlopsException.class,
        () -> AzureRemote.open("store", Map.of("url", "azure://c/p", "connection_string",
            "AccountKey=NotReallyAKeyButSecret/123==;NoAccount"), noEnv, cfg, AzureRemote.Settings.defaults(),
            null));
    System.out.println("bad connection string: " + badCs.getMessage());
    assertFalse(trace(badCs).contains("NotReallyAKeyButSecret"), trace(badCs));
    // anonymous access to a public container is what allow_anonymous_login asks for
    try (AzureRemote r = AzureRemote.open("store", Map.of("url", "azure://c/p", "account_name", "acct",
        "allow_anonymous_login", "true"), noEnv, cfg, AzureRemote.Settings.defaults(), null)) {
      assertEquals("anonymous access", r.credentialsDescription());
    }
  }

}
