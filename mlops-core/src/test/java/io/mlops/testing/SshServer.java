package io.mlops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for tests: Debian's {@code /usr/sbin/sshd} (package openssh-server, installed by
 * {@code bash scripts/test-servers.sh}) run in the foreground on 127.0.0.1 on a free port, as the current user,
 * with everything in a temporary directory: its own host keys (ed25519 and RSA, made with ssh-keygen), an
 * {@code authorized_keys} file holding the public halves of two client keys it made ({@link #ed25519Key()},
 * {@link #rsaKey()}), its pid file and log, and {@link #dataDir()} for the remotes. {@code StrictModes no} and
 * {@code UsePAM no} make it work without root; SFTP is sshd's {@code internal-sftp}. Stopped, and the directory
 * removed, on {@link #close()}.
 *
 * <p>When sshd or ssh-keygen is missing the test fails, naming the command that installs them.
 */
public final class SshServer implements AutoCloseable {
  public static final String INSTALL = "bash scripts/test-servers.sh (or: apt-get install openssh-server)";
  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Path PRIVSEP = Path.of("/run/sshd");

  private final Process process;
  private final int port;
  private final Path dir;

  private SshServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts sshd with password logins allowed (which only users with a system password can use). */
  public static SshServer start() {
    if (!Files.isExecutable(SSHD) || !Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))) {
      throw new AssertionError("OpenSSH's server (for the ssh:// remote tests) is not installed: " + SSHD
          + " or /usr/bin/ssh-keygen is missing. Install it with:\n  " + INSTALL);
    }
    if ("root".equals(System.getProperty("user.name")) && !Files.isDirectory(PRIVSEP)) {
      // sshd run by root needs its privilege separation directory, which the package's boot scripts make
      try {
        Files.createDirectories(PRIVSEP);
      } catch (IOException e) {
        throw new AssertionError("sshd run as root needs " + PRIVSEP + "; create it with " + INSTALL, e);
      }
    }
    int port = LocalServers.freePort();
    try {
      Path dir = Files.createTempDirectory("sshd-");
      keygen(dir.resolve("ssh_host_ed25519_key"), "ed25519", "");
      keygen(dir.resolve("ssh_host_rsa_key"), "rsa", "");
      keygen(dir.resolve("id_ed25519"), "ed25519", "");
      keygen(dir.resolve("id_rsa"), "rsa", "");
      Files.writeString(dir.resolve("authorized_keys"), Files.readString(dir.resolve("id_ed25519.pub"))
          + Files.readString(dir.resolve("id_rsa.pub")));
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "ListenAddress 127.0.0.1",
          "Port " + port,
          "HostKey " + dir.resolve("ssh_host_ed25519_key"),
          "HostKey " + dir.resolve("ssh_host_rsa_key"),
          "PidFile " + dir.resolve("sshd.pid"),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
          "StrictModes no",
          "UsePAM no",
          "PermitRootLogin yes",
          "PubkeyAuthentication yes",
          "PasswordAuthentication yes",
          "KbdInteractiveAuthentication no",
          "MaxSessions 10",
          "MaxStartups 50",
          "LogLevel VERBOSE",
          "Subsystem sftp internal-sftp",
          ""));
      Path log = dir.resolve("sshd.log");
      ProcessBuilder pb = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
      SshServer server = new SshServer(pb.start(), port, dir);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + SSHD, e);
    }
  }

  /** Makes a key pair with ssh-keygen: {@code file} and {@code file.pub}. */
  public static void keygen(Path file, String type, String passphrase) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C",
        "mlops-test", "-f", file.toString()));
    if (type.equals("rsa")) {
      cmd.addAll(List.of("-b", "2048"));
    }
    run(cmd);
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A real OpenSSH agent ({@code ssh-agent -D}) listening on {@code socket}, for the tests of agent logins; keys are
   * added with {@code ssh-add}, as a user does. Killed on {@link #close()}.
   */
  public static final class Agent implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private Path onlyKey;

    private Agent(Process process, Path socket) {
      this.process = process;
      this.socket = socket;
    }

    /** The key only this agent holds ({@link #agentWithOnlyKey}): its private file is gone, its {@code .pub} is not. */
    public Path onlyKey() {
      return onlyKey;
    }

    public static Agent start(Path socket) {
      Path bin = Path.of("/usr/bin/ssh-agent");
      if (!Files.isExecutable(bin)) {
        throw new AssertionError("ssh-agent (OpenSSH's client) is not installed. Install it with:\n  " + INSTALL);
      }
      try {
        Process p = new ProcessBuilder(bin.toString(), "-D", "-a", socket.toString()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Agent a = new Agent(p, socket);
        LocalServers.awaitReady(p, "ssh-agent", socket.toString(), Duration.ofSeconds(10), Duration.ofMillis(50),
            () -> Files.exists(socket), () -> "");
        return a;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The agent's socket, what {@code SSH_AUTH_SOCK} names. */
    public Path socket() {
      return socket;
    }

    /** Adds a private key (without passphrase) to the agent. */
    public void add(Path privateKey) {
      try {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/ssh-add", privateKey.toString()).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("ssh-add " + privateKey + " failed: " + out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      LocalServers.stop(process);
    }
  }

  /**
   * A real ssh-agent on {@code dir/sock} holding a key that nothing else has: made in {@code dir}, authorized on this
   * server, added to the agent, then its private file deleted ({@link Agent#onlyKey()}).
   */
  public Agent agentWithOnlyKey(Path dir) throws IOException {
    Path key = dir.resolve("agent_key");
    keygen(key, "ed25519", "");
    authorize(key);
    Agent agent = Agent.start(dir.resolve("sock"));
    agent.add(key);
    Files.delete(key);
    agent.onlyKey = key;
    return agent;
  }

  /** Waits for the SSH banner. */
  private void awaitReady() {
    LocalServers.awaitReady(process, "sshd", "127.0.0.1:" + port, Duration.ofSeconds(30), Duration.ofMillis(100),
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            byte[] banner = s.getInputStream().readNBytes(8);
            return new String(banner, StandardCharsets.US_ASCII).startsWith("SSH-2.0");
          }
        }, this::log);
  }

  public int port() {
    return port;
  }

  /** The user sshd runs as, the only one it lets in. */
  public String user() {
    return System.getProperty("user.name");
  }

  /** A system user with a password, and a directory of the server it owns, for password logins. */
  public record PasswordUser(String user, String password, Path dataDir) {}

  /** Where {@code scripts/test-servers.sh} (run as root) keeps {@code user:password} of its test user. */
  private static final Path PASSWORD_USER = Path.of("/var/lib/mlops-tests/ssh-password-user");

  /**
   * The password-login user {@code scripts/test-servers.sh} made, with a fresh directory it owns. sshd checks
   * passwords against the system's accounts, so this needs an sshd run by root and that user: without them the test
   * fails under CI and is skipped elsewhere ({@link LocalServers#missing}), naming the command that makes them.
   */
  public PasswordUser passwordUser() {
    if (!"root".equals(System.getProperty("user.name"))) {
      LocalServers.missing("password logins need sshd run by root (it checks the system's passwords); run the "
          + "tests as root after bash scripts/test-servers.sh");
    }
    if (!Files.isReadable(PASSWORD_USER)) {
      LocalServers.missing("no ssh password-login test user: " + PASSWORD_USER + " is missing; make it with (as "
          + "root) bash scripts/test-servers.sh");
    }
    try {
      String[] up = Files.readString(PASSWORD_USER).strip().split(":", 2);
      Path data = Files.createTempDirectory(dir, "pw-");
      java.nio.file.attribute.UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(up[0]);
      Files.setOwner(data, owner);
      // the user must pass through the server's directory to reach its own
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
      return new PasswordUser(up[0], up[1], data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An authorized ed25519 private key without passphrase ({@code .pub} beside it). */
  public Path ed25519Key() {
    return dir.resolve("id_ed25519");
  }

  /** An authorized RSA private key without passphrase ({@code .pub} beside it). */
  public Path rsaKey() {
    return dir.resolve("id_rsa");
  }

  /** Adds a public key ({@code file.pub} of a key made by {@link #keygen}) to the authorized keys. */
  public void authorize(Path privateKey) {
    try {
      Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(privateKey + ".pub")),
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory the remotes can use, {@code ssh://127.0.0.1:PORT<dataDir>/...}. */
  public Path dataDir() {
    return dir.resolve("data");
  }

  /** {@code ssh://127.0.0.1:PORT} followed by an absolute path. */
  public String url(Path path) {
    return "ssh://127.0.0.1:" + port + path.toAbsolutePath();
  }

  /** A {@code known_hosts} line for this server's ed25519 host key, as ssh writes it for a port other than 22. */
  public String knownHostsLine() {
    try {
      String[] pub = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip().split(" ");
      return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends every open connection (sshd's per-connection processes), as a network failure or a server restart would. */
  public void dropConnections() {
    List<ProcessHandle> children = process.children().toList();
    children.forEach(ProcessHandle::destroy);
    for (ProcessHandle c : children) {
      c.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  /** What sshd logged so far. */
  public String log() {
    return LocalServers.read(dir.resolve("sshd.log"));
  }

  @Override
  public void close() {
    LocalServers.stop(process);
    LocalServers.deleteTree(dir);
  }
}
