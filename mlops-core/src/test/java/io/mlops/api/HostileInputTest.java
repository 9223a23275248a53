package io.mlops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mlops.testing.CapturingLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus: repositories a careless or malicious commit can produce (escaping manifests, bad
 * hashes, YAML bombs, broken params and config files, paths out of the repository, a stage killed by a signal).
 * Each case is refused through the public API with one {@link MlopsException} whose message names the file (and
 * line where there is one) and the fix, carries no exception class name or stack trace, echoes no secret, and
 * leaves every file of the workspace, the cache and the directory around the repository as it was.
 */
class HostileInputTest {
  @TempDir Path tmp;

  /** What a case does to a fresh repository before the operation. */
  interface Setup {
    void apply(Path root) throws Exception;
  }

  /** The operation under test. */
  interface Op {
    Object run(Mlops m);
  }

  /**
   * @param file a fragment of the file name the message must name
   * @param fragments further text the message must contain
   * @param mayChange workspace paths (relative to the repository) the operation may legitimately change
   * @param secret text that must never appear in the message or the log
   */
  record Case(String name, Setup setup, Op op, String file, List<String> fragments, Set<String> mayChange,
      String secret) {
    @Override
    public String toString() {
      return name;
    }

    Case allowChange(String... paths) {
      return new Case(name, setup, op, file, fragments, Set.of(paths), secret);
    }

    Case secret(String s) {
      return new Case(name, setup, op, file, fragments, mayChange, s);
    }
  }

  static final Op STATUS = m -> m.status(List.of());
  static final Op REPRO = m -> m.repro(ReproOptions.defaults());
  /** repro, its first failed stage's error raised as the adapters report it. */
  static final Op REPRO_STRICT = m -> {
    ReproResult r = m.repro(ReproOptions.defaults());
    r.stages().stream().filter(s -> s.outcome() == ReproResult.Outcome.FAILED).findFirst().ifPresent(s -> {
      throw new MlopsException(s.error());
    });
    return r;
  };
  static final Op CHECKOUT = m -> m.checkout(CheckoutOptions.defaults());
  static final Op PUSH = m -> m.push(TransferOptions.defaults());

  static Op add(String... paths) {
    return m -> m.add(List.of(paths));
  }

  static Case c(String name, Op op, String file, Setup setup, String... fragments) {
    return new Case(name, setup, op, file, List.of(fragments), Set.of(), null);
  }

  static Setup files(String... pathsAndContents) {
    return root -> {
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        write(root.resolve(pathsAndContents[i]), pathsAndContents[i + 1]);
      }
    };
  }

  static Setup both(Setup a, Setup b) {
    return root -> {
      a.apply(root);
      b.apply(root);
    };
  }

  static final String A_MD5 = md5("a\n");

  /** {@code data.dvc} tracking a directory whose manifest (stored in the cache under its own md5) is given. */
  static Setup trackedDir(String manifest) {
    return root -> {
      cacheObject(root, "a\n", "");
      String dirMd5 = cacheObject(root, manifest, ".dir");
      write(root.resolve("data.dvc"), "outs:\n- md5: " + dirMd5 + ".dir\n  size: 2\n  nfiles: 1\n  hash: md5\n"
          + "  path: data\n");
    };
  }

  static String entry(String md5, String relpath) {
    return "{\"md5\": \"" + md5 + "\", \"relpath\": \"" + relpath + "\"}";
  }

  /** {@code data.txt.dvc} with the given out entry lines (after {@code - }). */
  static Setup dvcFile(String outLines) {
    return both(files("data.txt", "a\n"), files("data.txt.dvc", "outs:\n- " + outLines));
  }

  static final String STAGE = "stages:\n  s:\n    cmd: cp in.txt out.txt\n    deps: [in.txt]\n    outs: [out.txt]\n";

  static Setup lock(String lock) {
    return files("dvc.yaml", STAGE, "in.txt", "a\n", "dvc.lock", lock);
  }

  static String lockWith(String depMd5, String outMd5) {
    return "schema: '2.0'\nstages:\n  s:\n    cmd: cp in.txt out.txt\n    deps:\n    - path: in.txt\n"
        + "      hash: md5\n      md5: " + depMd5 + "\n      size: 2\n    outs:\n    - path: out.txt\n"
        + "      hash: md5\n      md5: " + outMd5 + "\n      size: 2\n";
  }

  static String billionLaughs() {
    StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      sb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        sb.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      sb.append("]\n");
      prev = c;
    }
    return sb.toString();
  }

  static String nested(int depth) {
    return "stages:\n  s:\n    cmd: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
  }

  static final String PARAMS_STAGE = "stages:\n  s:\n    cmd: echo ok > out.txt\n    params: [lr]\n"
      + "    outs: [out.txt]\n";

  static Setup paramsStage(String paramsFile, String content) {
    String stage = paramsFile.equals("params.yaml") ? PARAMS_STAGE
        : "stages:\n  s:\n    cmd: echo ok > out.txt\n    params:\n    - " + paramsFile + ": [lr]\n"
            + "    outs: [out.txt]\n";
    return files("dvc.yaml", stage, paramsFile, content);
  }

  static Setup config(String content) {
    return both(files("data.txt", "a\n"), root -> write(root.resolve(".dvc/config"), content));
  }

  static Stream<Case> cases() {
    List<Case> cs = new ArrayList<>();
    // .dir manifests
    cs.add(c("dvcignore pattern with a reversed range", add("data"), ".dvcignore",
        files(".dvcignore", "# samples\n*.tmp\n[z-a]*.csv\n", "data/a.txt", "a\n"), "invalid pattern '[z-a]*.csv'",
        ":3", "low-high"));
    cs.add(c("manifest relpath climbs out", CHECKOUT, ".dir",
        trackedDir("[" + entry(A_MD5, "../escaped.txt") + "]"), "../escaped.txt"));
    cs.add(c("manifest relpath climbs out after a subdirectory", CHECKOUT, ".dir",
        trackedDir("[" + entry(A_MD5, "sub/../../escaped.txt") + "]"), "escaped.txt"));
    cs.add(c("manifest relpath is absolute", CHECKOUT, ".dir",
        root -> trackedDir("[" + entry(A_MD5, root.getParent().resolve("escaped.txt").toString()) + "]")
            .apply(root), "escaped.txt"));
    cs.add(c("manifest relpath is empty", CHECKOUT, ".dir", trackedDir("[" + entry(A_MD5, "") + "]"), "unsafe path"));
    cs.add(c("manifest relpath is duplicated", CHECKOUT, ".dir",
        trackedDir("[" + entry(A_MD5, "a.txt") + ", " + entry(A_MD5, "a.txt") + "]"), "'a.txt' twice"));
    cs.add(c("manifest is not JSON", CHECKOUT, ".dir", trackedDir("not json at all"), "not valid JSON (line 1"));
    cs.add(c("manifest is not a list", CHECKOUT, ".dir", trackedDir(entry(A_MD5, "a.txt")), "not a JSON list"));
    cs.add(c("manifest entry md5 is not hex", CHECKOUT, ".dir",
        trackedDir("[" + entry("zz" + A_MD5.substring(2), "a.txt") + "]"), "not 32 hex digits"));
    cs.add(c("manifest entry lacks relpath", CHECKOUT, ".dir",
        trackedDir("[{\"md5\": \"" + A_MD5 + "\"}]"), "entry 1 has no relpath"));
    // symlinks out of the workspace
    cs.add(c("symlink in an added directory points out of the workspace", add("data"), "data/link",
        root -> {
          write(root.resolve("data/a.txt"), "a\n");
          write(root.getParent().resolve("outside.txt"), "secret data\n");
          Files.createSymbolicLink(root.resolve("data/link"), Path.of("../../outside.txt"));
        }, "outside"));
    cs.add(c("added file is a symlink out of the workspace", add("link.txt"), "link.txt",
        root -> {
          write(root.getParent().resolve("outside.txt"), "secret data\n");
          Files.createSymbolicLink(root.resolve("link.txt"), root.getParent().resolve("outside.txt"));
        }, "outside"));
    cs.add(c("a file name that is not UTF-8", add("data"), "data/", root -> {
      write(root.resolve("data/a.txt"), "a\n");
      // a Latin-1 name (0xE9 alone is not UTF-8), made by the shell since Java cannot name it
      io.mlops.harness.Processes.Result r = io.mlops.harness.Processes.run(
          List.of("sh", "-c", "printf x > \"$(printf 'data/caf\\351.txt')\""), root, Map.of(),
          java.time.Duration.ofSeconds(30));
      assertEquals(0, r.exitCode(), r.output());
    }, "not valid UTF-8"));
    // .dvc files
    cs.add(c(".dvc md5 too short", STATUS, "data.txt.dvc", dvcFile("md5: abc123\n  size: 2\n  hash: md5\n"
        + "  path: data.txt\n"), "md5"));
    cs.add(c(".dvc md5 not hex", STATUS, "data.txt.dvc", dvcFile("md5: " + "g".repeat(32) + "\n  size: 2\n"
        + "  hash: md5\n  path: data.txt\n"), "md5"));
    cs.add(c(".dvc unknown hash name", STATUS, "data.txt.dvc", dvcFile("blake3: " + "ab".repeat(32)
        + "\n  size: 2\n  hash: blake3\n  path: data.txt\n"), "blake3"));
    cs.add(c(".dvc is not YAML", STATUS, "data.txt.dvc", files("data.txt", "a\n", "data.txt.dvc",
        "outs:\n- md5: [unclosed\n"), "data.txt.dvc"));
    cs.add(c(".dvc out without path", STATUS, "data.txt.dvc", dvcFile("md5: " + A_MD5 + "\n  size: 2\n"
        + "  hash: md5\n"), "path"));
    cs.add(c(".dvc path climbs out", STATUS, "data.txt.dvc", dvcFile("md5: " + A_MD5 + "\n  size: 2\n"
        + "  hash: md5\n  path: ../escaped.txt\n"), "escaped.txt"));
    // dvc.lock
    cs.add(c("lock md5 too short", STATUS, "dvc.lock", lock(lockWith(A_MD5, "abc")), "md5"));
    cs.add(c("lock md5 not hex", STATUS, "dvc.lock", lock(lockWith("x".repeat(32), A_MD5)), "md5"));
    cs.add(c("lock schema unknown", STATUS, "dvc.lock", lock("schema: '9.0'\nstages: {}\n"), "schema"));
    cs.add(c("lock is a list", STATUS, "dvc.lock", lock("- a\n- b\n"), "dvc.lock"));
    cs.add(c("lock alias bomb", STATUS, "dvc.lock", lock(billionLaughs()), "dvc.lock"));
    // dvc.yaml
    cs.add(c("dvc.yaml alias bomb", STATUS, "dvc.yaml", files("dvc.yaml", billionLaughs()), "dvc.yaml"));
    cs.add(c("dvc.yaml nested 10000 deep", STATUS, "dvc.yaml", files("dvc.yaml", nested(10_000)), "dvc.yaml"));
    cs.add(c("dvc.yaml duplicate stage", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\n  s:\n    cmd: echo 2\n"), "s"));
    cs.add(c("dvc.yaml duplicate key in a stage", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\n    cmd: echo 2\n"), "cmd"));
    cs.add(c("dvc.yaml 20 MB line", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\n" + "x".repeat(20_000_000) + "\n"), "dvc.yaml"));
    cs.add(c("dvc.yaml is a list", STATUS, "dvc.yaml", files("dvc.yaml", "- a\n- b\n"), "dvc.yaml"));
    cs.add(c("dvc.yaml DVC 2 live section", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\nlive:\n  dvclive:\n    summary: true\n"), "live"));
    cs.add(c("dvc.yaml stage without cmd", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    deps: [a]\n"), "cmd"));
    cs.add(c("dvc.yaml stage with unknown key", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\n    comand: echo 2\n"), "comand"));
    cs.add(c("dvc.yaml foreach over a number", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    foreach: 3\n    do:\n      cmd: echo ${item}\n"), "foreach"));
    cs.add(c("dvc.yaml undefined variable", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo ${nope}\n"), "nope"));
    cs.add(c("dvc.yaml syntax error", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1\n   deps: [a\n"), "dvc.yaml:"));
    cs.add(c("dvc.yaml cycle", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  a:\n    cmd: cp y x\n    deps: [y]\n    outs: [x]\n  b:\n    cmd: cp x y\n    deps: [x]\n"
            + "    outs: [y]\n"), "cycle"));
    cs.add(c("dvc.yaml two stages write one output", STATUS, "dvc.yaml", files("dvc.yaml",
        "stages:\n  a:\n    cmd: echo 1 > x\n    outs: [x]\n  b:\n    cmd: echo 2 > x\n    outs: [x]\n"), "x"));
    cs.add(c("dvc.yaml wdir climbs out", REPRO, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1 > x\n    wdir: ../..\n    outs: [x]\n"), "wdir"));
    cs.add(c("dvc.yaml output climbs out", REPRO, "dvc.yaml", files("dvc.yaml",
        "stages:\n  s:\n    cmd: echo 1 > ../outside.txt\n    outs: [../outside.txt]\n"), "outside.txt"));
    cs.add(c("dvc.yaml output is absolute", REPRO, "dvc.yaml", root -> write(root.resolve("dvc.yaml"),
        "stages:\n  s:\n    cmd: 'true'\n    outs: [" + root.getParent().resolve("abs.txt") + "]\n"), "abs.txt"));
    cs.add(c("added file name too long", add("n".repeat(300)), "nnnnnnnn", files("dvc.yaml", STAGE)));
    // params files
    cs.add(c("params.yaml malformed", REPRO, "params.yaml", paramsStage("params.yaml", "lr: [0.1\n"),
        "params.yaml"));
    cs.add(c("params.yaml alias bomb", REPRO, "params.yaml", paramsStage("params.yaml", billionLaughs()),
        "params.yaml"));
    cs.add(c("params.yaml is a list", REPRO, "params.yaml", paramsStage("params.yaml", "- 1\n- 2\n"),
        "params.yaml"));
    cs.add(c("params.json malformed", REPRO, "params.json", paramsStage("params.json", "{\"lr\": 0.1,"),
        "params.json"));
    cs.add(c("params.toml malformed", REPRO, "params.toml", paramsStage("params.toml", "lr = = 0.1\n"),
        "params.toml"));
    cs.add(c("params.py syntax error", REPRO, "params.py", paramsStage("params.py", "lr = (0.1\n"),
        "params.py"));
    // (params show/diff on a malformed params file is not refused: DVC prints nothing and exits 0, and so do we)
    // .dvc/config and remotes
    cs.add(c("config without a section", PUSH, "config", config("url = /tmp/x\n"), "config"));
    cs.add(c("config with an unclosed section", PUSH, "config", config("[core\nremote = x\n"), "config"));
    cs.add(c("default remote does not exist", PUSH, "config", config("[core]\n    remote = nope\n"), "nope"));
    cs.add(c("remote with an unsupported scheme", PUSH, "config",
        config("[core]\n    remote = r\n['remote \"r\"']\n    url = hdfs://namenode/path\n"), "hdfs"));
    cs.add(c("credentials in an unsupported remote URL", PUSH, "config",
        config("[core]\n    remote = r\n['remote \"r\"']\n    url = hdfs://alice:s3cr3t-pw@namenode/path\n"),
        "hdfs").secret("s3cr3t-pw"));
    // workspace shapes
    cs.add(c("a directory where a tracked file belongs", CHECKOUT, "data.txt",
        root -> {
          cacheObject(root, "a\n", "");
          write(root.resolve("data.txt.dvc"), "outs:\n- md5: " + A_MD5 + "\n  size: 2\n  hash: md5\n"
              + "  path: data.txt\n");
          write(root.resolve("data.txt/precious.txt"), "user work\n");
        }, "force"));
    cs.add(c("a stage killed by a signal", REPRO_STRICT, "'s'",
        root -> {
          write(root.resolve("dvc.yaml"), "stages:\n  s:\n    cmd: sh run.sh\n    deps: [run.sh]\n"
              + "    outs: [out.txt]\n");
          write(root.resolve("run.sh"), "echo 1 > out.txt\n");
          try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), new CapturingLog(false))) {
            m.repro(ReproOptions.defaults());
          }
          write(root.resolve("run.sh"), "echo 2 > out.txt\nkill -9 $$\n");
        }, "killed by signal 9").allowChange("run.sh", "out.txt"));
    return cs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedInOneClearLineAndNothingChanges(Case c) throws Exception {
    Path root = tmp.resolve("repo");
    Files.createDirectories(tmp.resolve("home"));
    CapturingLog setupLog = new CapturingLog(false);
    Mlops.init(root, true, setupLog);
    c.setup().apply(root);
    Map<String, String> before = snapshot(tmp, root, c.mayChange());

    CapturingLog log = new CapturingLog(false);
    MlopsOptions options = MlopsOptions.defaults().env(Map.of("HOME", tmp.resolve("home").toString(),
        "PATH", System.getenv("PATH")));
    String message = null;
    try (Mlops m = Mlops.open(root, options, log)) {
      Object result = c.op().run(m);
      fail(c.name() + ": expected a refusal, got " + result + "\nlog: " + log.lines());
    } catch (MlopsException e) {
      message = e.getMessage();
    }
    assertTrue(message.contains(c.file()), c.name() + ": the message names " + c.file() + ":\n" + message);
    for (String f : c.fragments()) {
      assertTrue(message.contains(f), c.name() + ": the message says " + f + ":\n" + message);
    }
    assertTrue(message.length() < 2000, c.name() + ": the message is short, not the input echoed: "
        + message.length() + " chars");
    assertFalse(message.matches("(?s).*\\b\\w+(Exception|Error)\\b.*"),
        c.name() + ": no exception class name:\n" + message);
    for (String line : log.lines()) {
      assertFalse(line.contains("\tat ") || line.matches("(?s).*\\b[\\w.]+(Exception|Error)\\b.*"),
          c.name() + ": no stack trace or exception in the log: " + line);
    }
    if (c.secret() != null) {
      assertFalse(message.contains(c.secret()), c.name() + ": the secret is not echoed:\n" + message);
      assertFalse(String.join("\n", log.lines()).contains(c.secret()), c.name() + ": nor logged");
    }
    assertEquals(before, snapshot(tmp, root, c.mayChange()),
        c.name() + ": no file of the workspace, the cache or around the repository changed");
  }

  /** DVC reads an empty recorded md5 as none: the data shows as modified, as `dvc status` prints it. */
  @org.junit.jupiter.api.Test
  void anEmptyMd5IsReadAsNoneLikeDvc() throws Exception {
    Path root = tmp.resolve("repo");
    Mlops.init(root, true, new CapturingLog(false));
    dvcFile("md5: ''\n  size: 2\n  hash: md5\n  path: data.txt\n").apply(root);
    try (Mlops m = Mlops.open(root, MlopsOptions.defaults(), new CapturingLog(false))) {
      StatusResult r = m.status(List.of());
      assertEquals(1, r.changed().size(), r.toString());
      assertEquals("modified", r.changed().get(0).outs().get(0).state(), r.toString());
    }
  }

  /** Every file under {@code top} (path → md5, or the link target), except DVC's scratch space and allowed paths. */
  static Map<String, String> snapshot(Path top, Path root, Set<String> mayChange) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path scratch = root.resolve(".dvc/tmp");
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.startsWith(scratch) || (p.startsWith(root) && mayChange.contains(
            root.relativize(p).toString().replace('\\', '/')))) {
          continue;
        }
        String key = top.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(key, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(key + "/", "");
        } else {
          out.put(key, md5(Files.readAllBytes(p)));
        }
      }
    }
    return out;
  }

  static String cacheObject(Path root, String content, String suffix) throws IOException {
    String md5 = md5(content);
    write(root.resolve(".dvc/cache/files/md5").resolve(md5.substring(0, 2)).resolve(md5.substring(2) + suffix),
        content);
    return md5;
  }

  static void write(Path p, String content) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String md5(String s) {
    return md5(s.getBytes(StandardCharsets.UTF_8));
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
