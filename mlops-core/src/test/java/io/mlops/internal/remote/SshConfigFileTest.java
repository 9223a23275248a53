package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.harness.DvcOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ~/.ssh/config} as OpenSSH's own client resolves it: each case is compared with {@code ssh -G} (which prints
 * the configuration ssh would use for a host) on the same file, for HostName, User, Port and IdentityFile, with
 * {@code Include} and {@code Match} blocks.
 */
class SshConfigFileTest {
  @TempDir Path dir;

  private static final String LOCAL_USER = System.getProperty("user.name");

  /** What {@code ssh -G -F file host} resolves: hostname, user, port, identityfile (several). */
  private static Map<String, List<String>> sshG(Path file, String host) {
    String out = DvcOracle.runOk(file.getParent(), "ssh", "-G", "-F", file.toString(), host);
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] kv = line.split(" ", 2);
      if (kv.length == 2 && List.of("hostname", "user", "port", "identityfile").contains(kv[0])) {
        m.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
      }
    }
    return m;
  }

  /** Ours, with ssh's defaults where the file says nothing. */
  private Map<String, List<String>> ours(Path file, String host) throws IOException {
    SshConfigFile.Entry e = SshConfigFile.forHost(file, host, dir, LOCAL_USER);
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("hostname", List.of(e.hostName() != null ? e.hostName() : host));
    m.put("user", List.of(e.user() != null ? e.user() : LOCAL_USER));
    m.put("port", List.of(String.valueOf(e.port() != null ? e.port() : 22)));
    m.put("identityfile", e.identityFiles());
    return m;
  }

  private void assertLikeSsh(Path file, String... hosts) throws IOException {
    for (String host : hosts) {
      Map<String, List<String>> ssh = sshG(file, host);
      Map<String, List<String>> ours = ours(file, host);
      assertEquals(ssh.get("hostname"), ours.get("hostname"), "hostname of " + host);
      assertEquals(ssh.get("user"), ours.get("user"), "user of " + host);
      assertEquals(ssh.get("port"), ours.get("port"), "port of " + host);
      if (ours.get("identityfile").isEmpty()) {
        assertTrue(ssh.get("identityfile").get(0).startsWith("~/.ssh/id_"), "ssh's defaults: " + ssh);
      } else {
        assertEquals(ssh.get("identityfile"), ours.get("identityfile"), "identity files of " + host);
      }
    }
  }

  @Test
  void hostBlocksPatternsAndFirstValueWins() throws IOException {
    Path config = Files.writeString(dir.resolve("config"), String.join("\n",
        "Host web-* !web-test",
        "  HostName %h.example.invalid",
        "  Port 2200",
        "Host web-prod",
        "  Port 2300",
        "  User deploy",
        "  IdentityFile /keys/prod",
        "Host *",
        "  User=everyone",
        "  IdentityFile /keys/default",
        ""));
    // %h is not expanded here: only plain names are compared
    Files.writeString(config, Files.readString(config).replace("%h.example.invalid", "web.example.invalid"));
    assertLikeSsh(config, "web-prod", "web-test", "other");
  }

  @Test
  void includedFilesAreReadInPlaceInLexicalOrder() throws IOException {
    Path inc = Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(inc.resolve("20-beta"), "Host beta\n  Port 2202\n  User b2\n");
    Files.writeString(inc.resolve("10-beta"), "Host beta\n  Port 2201\n");
    Files.writeString(inc.resolve("ignored.txt"), "Host beta\n  Port 9999\n");
    Files.writeString(dir.resolve("gamma"), "HostName gamma.internal\n");
    Path config = Files.writeString(dir.resolve("config"), String.join("\n",
        "Include " + inc + "/??-*",
        "Host gamma",
        "  Include " + dir.resolve("gamma"),
        "Host *",
        "  User fallback",
        ""));
    assertLikeSsh(config, "beta", "gamma", "delta");
  }

  @Test
  void matchBlocksOnHostOriginalHostLocalUserAndAll() throws IOException {
    Path config = Files.writeString(dir.resolve("config"), String.join("\n",
        "Host short",
        "  HostName long.internal",
        "Match host long.internal",
        "  User by-hostname",
        "Match originalhost other,third !localuser nobody-here",
        "  Port 2400",
        "Match localuser " + LOCAL_USER + " originalhost third",
        "  IdentityFile /keys/third",
        "Match exec \"false\"",
        "  User never",
        "Match all",
        "  Port 2500",
        "  User everyone",
        ""));
    assertLikeSsh(config, "short", "other", "third", "fourth");
  }

  @Test
  void identityAgentAndIdentitiesOnlyAsSshResolvesThem() throws IOException {
    Path config = Files.writeString(dir.resolve("config"), String.join("\n",
        "Host agent-box",
        "  IdentityAgent /run/user/agent.sock",
        "  IdentitiesOnly yes",
        "Host quiet",
        "  IdentityAgent none",
        "Host *",
        "  IdentityAgent /run/other.sock",
        "  IdentitiesOnly no",
        ""));
    for (String host : List.of("agent-box", "quiet", "elsewhere")) {
      String out = DvcOracle.runOk(dir, "ssh", "-G", "-F", config.toString(), host);
      SshConfigFile.Entry e = SshConfigFile.forHost(config, host, dir, LOCAL_USER);
      assertTrue(out.contains("\nidentityagent " + e.identityAgent() + "\n"), host + ": " + out);
      assertTrue(out.contains("\nidentitiesonly " + (e.identitiesOnly() ? "yes" : "no") + "\n"), host + ": " + out);
    }
    Files.writeString(config, "Host *\n  IdentitiesOnly perhaps\n");
    IOException bad = assertThrows(IOException.class, () -> SshConfigFile.forHost(config, "x", dir, LOCAL_USER));
    assertTrue(bad.getMessage().contains("IdentitiesOnly is 'perhaps', not yes or no"), bad.getMessage());
  }

  @Test
  void relativeIncludesAreReadFromTheSshDirectoryAndNestingIsBounded() throws IOException {
    Files.writeString(dir.resolve("extra"), "Host alpha\n  Port 2222\n");
    Path config = Files.writeString(dir.resolve("config"), "Include extra\n");
    assertEquals(2222, SshConfigFile.forHost(config, "alpha", dir, LOCAL_USER).port());
    Files.writeString(dir.resolve("loop"), "Include loop\n");
    IOException e = assertThrows(IOException.class,
        () -> SshConfigFile.forHost(dir.resolve("loop"), "alpha", dir, LOCAL_USER));
    assertTrue(e.getMessage().contains("Include nested more than 16 levels deep"), e.getMessage());
  }
}
