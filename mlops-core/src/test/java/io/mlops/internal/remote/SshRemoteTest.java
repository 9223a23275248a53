package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.HashInfo;
import io.mlops.internal.repro.Workspace;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.CapturingLog;
import io.mlops.testing.LocalServers;
import io.mlops.testing.SshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ssh:// remote through the engine, against a real OpenSSH server (sshd) on 127.0.0.1. */
class SshRemoteTest extends RemoteTestBase {
  static SshServer sshd;

  Path store;

  @BeforeAll
  static void startSshd() {
    sshd = SshServer.start();
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @BeforeEach
  void init() throws IOException {
    store = Files.createTempDirectory(sshd.dataDir(), "store");
    Repo.init(root, true, log);
    env.put("HOME", home.toString());
    remote(sshd.url(store.resolve("prefix")));
    local("keyfile = " + sshd.ed25519Key());
  }

  private Map<String, byte[]> workspace() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    files.put("model.bin", random(1_300_000, 1));
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
    return filesUnder(root.resolve(".dvc/cache"));
  }

  /** Every regular file under a directory, relative to it, sorted. */
  private static List<String> filesUnder(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(PathUtil.posix(dir.relativize(p))));
    }
    out.sort(null);
    return out;
  }

  private SshRemote direct(Map<String, String> opts) {
    Map<String, String> all = new HashMap<>(opts);
    all.putIfAbsent("url", sshd.url(store.resolve("direct")));
    return SshRemote.open("store", all, env, root.resolve(".dvc/config"));
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
    Path prefix = store.resolve("prefix");
    assertEquals(objects, filesUnder(prefix), "DVC's layout: <path>/files/md5/xx/rest, no temporary files left");
    for (String o : objects) {
      assertArrayEquals(Files.readAllBytes(root.resolve(".dvc/cache").resolve(o)),
          Files.readAllBytes(prefix.resolve(o)), o);
    }

    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
    assertEquals(objects, cacheObjects());
    try (Repo repo = open(); SshRemote r = (SshRemote) Remotes.open(repo, null)) {
      assertEquals(sshd.url(prefix), r.url());
      assertTrue(r.canTraverse());
      assertEquals(8, r.channels(), "max_sessions 10, less sshfs' two shell channels");
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
      assertTrue(missing.getMessage().contains(sshd.url(prefix) + "/files/md5/00/"), missing.getMessage());
      assertEquals(List.of(sshd.ed25519Key() + " (option keyfile)"), r.keyDescriptions());
    }
  }

  @Test
  void rsaKeyUserAndPortFromSshConfigThenDefaultKeys() throws IOException {
    workspace();
    // the URL names a Host alias; ~/.ssh/config gives its address, port, user and RSA key
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh/config"), "Host other\n    Port 1\n\nHost data-box !nothing\n"
        + "    HostName 127.0.0.1\n    Port " + sshd.port() + "\n    User " + sshd.user() + "\n"
        + "    IdentityFile " + sshd.rsaKey() + "\n\nHost *\n    Port 2\n    User nobody-else\n");
    remote("ssh://data-box" + store.resolve("cfg"));
    local();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
      try (SshRemote r = (SshRemote) Remotes.open(repo, null)) {
        assertEquals(sshd.user() + "@127.0.0.1:" + sshd.port() + " (user from User in ~/.ssh/config)",
            r.loginDescription());
        assertEquals(List.of(sshd.rsaKey() + " (IdentityFile in ~/.ssh/config)"), r.keyDescriptions());
      }
    }
    assertEquals(cacheObjects(), filesUnder(store.resolve("cfg")));

    // options win over the URL, the URL over ~/.ssh/config: a wrong port in the config is not used
    Files.writeString(home.resolve(".ssh/config"), "Host 127.0.0.1\n    Port 1\n    User nobody-else\n");
    try (SshRemote r = direct(Map.of("url", "ssh://nobody@127.0.0.1:" + sshd.port() + store.resolve("cfg"),
        "user", sshd.user(), "keyfile", sshd.rsaKey().toString()))) {
      assertEquals(sshd.user() + "@127.0.0.1:" + sshd.port() + " (user from option user)", r.loginDescription());
      assertEquals(5, r.list("files/md5/").size());
    }
    try (SshRemote r = direct(Map.of("url", "ssh://127.0.0.1" + store.resolve("cfg"), "port",
        Integer.toString(sshd.port()), "user", sshd.user(), "keyfile", sshd.rsaKey().toString()))) {
      assertEquals(5, r.list("files/md5/").size());
    }

    // no keyfile and no IdentityFile: ~/.ssh/id_ed25519, as ssh and asyncssh look for it
    Files.delete(home.resolve(".ssh/config"));
    Files.copy(sshd.ed25519Key(), home.resolve(".ssh/id_ed25519"));
    try (SshRemote r = direct(Map.of("url", sshd.url(store.resolve("cfg")), "user", sshd.user()))) {
      assertEquals(home.resolve(".ssh/id_ed25519") + " (default key)", r.keyDescriptions().get(0));
      assertTrue(r.exists(cacheObjects().get(0)));
    }
  }

  @Test
  void encryptedKeyWithPassphrase() throws IOException {
    Path key = home.resolve("enc_ed25519");
    SshServer.keygen(key, "ed25519", "correct horse battery");
    sshd.authorize(key);
    Path file = root.resolve("a.txt");
    Files.writeString(file, "a\n");
    try (SshRemote r = direct(Map.of("keyfile", key.toString(), "passphrase", "correct horse battery"))) {
      r.upload(file, key(md5("a\n")));
      assertTrue(r.exists(key(md5("a\n"))));
    }
    MlopsException none = assertThrows(MlopsException.class,
        () -> direct(Map.of("keyfile", key.toString())).exists(key(md5("a\n"))));
    System.out.println("encrypted key without passphrase: " + none.getMessage());
    assertTrue(none.getMessage().contains("it is encrypted and no passphrase is set"), none.getMessage());
    assertTrue(none.hint().contains("dvc remote modify --local store passphrase"), none.hint());
    MlopsException wrong = assertThrows(MlopsException.class,
        () -> direct(Map.of("keyfile", key.toString(), "passphrase", "wrong passphrase 42")).exists("x"));
    assertTrue(wrong.getMessage().contains("the passphrase does not decrypt it"), wrong.getMessage());
    assertFalse(trace(wrong).contains("wrong passphrase 42"), trace(wrong));
    // ask_passphrase without a terminal (as under Maven or CI): one clear line instead of a hang
    MlopsException ask = assertThrows(MlopsException.class,
        () -> direct(Map.of("keyfile", key.toString(), "ask_passphrase", "true")).exists("x"));
    assertTrue(ask.getMessage().contains("sets ask_passphrase, but there is no terminal"), ask.getMessage());
  }

  @Test
  void wrongKeyOrPasswordIsRefusedInOneClearLine() throws IOException {
    workspace();
    Path stranger = home.resolve("stranger");
    SshServer.keygen(stranger, "ed25519", "");
    local("keyfile = " + stranger);
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      System.out.println("wrong key: " + push.getMessage());
      String first = push.getMessage().lines().filter(l -> !l.startsWith("  Fix:")).reduce("", (a, b) -> a + b);
      assertEquals(2, push.getMessage().lines().count(), "one line and its fix: " + push.getMessage());
      assertTrue(first.contains("the SSH server of remote 'store' (" + sshd.url(store.resolve("prefix"))
          + ") refused user '" + sshd.user() + "'"), first);
      assertTrue(first.contains("tried key " + stranger + " (option keyfile)"), first);
      assertTrue(push.hint().contains("authorized_keys"), push.hint());
    }
    assertEquals(List.of(), filesUnder(store));

    // a password (sshd refuses any for a user without a system password): refused, never echoed
    String secret = "Pa55word-never-shown";
    local("password = " + secret);
    try (Repo repo = open()) {
      MlopsException push = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      System.out.println("wrong password: " + push.getMessage());
      assertTrue(push.getMessage().contains("tried password from option password"), push.getMessage());
      assertTrue(push.hint().contains("password"), push.hint());
      assertFalse(trace(push).contains(secret), trace(push));
    }
    assertFalse(String.join("\n", lines).contains(secret));
    // the password in the URL is used too, and never shown
    try (SshRemote r = direct(Map.of("url", "ssh://" + sshd.user() + ":" + secret + "@127.0.0.1:" + sshd.port()
        + store))) {
      assertEquals("ssh://" + sshd.user() + "@127.0.0.1:" + sshd.port() + store, r.url());
      MlopsException e = assertThrows(MlopsException.class, () -> r.exists("files/md5/00/00"));
      assertTrue(e.getMessage().contains("tried password from the url"), e.getMessage());
      assertFalse(trace(e).contains(secret), trace(e));
    }
    // ask_password without a terminal
    MlopsException ask = assertThrows(MlopsException.class,
        () -> direct(Map.of("ask_password", "true")).exists("x"));
    assertTrue(ask.getMessage().contains("sets ask_password, but there is no terminal"), ask.getMessage());
    // a keyfile that is not there
    MlopsException gone = assertThrows(MlopsException.class,
        () -> direct(Map.of("keyfile", home.resolve("nope").toString())).exists("x"));
    assertTrue(gone.getMessage().contains(home.resolve("nope") + ", does not exist"), gone.getMessage());
  }

  @Test
  void aPasswordLogsInByItselfAndFromTheUrl() throws IOException {
    SshServer.PasswordUser pw = sshd.passwordUser();
    Map<String, byte[]> files = workspace();
    Path prefix = pw.dataDir().resolve("prefix");
    remote(sshd.url(prefix), "user = " + pw.user());
    local("password = " + pw.password()); // no keyfile: as dvc-ssh, a password alone means password login
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).push(req(4)).transferred());
    }
    assertEquals(cacheObjects(), filesUnder(prefix));
    assertEquals(pw.user(), Files.getOwner(prefix.resolve(cacheObjects().get(0))).getName(),
        "written by the user the password logged in");
    wipe();
    try (Repo repo = open()) {
      assertEquals(5, new Sync(repo).pull(req(4), false).transferred());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(root.resolve(f.getKey())), f.getKey());
    }
    assertFalse(String.join("\n", lines).contains(pw.password()), "the password is never logged");

    // the user and password in the URL (and only there); the URL shown keeps the user, never the password
    try (SshRemote r = direct(Map.of("url", "ssh://" + pw.user() + ":" + pw.password() + "@127.0.0.1:"
        + sshd.port() + prefix))) {
      assertEquals("ssh://" + pw.user() + "@127.0.0.1:" + sshd.port() + prefix, r.url());
      assertEquals(5, r.list("files/md5/").size());
    }
    // a wrong password for a user that has one: refused in one line, not shown
    MlopsException wrong = assertThrows(MlopsException.class,
        () -> direct(Map.of("user", pw.user(), "password", pw.password() + "x")).exists("x"));
    assertTrue(wrong.getMessage().contains("refused user '" + pw.user() + "' (from option user)"),
        wrong.getMessage());
    assertTrue(wrong.getMessage().contains("tried password from option password"), wrong.getMessage());
    assertFalse(trace(wrong).contains(pw.password()), trace(wrong));
  }

  @Test
  void theAgentsKeysAreOfferedAsAsyncsshDoesAndAllowAgentFalseTurnsThemOff() throws IOException {
    workspace();
    // a key only the agent holds: authorized on the server, added to a real ssh-agent, then deleted from disk
    Path agentDir = Files.createTempDirectory("agent");
    try (SshServer.Agent agent = sshd.agentWithOnlyKey(agentDir)) {
      Path agentKey = agent.onlyKey();
      env.put("SSH_AUTH_SOCK", agent.socket().toString());
      local(); // no keyfile, and no key in ~/.ssh: only the agent can log in
      try (Repo repo = open()) {
        assertEquals(5, new Sync(repo).push(req(4)).transferred());
      }
      assertEquals(cacheObjects(), filesUnder(store.resolve("prefix")));
      try (SshRemote r = direct(Map.of())) {
        assertEquals(agent.socket() + " ($SSH_AUTH_SOCK)", r.agentDescription());
        assertTrue(r.list("").isEmpty());
      }

      // with a keyfile the agent is still asked first, as asyncssh does: a stranger's key file does not matter
      Path stranger = home.resolve("stranger");
      SshServer.keygen(stranger, "ed25519", "");
      try (SshRemote r = direct(Map.of("keyfile", stranger.toString()))) {
        assertTrue(r.list("").isEmpty());
      }

      // allow_agent false: the agent is not used, and the message says what was tried
      MlopsException off = assertThrows(MlopsException.class,
          () -> direct(Map.of("allow_agent", "false", "keyfile", stranger.toString())).exists("x"));
      assertTrue(off.getMessage().contains("tried key " + stranger + " (option keyfile)"), off.getMessage());
      assertFalse(off.getMessage().contains("agent"), off.getMessage());

      // IdentityAgent none in ~/.ssh/config turns it off too; IdentityAgent <path> names another socket
      Files.createDirectories(home.resolve(".ssh"));
      Files.writeString(home.resolve(".ssh/config"), "Host 127.0.0.1\n  IdentityAgent none\n");
      assertThrows(MlopsException.class, () -> direct(Map.of("keyfile", stranger.toString())).exists("x"));
      env.remove("SSH_AUTH_SOCK");
      Files.writeString(home.resolve(".ssh/config"), "Host 127.0.0.1\n  IdentityAgent " + agent.socket() + "\n");
      try (SshRemote r = direct(Map.of())) {
        assertEquals(agent.socket() + " (IdentityAgent in ~/.ssh/config)", r.agentDescription());
        assertFalse(r.exists("files/md5/00/00"));
      }

      // IdentitiesOnly yes: only the agent keys of the IdentityFiles are offered; the agent's one is not among them
      Files.writeString(home.resolve(".ssh/config"), "Host 127.0.0.1\n  IdentityAgent " + agent.socket()
          + "\n  IdentitiesOnly yes\n  IdentityFile " + stranger + "\n");
      MlopsException only = assertThrows(MlopsException.class, () -> direct(Map.of()).exists("x"));
      System.out.println("IdentitiesOnly: " + only.getMessage());
      assertTrue(only.getMessage().contains("skipped the SSH agent at " + agent.socket()
          + " (IdentityAgent in ~/.ssh/config): it holds no key of the IdentityFiles (IdentitiesOnly yes)"),
          only.getMessage());
      // ...and it is, once the agent's key's public half is an IdentityFile's
      Files.writeString(home.resolve(".ssh/config"), "Host 127.0.0.1\n  IdentityAgent " + agent.socket()
          + "\n  IdentitiesOnly yes\n  IdentityFile " + agentKey + "\n");
      try (SshRemote r = direct(Map.of())) {
        assertFalse(r.exists("files/md5/00/00"));
      }
      Files.delete(home.resolve(".ssh/config"));

      // an agent that is not there: skipped and named; the key files still log in
      env.put("SSH_AUTH_SOCK", agentDir.resolve("gone").toString());
      MlopsException gone = assertThrows(MlopsException.class, () -> direct(Map.of()).exists("x"));
      System.out.println("agent gone: " + gone.getMessage());
      assertTrue(gone.getMessage().contains("the SSH agent at " + agentDir.resolve("gone") + " ($SSH_AUTH_SOCK): cannot connect to it ("),
          gone.getMessage());
      try (SshRemote r = direct(Map.of("keyfile", sshd.ed25519Key().toString()))) {
        assertFalse(r.exists("files/md5/00/00"));
      }
    } finally {
      LocalServers.deleteTree(agentDir);
    }
  }

  @Test
  void missingObjectIsReportedByName() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    Files.delete(store.resolve("prefix").resolve(key(md5("a\n"))));
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).fetch(req(4), false));
      System.out.println("missing object: " + e.getMessage());
      assertTrue(e.getMessage().contains("missing from remote 'store'"), e.getMessage());
      assertTrue(e.getMessage().contains("data/a.txt"), e.getMessage());
      assertTrue(e.getMessage().contains(sshd.url(store.resolve("prefix")) + "/" + key(md5("a\n"))), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("a\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("b\n"))), "the other objects were fetched");
    }
  }

  @Test
  void corruptObjectNeverEntersTheCache() throws IOException {
    workspace();
    try (Repo repo = open()) {
      new Sync(repo).push(req(4));
    }
    Files.writeString(store.resolve("prefix").resolve(key(md5("b\n"))), "tampered\n");
    wipe();
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).pull(req(4), false));
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
      assertFalse(repo.cache().exists(HashInfo.md5(md5("b\n"))));
      assertTrue(repo.cache().exists(HashInfo.md5(md5("a\n"))));
    }
  }

  @Test
  void unreachableHostIsOneClearLine() throws IOException {
    workspace();
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    remote("ssh://127.0.0.1:" + closed + store.resolve("p"));
    try (Repo repo = open()) {
      long start = System.nanoTime();
      MlopsException e = assertThrows(MlopsException.class, () -> new Sync(repo).push(req(4)));
      System.out.println("unreachable: " + e.getMessage());
      assertTrue(System.nanoTime() - start < 5_000_000_000L, "a refused connection is not retried");
      assertEquals(MlopsException.Kind.ENVIRONMENT, e.kind());
      assertEquals(2, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().contains("cannot reach the SSH server of remote 'store' (ssh://127.0.0.1:" + closed
          + store.resolve("p") + ") at 127.0.0.1:" + closed), e.getMessage());
      assertTrue(e.hint().contains("dvc remote modify store port"), e.hint());
    }
  }

  @Test
  void aChangedHostKeyIsRefusedAnUnknownOneAccepted() throws IOException {
    Files.createDirectories(home.resolve(".ssh"));
    Path knownHosts = home.resolve(".ssh/known_hosts");
    // the server's own key, as ssh records it: accepted
    Files.writeString(knownHosts, "example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9o"
        + "kWi0dh2l9GKJl\n" + sshd.knownHostsLine() + "\n");
    try (SshRemote r = direct(Map.of("keyfile", sshd.ed25519Key().toString()))) {
      assertFalse(r.exists("files/md5/00/00"));
    }
    // another key of the same type for [127.0.0.1]:port: refused, naming the fix
    Path other = home.resolve("other_host_key");
    SshServer.keygen(other, "ed25519", "");
    String[] pub = Files.readString(Path.of(other + ".pub")).strip().split(" ");
    Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1] + "\n");
    try (SshRemote r = direct(Map.of("keyfile", sshd.ed25519Key().toString()))) {
      MlopsException e = assertThrows(MlopsException.class, () -> r.exists("files/md5/00/00"));
      System.out.println("changed host key: " + e.getMessage());
      assertTrue(e.getMessage().contains("the host key of 127.0.0.1:" + sshd.port() + " (remote 'store'"),
          e.getMessage());
      assertTrue(e.getMessage().contains("not the SHA256:"), e.getMessage());
      assertTrue(e.hint().contains("ssh-keygen -R '[127.0.0.1]:" + sshd.port() + "'"), e.hint());
      // the refusal stands for the remote's later calls: no second connection is tried
      assertThrows(MlopsException.class, () -> r.upload(knownHosts, "files/md5/00/11"));
    }
    assertEquals(pub[0] + " " + pub[1], Files.readString(knownHosts).strip().split(" ", 2)[1],
        "known_hosts is never written");
  }

  @Test
  void parallelPushesShareAtMostEightChannels() throws IOException, InterruptedException {
    for (int i = 0; i < 120; i++) {
      write("many/f" + i + ".txt", ("file " + i + "\n").getBytes(StandardCharsets.UTF_8));
    }
    write("big.bin", random(3 * 1024 * 1024, 4));
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("many", "big.bin"));
    }
    long before = sftpSessions();
    try (Repo repo = Repo.open(root, log, env, 16)) {
      assertEquals(122, new Sync(repo).push(req(16)).transferred(), "120 files, their .dir and big.bin");
    }
    long sftpChannels = sftpSessions() - before;
    assertTrue(sftpChannels >= 2 && sftpChannels <= 8, sftpChannels + " SFTP channels");
    assertEquals(cacheObjects(), filesUnder(store.resolve("prefix")));

    // two pushes at once to one remote (two processes would do the same): each object written once, whole
    Path other = store.resolve("concurrent");
    remote(sshd.url(other));
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread th = new Thread(() -> {
        try (Repo repo = Repo.open(root, new CapturingLog(true), env, 8)) {
          new Sync(repo).push(req(8));
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(120_000);
    }
    assertEquals(List.of(), errors);
    assertEquals(cacheObjects(), filesUnder(other), "every object, no temporary file left");
    for (String o : cacheObjects()) {
      assertArrayEquals(Files.readAllBytes(root.resolve(".dvc/cache").resolve(o)), Files.readAllBytes(other.resolve(o)),
          o);
    }
  }

  @Test
  void aLostConnectionIsMadeAgain() throws IOException {
    Path file = root.resolve("a.txt");
    Files.writeString(file, "a\n");
    try (SshRemote r = direct(Map.of("keyfile", sshd.ed25519Key().toString()))) {
      r.upload(file, key(md5("a\n")));
      long before = sshd.log().lines().filter(l -> l.startsWith("Accepted publickey")).count();
      sshd.dropConnections();
      // a channel found closed is dropped; one that breaks during the call is a transient failure to retry
      assertTrue(Retry.run(() -> r.exists(key(md5("a\n")))), "found after connecting again");
      assertEquals(before + 1, sshd.log().lines().filter(l -> l.startsWith("Accepted publickey")).count());
    }
  }

  @Test
  void optionsDvcHasAreCheckedAndTheUnsupportedRefused() {
    Path cfg = root.resolve(".dvc/config");
    String url = sshd.url(store);
    MlopsException gss = assertThrows(MlopsException.class,
        () -> SshRemote.open("store", Map.of("url", url, "gss_auth", "true"), env, cfg));
    assertTrue(gss.getMessage().contains("gss_auth (Kerberos/GSSAPI login), which this version does not support"),
        gss.getMessage());
    MlopsException sessions = assertThrows(MlopsException.class,
        () -> SshRemote.open("store", Map.of("url", url, "max_sessions", "2"), env, cfg));
    assertTrue(sessions.getMessage().contains("must be greater than 2"), sessions.getMessage());
    MlopsException unknown = assertThrows(MlopsException.class,
        () -> SshRemote.open("store", Map.of("url", url, "endpointurl", "x"), env, cfg));
    assertTrue(unknown.getMessage().contains("[endpointurl]"), unknown.getMessage());
    MlopsException timeout = assertThrows(MlopsException.class,
        () -> SshRemote.open("store", Map.of("url", url, "timeout", "soon"), env, cfg));
    assertTrue(timeout.getMessage().contains("option timeout is 'soon'"), timeout.getMessage());
    MlopsException noHost = assertThrows(MlopsException.class,
        () -> SshRemote.open("store", Map.of("url", "ssh:///abs/path"), env, cfg));
    assertTrue(noHost.getMessage().contains("names no host"), noHost.getMessage());
    // accepted as in DVC: allow_agent (no agent is used), gss_auth false, max_sessions, timeout, type, verify
    try (SshRemote r = SshRemote.open("store", Map.of("url", url, "allow_agent", "false", "gss_auth", "false",
        "max_sessions", "5", "timeout", "30", "type", "copy", "verify", "true"), env, cfg)) {
      assertEquals(3, r.channels());
    }
  }

  /** The SFTP channels sshd has opened so far (one log line each). */
  private static long sftpSessions() {
    return sshd.log().lines().filter(l -> l.contains("Starting session: subsystem 'sftp'")).count();
  }

}
