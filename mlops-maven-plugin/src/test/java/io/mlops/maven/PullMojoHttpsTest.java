package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import io.mlops.internal.util.PathUtil;
import io.mlops.testing.Fields;
import io.mlops.testing.NginxServer;
import io.mlops.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn mlops:pull} of a repository whose remote is an https URL served by a real nginx on 127.0.0.1 (its own
 * test CA named by {@code ssl_verify}): the goal gives the workspace {@code dvc pull} gives from the same remote,
 * byte for byte, and a certificate the JVM does not trust fails the build (a configuration to fix) in one line naming the remote.
 */
class PullMojoHttpsTest {
  static NginxServer nginx;

  @TempDir Path tmp;

  @BeforeAll
  static void startNginx() {
    nginx = NginxServer.start();
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  /** A repository made and pushed by DVC to nginx over https: a tracked directory and a 2 MB model. */
  private Path pushedByDvc() throws IOException {
    Path base = Files.createDirectories(tmp.resolve("base"));
    DvcOracle.runOk(base, "git", "init", "-q");
    DvcOracle.dvc(base, "init", "-q");
    Files.createDirectories(base.resolve("data/nested"));
    Files.writeString(base.resolve("data/train.csv"), "x,y\n1,2\n3,4\n");
    Files.writeString(base.resolve("data/nested/notes.txt"), "notes\n");
    byte[] model = new byte[2 * 1024 * 1024 + 5];
    new Random(11).nextBytes(model);
    Files.write(base.resolve("model.bin"), model);
    DvcOracle.dvc(base, "add", "-q", "data", "model.bin");
    Files.copy(nginx.caCertificate(), base.resolve("ca.pem"));
    String url = nginx.tlsEndpoint() + "/dav/mojo-" + System.nanoTime();
    DvcOracle.dvc(base, "remote", "add", "-d", "store", url);
    DvcOracle.dvc(base, "remote", "modify", "store", "method", "PUT");
    DvcOracle.dvc(base, "remote", "modify", "store", "ssl_verify", "ca.pem");
    String pushed = DvcOracle.dvc(base, "push");
    assertTrue(pushed.contains("4 files pushed"), pushed);
    return base;
  }

  /** A clone without cache or data, as CI checks it out. */
  private Path fresh(Path base, String name) {
    Path to = tmp.resolve(name);
    Trees.copy(base, to);
    for (String p : List.of(".dvc/cache", ".dvc/tmp", "data", "model.bin")) {
      PathUtil.deleteRecursively(to.resolve(p));
    }
    return to;
  }

  /** The tracked files of a workspace, relative path → bytes. */
  private static Map<String, byte[]> data(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Stream.concat(Files.walk(root.resolve("data")), Stream.of(root.resolve("model.bin")))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(PathUtil.posix(root.relativize(p)), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void pull(Path root) throws Exception {
    PullMojo mojo = new PullMojo();
    Fields.set(mojo, "root", root.toFile());
    Fields.set(mojo, "jobs", 4);
    mojo.execute();
  }

  @Test
  void pullGivesTheBytesDvcPullsAndAnUntrustedCertificateIsOneLine() throws Exception {
    Path base = pushedByDvc();
    Path byDvc = fresh(base, "by-dvc");
    String pulled = DvcOracle.dvc(byDvc, "pull");
    assertTrue(pulled.contains("4 files fetched"), pulled);
    Path byMojo = fresh(base, "by-mojo");
    pull(byMojo);

    Map<String, byte[]> dvcSide = data(byDvc);
    Map<String, byte[]> ours = data(byMojo);
    assertEquals(dvcSide.keySet(), ours.keySet());
    for (Map.Entry<String, byte[]> f : dvcSide.entrySet()) {
      assertArrayEquals(f.getValue(), ours.get(f.getKey()), f.getKey());
    }
    assertEquals(data(base).keySet(), ours.keySet());
    String status = DvcOracle.dvc(byMojo, "status", "-c");
    assertTrue(status.contains("Cache and remote 'store' are in sync."), status);

    // without ssl_verify the JVM's CAs do not know nginx's test CA: the build fails in one line naming the remote
    Path untrusted = fresh(base, "untrusted");
    DvcOracle.dvc(untrusted, "remote", "modify", "--unset", "store", "ssl_verify");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> pull(untrusted));
    String first = e.getMessage().lines().findFirst().orElse("");
    assertTrue(first.contains("remote 'store'") && first.contains("TLS certificate is not trusted"), e.getMessage());
    assertTrue(!Files.exists(untrusted.resolve("model.bin")), "nothing pulled");
  }
}
