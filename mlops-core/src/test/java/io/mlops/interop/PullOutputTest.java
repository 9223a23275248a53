package io.mlops.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.util.PathUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lines a pull prints (A/M per output, then one summary) are DVC's, for the same repository state. */
class PullOutputTest {
  @TempDir Path tmp;

  /** a modified to a cached older version, b missing with its object only on the remote. */
  private Path scenario() throws Exception {
    Path base = Workspaces.initRepo(tmp.resolve("base"));
    Workspaces.write(base, Map.of("a", "1\n", "b", "2\n"));
    DvcOracle.dvc(base, "add", "-q", "a", "b");
    DvcOracle.dvc(base, "remote", "add", "-q", "-d", "store", tmp.resolve("remote").toString());
    DvcOracle.dvc(base, "push", "-q");
    String aV1 = Files.readString(base.resolve("a.dvc"));
    Files.writeString(base.resolve("a"), "11\n");
    DvcOracle.dvc(base, "add", "-q", "a");
    Files.writeString(base.resolve("a.dvc"), aV1);
    Files.delete(base.resolve("b"));
    String b = Files.readString(base.resolve("b.dvc")).replaceAll("(?s).*md5: ([0-9a-f]{32}).*", "$1");
    Files.delete(base.resolve(".dvc/cache/files/md5/" + b.substring(0, 2) + "/" + b.substring(2)));
    return base;
  }

  private static List<String> normalized(String out) {
    return out.lines().map(l -> l.replaceAll("\\s+", " ").strip()).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void theSameLinesAsDvcPull() throws Exception {
    Path base = scenario();
    Path dvcSide = tmp.resolve("dvc-side");
    Path ours = tmp.resolve("ours");
    Workspaces.copy(base, dvcSide);
    Workspaces.copy(base, ours);
    List<String> dvc = normalized(DvcOracle.dvc(dvcSide, "pull"));
    assertEquals("1 file fetched, 1 file modified and 1 file added", dvc.get(dvc.size() - 1), dvc.toString());

    Workspaces.RecordingLog log = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(ours, log, Map.of("HOME", tmp.toString()), 1)) {
      new Sync(repo).pull(new Sync.Request(List.of(), null, 2, false), false);
    }
    assertEquals(dvc.stream().sorted().toList(), normalized(String.join("\n", log.lines)).stream().sorted().toList());
    assertEquals(Workspaces.snapshot(dvcSide, ".git", ".dvc"), Workspaces.snapshot(ours, ".git", ".dvc"));

    Workspaces.RecordingLog again = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(ours, again, Map.of("HOME", tmp.toString()), 1)) {
      new Sync(repo).pull(new Sync.Request(List.of(), null, 2, false), false);
    }
    assertEquals(normalized(DvcOracle.dvc(dvcSide, "pull")), normalized(String.join("\n", again.lines)));
    PathUtil.deleteRecursively(ours.resolve("b"));
    PathUtil.deleteRecursively(dvcSide.resolve("b"));
    Workspaces.RecordingLog third = new Workspaces.RecordingLog();
    try (Repo repo = Repo.open(ours, third, Map.of("HOME", tmp.toString()), 1)) {
      new Sync(repo).pull(new Sync.Request(List.of(), null, 2, false), false);
    }
    assertEquals(normalized(DvcOracle.dvc(dvcSide, "pull")), normalized(String.join("\n", third.lines)));
  }
}
