package io.mlops.internal.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.ReproResult;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline graph checks, status, checkout, commit, dag, local remotes and failure handling. */
class IndexAndWorkspaceTest {
  @TempDir Path root;
  final List<String> lines = new ArrayList<>();
  final EngineLog log = new EngineLog() {
    @Override
    public synchronized void info(String m) {
      lines.add(m);
    }

    @Override
    public synchronized void warn(String m) {
      lines.add("WARN " + m);
    }

    @Override
    public synchronized void error(String m) {
      lines.add("ERROR " + m);
    }

    @Override
    public void debug(String m) {}
  };

  @BeforeEach
  void init() {
    Repo.init(root, true, log);
  }

  private void write(String rel, String text) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private Repo open() {
    return Repo.open(root, log, Map.of("SHELL", "/bin/sh"), 1);
  }

  private ReproResult repro(ReproRequest req) {
    try (Repo repo = open()) {
      return new Reproducer(repo, Index.load(repo), Map.of("SHELL", "/bin/sh")).run(req);
    }
  }

  @Test
  void initWritesWhatDvcInitWrites() throws IOException {
    assertEquals("[core]\n    no_scm = True\n", Files.readString(root.resolve(".dvc/config")));
    assertEquals("/config.local\n/tmp\n/cache\n", Files.readString(root.resolve(".dvc/.gitignore")));
    assertTrue(Files.readString(root.resolve(".dvcignore")).startsWith("# Add patterns of files dvc should ignore"));
    assertFalse(Repo.init(root, true, log), "second init changes nothing");
  }

  @Test
  void openOutsideARepositoryExplainsWhatToDo(@TempDir Path other) {
    MlopsException e = assertThrows(MlopsException.class, () -> Repo.open(other, log));
    assertTrue(e.getMessage().contains("mlops:init"), e.getMessage());
  }

  @Test
  void cycleIsReportedWithItsStages() throws IOException {
    write("dvc.yaml", "stages:\n  a:\n    cmd: cp b.txt a.txt\n    deps: [b.txt]\n    outs: [a.txt]\n"
        + "  b:\n    cmd: cp a.txt b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Index.load(repo));
      assertTrue(e.getMessage().contains("cycle"), e.getMessage());
      assertTrue(e.getMessage().contains("dvc.yaml:"), "names the file and line: " + e.getMessage());
    }
  }

  @Test
  void overlappingAndDuplicateOutputsAreRejected() throws IOException {
    write("dvc.yaml", "stages:\n  a:\n    cmd: mkdir -p d\n    outs: [d]\n  b:\n    cmd: touch d/x\n    outs: [d/x]\n");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Index.load(repo));
      assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }
    write("dvc.yaml", "stages:\n  a:\n    cmd: touch x\n    outs: [x]\n  b:\n    cmd: touch x\n    outs: [x]\n");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Index.load(repo));
      assertTrue(e.getMessage().contains("already specified in stage"), e.getMessage());
    }
    write("dvc.yaml", "stages:\n  a:\n    cmd: touch x\n    deps: [x]\n    outs: [x]\n");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Index.load(repo));
      assertTrue(e.getMessage().contains("specified as an output and as a dependency"), e.getMessage());
    }
  }

  @Test
  void missingDependencyFailsWithoutTouchingTheLock() throws IOException {
    write("dvc.yaml", "stages:\n  a:\n    cmd: cp in.txt out.txt\n    deps: [in.txt]\n    outs: [out.txt]\n");
    MlopsException e = assertThrows(MlopsException.class, () -> repro(ReproRequest.defaults()));
    assertTrue(e.getMessage().contains("dependency 'in.txt' does not exist"), e.getMessage());
    assertFalse(Files.exists(root.resolve("dvc.lock")));
  }

  @Test
  void statusCheckoutCommitAndDag() throws IOException {
    write("in.txt", "hello\n");
    write("params.yaml", "n: 1\n");
    write("dvc.yaml", "stages:\n  copy:\n    cmd: cp in.txt out.txt\n    deps: [in.txt]\n    params: [n]\n"
        + "    outs: [out.txt]\n  count:\n    cmd: wc -c < out.txt > count.txt\n    deps: [out.txt]\n"
        + "    outs: [count.txt]\n");
    assertFalse(repro(ReproRequest.defaults()).failed());
    try (Repo repo = open()) {
      Workspace ws = new Workspace(repo);
      assertTrue(ws.status(List.of()).isEmpty());
      write("params.yaml", "n: 2\n");
      List<StageStatus> changed = ws.status(List.of());
      assertEquals(1, changed.size());
      assertEquals("copy:\n\tchanged deps:\n\t\tparams.yaml:\n\t\t\tmodified:           n\n", changed.get(0).render());
      write("params.yaml", "n: 1\n");

      Files.delete(root.resolve("out.txt"));
      Files.delete(root.resolve("count.txt"));
      assertEquals(2, ws.checkout(List.of(), false));
      assertEquals("hello\n", Files.readString(root.resolve("out.txt")));
      assertTrue(lines.contains("A\tout.txt"), lines.toString());

      assertEquals("+------+   \n| copy |   \n+------+   \n    *      \n    *      \n    *      \n"
          + "+-------+  \n| count |  \n+-------+  \n", ws.dag(List.of(), false, false, false));
      assertTrue(ws.dag(List.of(), false, true, false).contains("node1-->node2"));
    }
    // commit records an edited output without running anything
    write("in.txt", "changed\n");
    Files.writeString(root.resolve("out.txt"), "changed\n");
    try (Repo repo = open()) {
      assertEquals(1, new Workspace(repo).commit(List.of("copy")));
    }
    assertTrue(Files.readString(root.resolve("dvc.lock")).contains("md5: " + md5("changed\n")));
  }

  @Test
  void keepGoingRunsIndependentStagesAfterAFailure() throws IOException {
    write("dvc.yaml", "stages:\n  bad:\n    cmd: exit 4\n    outs: [bad.txt]\n  after:\n    cmd: cp bad.txt after.txt\n"
        + "    deps: [bad.txt]\n    outs: [after.txt]\n  good:\n    cmd: echo ok > good.txt\n    outs: [good.txt]\n");
    ReproRequest req = new ReproRequest(List.of(), false, false, false, false, true, false, 1, null, false);
    ReproResult r = repro(req);
    assertTrue(r.failed());
    Map<String, ReproResult.Outcome> o = new java.util.HashMap<>();
    r.stages().forEach(s -> o.put(s.stage(), s.outcome()));
    assertEquals(ReproResult.Outcome.FAILED, o.get("bad"));
    assertEquals(ReproResult.Outcome.NOT_RUN, o.get("after"));
    assertEquals(ReproResult.Outcome.RAN, o.get("good"));
  }

  @Test
  void parallelStagesGiveTheSameLockAsSequentialOnes() throws IOException {
    StringBuilder y = new StringBuilder("stages:\n");
    for (int i = 0; i < 6; i++) {
      y.append("  s").append(i).append(":\n    cmd: echo ").append(i).append(" > o").append(i).append(".txt\n")
          .append("    outs: [o").append(i).append(".txt]\n");
    }
    y.append("  join:\n    cmd: cat o0.txt o5.txt > join.txt\n    deps: [o0.txt, o5.txt]\n    outs: [join.txt]\n");
    write("dvc.yaml", y.toString());
    assertFalse(repro(ReproRequest.defaults().withJobs(3)).failed());
    String parallel = Files.readString(root.resolve("dvc.lock"));
    Files.delete(root.resolve("dvc.lock"));
    assertFalse(repro(ReproRequest.defaults().withForce(true)).failed());
    // stage order in the lock follows completion; the entries are the same
    assertEquals(sortedLines(Files.readString(root.resolve("dvc.lock"))), sortedLines(parallel));
    assertEquals("0\n5\n", Files.readString(root.resolve("join.txt")));
  }

  @Test
  void pushWipePullRestoresTheWorkspaceFromALocalRemote(@TempDir Path remoteDir) throws IOException {
    Files.writeString(root.resolve(".dvc/config"),
        "[core]\n    no_scm = True\n    remote = store\n['remote \"store\"']\n    url = " + remoteDir + "\n");
    write("data/a.txt", "a\n");
    write("data/sub/b.txt", "b\n");
    write("dvc.yaml", "stages:\n  cat:\n    cmd: cat data/a.txt data/sub/b.txt > all.txt\n    deps: [data]\n"
        + "    outs: [all.txt]\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("data"));
    }
    assertFalse(repro(ReproRequest.defaults()).failed());
    try (Repo repo = open()) {
      assertEquals(4, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false)).transferred());
      assertEquals(0, new Sync(repo).push(new Sync.Request(List.of(), null, 4, false)).transferred());
    }
    assertTrue(Files.exists(remoteDir.resolve("files/md5")));
    io.mlops.internal.util.PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    io.mlops.internal.util.PathUtil.deleteRecursively(root.resolve("data"));
    Files.delete(root.resolve("all.txt"));
    try (Repo repo = open()) {
      new Sync(repo).pull(new Sync.Request(List.of(), null, 4, false), false);
    }
    assertEquals("a\n", Files.readString(root.resolve("data/a.txt")));
    assertEquals("b\n", Files.readString(root.resolve("data/sub/b.txt")));
    assertEquals("a\nb\n", Files.readString(root.resolve("all.txt")));
    ReproResult again = repro(ReproRequest.defaults());
    assertEquals(again.stages().size(), again.count(ReproResult.Outcome.SKIPPED), again.toString());

    // a corrupted remote object is refused and never enters the cache
    Path obj = remoteDir.resolve("files/md5/" + md5("a\n").substring(0, 2) + "/" + md5("a\n").substring(2));
    obj.toFile().setWritable(true);
    Files.writeString(obj, "tampered\n");
    io.mlops.internal.util.PathUtil.deleteRecursively(root.resolve(".dvc/cache"));
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class,
          () -> new Sync(repo).fetch(new Sync.Request(List.of(), null, 4, false), false));
      assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
      assertFalse(repo.cache().exists(io.mlops.internal.hash.HashInfo.md5(md5("a\n"))));
    }
    // a missing one is reported by name
    Files.delete(obj);
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class,
          () -> new Sync(repo).fetch(new Sync.Request(List.of(), null, 4, false), false));
      assertTrue(e.getMessage().contains("data/a.txt"), e.getMessage());
      assertTrue(e.getMessage().contains("missing from remote 'store'"), e.getMessage());
    }
  }

  @Test
  void unknownRemoteIsAClearError() throws IOException {
    write("x.txt", "x");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("x.txt"));
      MlopsException e = assertThrows(MlopsException.class,
          () -> new Sync(repo).push(new Sync.Request(List.of(), "nope", 1, false)));
      assertTrue(e.getMessage().contains("remote 'nope' does not exist"), e.getMessage());
      MlopsException none = assertThrows(MlopsException.class,
          () -> new Sync(repo).push(new Sync.Request(List.of(), null, 1, false)));
      assertTrue(none.getMessage().contains("no remote specified"), none.getMessage());
    }
  }

  private static List<String> sortedLines(String s) {
    List<String> l = new ArrayList<>(s.lines().toList());
    l.sort(null);
    return l;
  }

  private static String md5(String s) {
    return io.mlops.internal.hash.FileHasher.md5Hex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
