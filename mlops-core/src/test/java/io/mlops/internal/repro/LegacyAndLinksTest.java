package io.mlops.internal.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.api.ReproResult;
import io.mlops.internal.Repo;
import io.mlops.internal.config.DvcConfig;
import io.mlops.internal.hash.FileHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DVC 2 (legacy md5-dos2unix) files, cache link types and .dvc/config parsing. */
class LegacyAndLinksTest {
  @TempDir Path root;
  final EngineLog log = EngineLog.console();

  private Repo open() {
    return Repo.open(root, log, Map.of("SHELL", "/bin/sh"), 1);
  }

  private ReproResult repro() {
    try (Repo repo = open()) {
      return new Reproducer(repo, Index.load(repo), Map.of("SHELL", "/bin/sh")).run(ReproRequest.defaults());
    }
  }

  @Test
  void dvc2LockAndDvcFileAreReadAndNotRewritten() throws IOException {
    Repo.init(root, true, log);
    byte[] crlf = "a,b\r\n1,2\r\n".getBytes(StandardCharsets.US_ASCII);
    Files.write(root.resolve("in.csv"), crlf);
    Files.write(root.resolve("raw.txt"), crlf);
    Files.writeString(root.resolve("dvc.yaml"), "stages:\n  copy:\n    cmd: cp in.csv out.csv\n    deps:\n"
        + "    - in.csv\n    outs:\n    - out.csv\n");
    Files.write(root.resolve("out.csv"), crlf);
    String legacy = FileHasher.dos2unixMd5(root.resolve("in.csv"));
    assertFalse(legacy.equals(FileHasher.md5(root.resolve("in.csv"))), "the fixture must tell the schemes apart");
    // what DVC 2 wrote: no hash: keys, dos2unix md5s, objects at the cache root
    String lock = "schema: '2.0'\nstages:\n  copy:\n    cmd: cp in.csv out.csv\n    deps:\n    - path: in.csv\n"
        + "      md5: " + legacy + "\n      size: 10\n    outs:\n    - path: out.csv\n      md5: " + legacy
        + "\n      size: 10\n";
    Files.writeString(root.resolve("dvc.lock"), lock);
    String dvcFile = "outs:\n- md5: " + legacy + "\n  size: 10\n  path: raw.txt\n";
    Files.writeString(root.resolve("raw.txt.dvc"), dvcFile);
    Path legacyObject = root.resolve(".dvc/cache/" + legacy.substring(0, 2) + "/" + legacy.substring(2));
    Files.createDirectories(legacyObject.getParent());
    Files.write(legacyObject, crlf);

    try (Repo repo = open()) {
      assertEquals(List.of(), new Workspace(repo).status(List.of()), "DVC 2 state is up to date");
    }
    ReproResult r = repro();
    assertEquals(r.stages().size(), r.count(ReproResult.Outcome.SKIPPED), r.toString());
    assertEquals(lock, Files.readString(root.resolve("dvc.lock")), "lock not rewritten");
    assertEquals(dvcFile, Files.readString(root.resolve("raw.txt.dvc")), ".dvc not rewritten");

    // a changed legacy output switches to DVC 3 hashing, key appended like DVC's round-trip edit
    Files.writeString(root.resolve("raw.txt"), "new\n");
    try (Repo repo = open()) {
      new Workspace(repo).add(List.of("raw.txt"));
    }
    assertEquals("outs:\n- md5: " + FileHasher.md5Hex("new\n".getBytes(StandardCharsets.UTF_8))
        + "\n  size: 4\n  path: raw.txt\n  hash: md5\n", Files.readString(root.resolve("raw.txt.dvc")));
  }

  @Test
  void dvcFileWhosePathLeavesTheWorkspaceIsRejected() throws IOException {
    Repo.init(root, true, log);
    Files.writeString(root.resolve("evil.dvc"), "outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n"
        + "  hash: md5\n  path: ../../etc/passwd\n");
    try (Repo repo = open()) {
      MlopsException e = assertThrows(MlopsException.class, () -> Index.load(repo));
      assertTrue(e.getMessage().contains("evil.dvc:5"), e.getMessage());
      assertTrue(e.getMessage().contains("leaves the workspace"), e.getMessage());
    }
  }

  @Test
  void hardlinkAndSymlinkCacheTypes() throws IOException {
    for (String type : List.of("hardlink", "symlink", "copy")) {
      Path dir = Files.createDirectories(root.resolve(type));
      Repo.init(dir, true, log);
      Files.writeString(dir.resolve(".dvc/config"), "[core]\n    no_scm = True\n[cache]\n    type = " + type + "\n");
      Files.writeString(dir.resolve("data.txt"), "payload\n");
      try (Repo repo = Repo.open(dir, log, Map.of(), 1)) {
        new Workspace(repo).add(List.of("data.txt"));
        Files.delete(dir.resolve("data.txt"));
        new Workspace(repo).checkout(List.of(), false);
        Path f = dir.resolve("data.txt");
        Path obj = repo.cache().path(io.mlops.internal.hash.HashInfo.md5(FileHasher.md5Hex("payload\n".getBytes())));
        assertEquals("payload\n", Files.readString(f));
        switch (type) {
          case "hardlink" -> assertTrue(Files.isSameFile(f, obj) && !Files.isSymbolicLink(f));
          case "symlink" -> assertTrue(Files.isSymbolicLink(f));
          default -> assertFalse(Files.isSameFile(f, obj));
        }
        assertEquals("r--r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(obj, LinkOption.NOFOLLOW_LINKS)), "cache objects are read-only");
      }
    }
  }

  @Test
  void configLevelsQuotingAndRelativePaths(@TempDir Path home) throws IOException {
    Repo.init(root, true, log);
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    remote = Storage\n    autostage = true\n"
        + "['remote \"storage\"']\n    url = ../store\n    projectname = my-proj\n[cache]\n    type = \"hardlink,copy\"\n");
    Files.writeString(root.resolve(".dvc/config.local"), "['remote \"storage\"']\n    credentialpath = creds.json\n");
    Path global = Files.createDirectories(home.resolve("dvc"));
    Files.writeString(global.resolve("config"), "[core]\n    analytics = false\n    remote = other\n");
    DvcConfig c = DvcConfig.load(root.resolve(".dvc"), Map.of("DVC_GLOBAL_CONFIG_DIR", global.toString(),
        "DVC_SYSTEM_CONFIG_DIR", home.resolve("none").toString()));
    assertEquals("Storage", c.get("core", "remote").orElseThrow(), "repo level wins over global");
    assertEquals("false", c.get("core", "analytics").orElseThrow());
    assertEquals("hardlink,copy", c.get("cache", "type").orElseThrow());
    assertEquals(root.resolve("store").normalize(), c.getPath("remote \"storage\"", "url").orElseThrow(),
        "relative to the config file's directory");
    assertEquals(root.resolve(".dvc/creds.json"), c.getPath("remote \"storage\"", "credentialpath").orElseThrow());
    assertEquals(List.of("storage"), c.remoteNames());
  }
}
