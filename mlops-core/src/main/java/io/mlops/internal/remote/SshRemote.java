package io.mlops.internal.remote;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import io.mlops.internal.hash.Md5FileSink;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A DVC remote on an SSH server, {@code ssh://[user@]host[:port]/abs/path}, reached over SFTP (Apache MINA SSHD):
 * objects live at {@code path/files/md5/xx/rest}, the names DVC 3 writes through dvc-ssh and sshfs.
 *
 * <p>Options, as DVC 3.67.1's config schema has them for {@code ssh}: {@code user}, {@code port}, {@code keyfile},
 * {@code password}, {@code ask_password}, {@code passphrase}, {@code ask_passphrase}, {@code timeout} (seconds for
 * connecting and logging in, 1800 by default as in dvc-ssh), {@code max_sessions} (10 by default; as sshfs, two
 * are kept for shell commands and the rest, 8, are the SFTP channels that parallel jobs share on one connection),
 * {@code allow_agent} (true by default: the keys of a running SSH agent are offered) and {@code gss_auth}
 * (Kerberos, refused with a message).
 *
 * <p>Each setting comes from the remote's option, else the URL, else the first matching {@code Host} block of
 * {@code ~/.ssh/config} ({@code HostName}, {@code User}, {@code Port}, {@code IdentityFile}), else the default (the
 * local user name, port 22). Keys: {@code keyfile}, else the config's {@code IdentityFile}s, else the first of
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exist. As dvc-ssh, a configured key or
 * passphrase means public-key login, a password means keyboard-interactive and password login, and without either
 * the keys found are tried.
 *
 * <p>SSH agent: as asyncssh (under dvc-ssh) does, whenever keys are tried the keys of the agent listening on the
 * config's {@code IdentityAgent} ({@code none} turns it off), else {@code $SSH_AUTH_SOCK}, are offered first, then
 * the key files; with {@code IdentitiesOnly yes} only the agent's keys whose public half is one of the key files'.
 * {@code allow_agent false} turns the agent off (dvc-ssh documents the option but does not pass it on; here it does
 * what its documentation says). An agent that cannot be reached is skipped and named in the failure message.
 *
 * <p>Host keys: sshfs connects with asyncssh's {@code known_hosts=None}, which checks none; here an unknown host is
 * accepted likewise, but a host whose key of the same type differs from the one in {@code ~/.ssh/known_hosts} is
 * refused with a message (nothing is ever written to that file).
 *
 * <p>Uploads go to a temporary {@code .<random>.tmp} name in the target directory, then are renamed into place
 * (OpenSSH's {@code posix-rename}), as dvc-ssh's put does. A missing object is a {@link NoSuchFileException};
 * refused credentials, a changed host key and an unreachable host are {@link MlopsException}s naming the remote,
 * its URL (never a password) and the fix; a connection lost in the middle of a transfer is a
 * {@link Retry.TransientException} and the next attempt connects again.
 */
public final class SshRemote implements RemoteStorage {
  /** Keys of DVC's {@code ssh} remote schema, {@code REMOTE_COMMON} included. */
  static final Set<String> KNOWN = Set.of(
      "url", "type", "port", "user", "password", "ask_password", "passphrase", "ask_passphrase", "keyfile",
      "timeout", "gss_auth", "allow_agent", "max_sessions", "verify", "checksum_jobs", "jobs", "worktree",
      "no_traverse", "version_aware");
  /** sshfs keeps two of {@code max_sessions} for shell commands. */
  private static final int SHELL_CHANNELS = 2;
  private static final int DEFAULT_MAX_SESSIONS = 10;
  private static final int DEFAULT_TIMEOUT = 1800;
  /** SFTP read and write requests: well below OpenSSH's 256 KiB packet limit, pipelined by the client. */
  private static final int BUFFER = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A private key to offer and where it was configured. */
  private record Key(Path path, String source) {}

  /** The SSH agent a login offers keys from, and what it offers ("2 keys of the SSH agent at ..."). */
  private record Agent(SshAgentFactory factory, String offer) {}

  private final String name;
  private final String url;
  private final String host;
  private final String hostName;
  private final int port;
  private final String user;
  private final String userSource;
  /** The remote's directory on the server, without a trailing slash ("" for the login directory). */
  private final String root;
  private final List<Key> keys;
  private final boolean explicitKey;
  private final boolean defaultKeys;
  private final String passwordSource;
  private final boolean askPassword;
  private final boolean askPassphrase;
  private final Duration timeout;
  private final int channels;
  private final Path home;
  private final Path configFile;
  private final Redactor redactor;
  /** The SSH agent's socket and where it was configured; null without an agent. */
  private final Path agentSocket;
  private final String agentSource;
  private final boolean identitiesOnly;

  private final Object lock = new Object();
  private final Semaphore permits;
  private final Deque<SftpClient> idle = new ConcurrentLinkedDeque<>();
  private final Set<String> madeDirs = ConcurrentHashMap.newKeySet();
  private String password;
  private String passphrase;
  private SshClient client;
  private ClientSession session;
  /** A failure only the user can fix (credentials, host key, unreachable host): given to every later call. */
  private volatile MlopsException fatal;
  /** Set by the host key check when the server's key is not the one known for it. */
  private volatile String changedHostKey;

  private SshRemote(String name, String url, String host, String hostName, int port, String user,
      String userSource, String root, List<Key> keys, boolean explicitKey, boolean defaultKeys, String password,
      String passwordSource, boolean askPassword, String passphrase, boolean askPassphrase, Duration timeout,
      int channels, Path home, Path configFile, Path agentSocket, String agentSource, boolean identitiesOnly) {
    this.name = name;
    this.url = url;
    this.host = host;
    this.hostName = hostName;
    this.port = port;
    this.user = user;
    this.userSource = userSource;
    this.root = root;
    this.keys = keys;
    this.explicitKey = explicitKey;
    this.defaultKeys = defaultKeys;
    this.password = password;
    this.passwordSource = passwordSource;
    this.askPassword = askPassword;
    this.passphrase = passphrase;
    this.askPassphrase = askPassphrase;
    this.timeout = timeout;
    this.channels = channels;
    this.home = home;
    this.configFile = configFile;
    this.agentSocket = agentSocket;
    this.agentSource = agentSource;
    this.identitiesOnly = identitiesOnly;
    this.permits = new Semaphore(channels, true);
    List<String> secrets = new ArrayList<>();
    secrets.add(password);
    secrets.add(passphrase);
    this.redactor = Redactor.of(secrets);
  }

  /** Opens the ssh remote {@code name} of a repository, whose options are {@code opts}; connects on first use. */
  public static SshRemote open(Repo repo, String name, Map<String, String> opts) {
    return open(name, opts, repo.env(), repo.root().resolve(Repo.DVC_DIR).resolve("config"));
  }

  /** Opens the remote with {@code env}'s {@code HOME} (for {@code ~/.ssh}) and user name. */
  static SshRemote open(String name, Map<String, String> opts, Map<String, String> env, Path configFile) {
    Set<String> unknown = new TreeSet<>(opts.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new MlopsException("remote '" + name + "' has options that DVC's ssh remotes do not have: " + unknown,
          configFile, 0, "remove them with `dvc remote modify --unset " + name + " <option>`; see "
              + "https://dvc.org/doc/user-guide/data-management/remote-storage/ssh");
    }
    for (String flag : new String[] {"version_aware", "worktree"}) {
      if (bool(name, opts, flag, configFile)) {
        throw new MlopsException("remote '" + name + "' is " + flag + ", which this version does not support",
            configFile, 0, "use a plain content-addressed remote (`dvc remote modify --unset " + name + " " + flag
                + "`) or run `dvc push` for it");
      }
    }
    if (bool(name, opts, "gss_auth", configFile)) {
      throw new MlopsException("remote '" + name + "' sets gss_auth (Kerberos/GSSAPI login), which this version "
          + "does not support", configFile, 0, "log in with a key or a password instead: `dvc remote modify " + name
              + " gss_auth false` and `dvc remote modify --local " + name + " keyfile <path>`, or run `dvc push`/"
              + "`dvc pull` for this remote");
    }
    boolean allowAgent = opts.get("allow_agent") == null || bool(name, opts, "allow_agent", configFile);
    bool(name, opts, "verify", configFile); // downloads are always verified against their md5
    bool(name, opts, "no_traverse", configFile);
    boolean askPassword = bool(name, opts, "ask_password", configFile);
    boolean askPassphrase = bool(name, opts, "ask_passphrase", configFile);

    // url: ssh://[user[:password]@]host[:port][/path]
    String u = opts.get("url").strip();
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw badUrl(name, u, configFile, e.getReason());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw badUrl(name, u, configFile, "it names no host");
    }
    if (uri.getRawQuery() != null) {
      throw badUrl(name, u, configFile, "it has a query");
    }
    String urlUser = null;
    String urlPassword = null;
    if (uri.getUserInfo() != null) {
      String info = uri.getUserInfo();
      int colon = info.indexOf(':');
      urlUser = colon < 0 ? info : info.substring(0, colon);
      urlPassword = colon < 0 ? null : info.substring(colon + 1);
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/{2,}", "/");
    String root = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;

    Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    SshConfigFile.Entry cfg;
    try {
      cfg = SshConfigFile.forHost(home.resolve(".ssh/config"), host);
    } catch (IOException e) {
      throw new MlopsException("cannot read " + home.resolve(".ssh/config") + " for remote '" + name + "': "
          + e.getMessage(), configFile, 0, "fix the file (see `man ssh_config`)");
    }
    String hostName = cfg.hostName() != null ? cfg.hostName().replace("%h", host) : host;

    String user;
    String userSource;
    if (nonBlank(opts.get("user")) != null) {
      user = opts.get("user").strip();
      userSource = "option user";
    } else if (nonBlank(urlUser) != null) {
      user = urlUser;
      userSource = "the url";
    } else if (nonBlank(cfg.user()) != null) {
      user = cfg.user();
      userSource = "User in ~/.ssh/config";
    } else {
      user = localUser(env);
      userSource = "the local user name";
    }
    int port;
    if (nonBlank(opts.get("port")) != null) {
      port = positive(name, opts, "port", configFile);
      if (port > 65535) {
        throw new MlopsException("remote '" + name + "' option port is " + port + ", not a TCP port", configFile, 0,
            "set it with `dvc remote modify " + name + " port <1-65535>`");
      }
    } else if (uri.getPort() > 0) {
      port = uri.getPort();
    } else if (cfg.port() != null) {
      port = cfg.port();
    } else {
      port = 22;
    }

    String localUser = localUser(env);
    List<Key> keys = new ArrayList<>();
    boolean explicitKey = nonBlank(opts.get("keyfile")) != null;
    boolean defaultKeys = false;
    if (explicitKey) {
      keys.add(new Key(expand(opts.get("keyfile").strip(), home, localUser, hostName, user, port),
          "option keyfile"));
    } else if (!cfg.identityFiles().isEmpty()) {
      for (String f : cfg.identityFiles()) {
        keys.add(new Key(expand(f, home, localUser, hostName, user, port), "IdentityFile in ~/.ssh/config"));
      }
    } else {
      defaultKeys = true;
      for (String f : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
        keys.add(new Key(home.resolve(".ssh").resolve(f), "default key"));
      }
    }
    String password = nonBlank(opts.get("password")) != null ? opts.get("password") : urlPassword;
    String passwordSource = nonBlank(opts.get("password")) != null ? "option password"
        : urlPassword != null ? "the url" : askPassword ? "ask_password" : null;
    String passphrase = opts.get("passphrase");

    int timeout = nonBlank(opts.get("timeout")) == null ? DEFAULT_TIMEOUT
        : positive(name, opts, "timeout", configFile);
    int maxSessions = nonBlank(opts.get("max_sessions")) == null ? DEFAULT_MAX_SESSIONS
        : positive(name, opts, "max_sessions", configFile);
    if (maxSessions <= SHELL_CHANNELS) {
      throw new MlopsException("remote '" + name + "' option max_sessions is " + maxSessions + ": it must be "
          + "greater than " + SHELL_CHANNELS + " (sshfs keeps " + SHELL_CHANNELS + " for shell commands)",
          configFile, 0, "set it with `dvc remote modify " + name + " max_sessions 10` (the default)");
    }
    Path agentSocket = null;
    String agentSource = null;
    if (allowAgent) {
      String agent = cfg.identityAgent();
      if (agent == null || agent.equals("SSH_AUTH_SOCK")) {
        agent = nonBlank(env.get("SSH_AUTH_SOCK"));
        agentSource = "$SSH_AUTH_SOCK";
      } else if (agent.equalsIgnoreCase("none")) {
        agent = null;
      } else if (agent.startsWith("$")) {
        agentSource = agent + " (IdentityAgent in ~/.ssh/config)";
        agent = nonBlank(env.get(agent.substring(agent.startsWith("${") ? 2 : 1).replace("}", "")));
      } else {
        agentSource = "IdentityAgent in ~/.ssh/config";
        agent = expand(agent, home, localUser, hostName, user, port).toString();
      }
      agentSocket = agent == null ? null : Path.of(agent);
    }
    String display = "ssh://" + (urlUser != null ? urlUser + "@" : "") + (host.contains(":") ? "[" + host + "]" : host)
        + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + root;
    return new SshRemote(name, display, host, hostName, port, user, userSource, root, List.copyOf(keys),
        explicitKey, defaultKeys, password, passwordSource, askPassword, passphrase, askPassphrase,
        Duration.ofSeconds(timeout), maxSessions - SHELL_CHANNELS, home, configFile, agentSocket, agentSource,
        cfg.identitiesOnly());
  }

  private static MlopsException badUrl(String name, String url, Path configFile, String why) {
    return new MlopsException("remote '" + name + "' has url " + url + ", which is not an ssh URL (" + why + ")",
        configFile, 0, "write it as ssh://[user@]host[:port]/absolute/path with `dvc remote modify " + name
            + " url ssh://<host>/<path>`");
  }

  @Override
  public String url() {
    return url;
  }

  /** Who logs in, to which address: {@code user@hostname:port (user from ...)}, for messages and tests. */
  public String loginDescription() {
    return user + "@" + hostName + ":" + port + " (user from " + userSource + ")";
  }

  /** The SSH agent whose keys are offered, and where it was configured; empty without one. */
  public String agentDescription() {
    return agentSocket == null ? "" : agentSocket + " (" + agentSource + ")";
  }

  /** The private keys that will be offered, in order, with where each was configured. */
  public List<String> keyDescriptions() {
    return keys.stream().map(k -> k.path() + " (" + k.source() + ")").toList();
  }

  /** How many SFTP channels parallel jobs share. */
  public int channels() {
    return channels;
  }

  private String path(String key) {
    return root.isEmpty() ? key : root.equals("/") ? "/" + key : root + "/" + key;
  }

  private String where(String key) {
    return url + (key == null || key.isEmpty() ? "" : "/" + key) + " (remote '" + name + "')";
  }

  @Override
  public boolean exists(String key) throws IOException {
    return withSftp("stat", key, sftp -> {
      try {
        return sftp.stat(path(key)).isRegularFile();
      } catch (SftpException e) {
        if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public Set<String> list(String prefix) throws IOException {
    int slash = prefix.lastIndexOf('/');
    String dir = slash < 0 ? "" : prefix.substring(0, slash);
    return withSftp("list", dir, sftp -> {
      Set<String> keys = new HashSet<>();
      walk(sftp, dir, prefix, keys);
      return keys;
    });
  }

  /** Adds the files under {@code dir} whose keys start with {@code prefix}; dot files are temporary uploads. */
  private void walk(SftpClient sftp, String dir, String prefix, Set<String> keys) throws IOException {
    List<SftpClient.DirEntry> listed = new ArrayList<>();
    try (SftpClient.CloseableHandle h = sftp.openDir(dir.isEmpty() ? (root.isEmpty() ? "." : root) : path(dir))) {
      for (List<SftpClient.DirEntry> batch = sftp.readDir(h); batch != null; batch = sftp.readDir(h)) {
        listed.addAll(batch);
      }
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return;
      }
      throw e;
    }
    for (SftpClient.DirEntry e : listed) {
      String n = e.getFilename();
      if (n.equals(".") || n.equals("..")) {
        continue;
      }
      String rel = dir.isEmpty() ? n : dir + "/" + n;
      if (e.getAttributes().isDirectory()) {
        if ((rel + "/").startsWith(prefix) || prefix.startsWith(rel + "/")) {
          walk(sftp, rel, prefix, keys);
        }
      } else if (e.getAttributes().isRegularFile() && !n.startsWith(".") && rel.startsWith(prefix)) {
        keys.add(rel);
      }
    }
  }

  @Override
  public void upload(Path source, String key) throws IOException {
    String target = path(key);
    int slash = target.lastIndexOf('/');
    String parent = slash < 0 ? "" : target.substring(0, slash);
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    // dvc-ssh's tmp_fname: ".<token_urlsafe(16)>.tmp" beside the target
    String tmp = (parent.isEmpty() ? "" : parent + "/") + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(token) + ".tmp";
    withSftp("put", key, sftp -> {
      mkdirs(sftp, parent);
      try {
        try (OutputStream out = sftp.write(tmp, BUFFER, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
            SftpClient.OpenMode.Truncate)) {
          Files.copy(source, out);
        }
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
          posix.posixRename(tmp, target);
        } else {
          try {
            sftp.rename(tmp, target);
          } catch (SftpException e) {
            // a plain SFTP v3 rename does not replace: the object is content-addressed, so one already there is it
            if (!sftp.stat(target).isRegularFile()) {
              throw e;
            }
            sftp.remove(tmp);
          }
        }
        return null;
      } catch (IOException | RuntimeException e) {
        try {
          sftp.remove(tmp);
        } catch (IOException | RuntimeException ignored) {
          // not there, or the connection is gone
        }
        throw e;
      }
    });
  }

  /** Makes a directory and its parents, as {@code makedirs(exist_ok=True)}; another job may make them too. */
  private void mkdirs(SftpClient sftp, String dir) throws IOException {
    if (dir.isEmpty() || dir.equals("/") || madeDirs.contains(dir)) {
      return;
    }
    try {
      if (sftp.stat(dir).isDirectory()) {
        madeDirs.add(dir);
        return;
      }
    } catch (SftpException e) {
      if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
    int slash = dir.lastIndexOf('/');
    if (slash > 0) {
      mkdirs(sftp, dir.substring(0, slash));
    }
    try {
      sftp.mkdir(dir);
    } catch (SftpException e) {
      boolean there;
      try {
        there = sftp.stat(dir).isDirectory();
      } catch (SftpException again) {
        there = false;
      }
      if (!there) {
        throw e;
      }
    }
    madeDirs.add(dir);
  }

  @Override
  public void download(String key, Path target) throws IOException {
    downloadMd5(key, target);
  }

  @Override
  public String downloadMd5(String key, Path target) throws IOException {
    return withSftp("get", key, sftp -> {
      try (InputStream in = sftp.read(path(key), BUFFER); Md5FileSink out = Md5FileSink.create(target)) {
        in.transferTo(out);
        return out.md5();
      }
    });
  }

  @Override
  public boolean isNotFound(IOException e) {
    return e instanceof MissingObject;
  }

  @Override
  public String toString() {
    return "SshRemote[" + name + " " + url + "]";
  }

  private interface SftpCall<T> {
    T call(SftpClient sftp) throws IOException;
  }

  /**
   * Runs one operation on an SFTP channel of the pool (opened when none is idle, at most {@link #channels} at once):
   * an SFTP status keeps the channel, any other failure closes it, and a lost connection is made again on the next
   * call.
   */
  private <T> T withSftp(String action, String key, SftpCall<T> call) throws IOException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for an SFTP channel to " + where(key));
    }
    SftpClient sftp = null;
    boolean reusable = false;
    try {
      sftp = idle.pollFirst();
      while (sftp != null && !sftp.isOpen()) {
        sftp = idle.pollFirst();
      }
      if (sftp == null) {
        sftp = openChannel();
      }
      T out = call.call(sftp);
      reusable = true;
      return out;
    } catch (SftpException e) {
      reusable = true;
      throw failure(e, action, key);
    } catch (IOException e) {
      throw failure(e, action, key);
    } finally {
      if (sftp != null) {
        if (reusable && sftp.isOpen()) {
          idle.offerFirst(sftp);
        } else {
          closeQuietly(sftp);
        }
      }
      permits.release();
    }
  }

  private SftpClient openChannel() throws IOException {
    ClientSession s = session();
    try {
      return SftpClientFactory.instance().createSftpClient(s);
    } catch (IOException e) {
      if (!s.isOpen()) {
        throw new Retry.TransientException("the connection to " + where(null) + " was lost: " + reason(e), e);
      }
      throw new IOException("cannot open an SFTP channel to " + where(null) + " (is SFTP enabled on the server?): "
          + reason(e), redactor.sanitize(e));
    }
  }

  /** The open, authenticated session, made when there is none (again after a lost connection). */
  private ClientSession session() throws IOException {
    synchronized (lock) {
      if (fatal != null) {
        throw fatal;
      }
      if (session != null && session.isOpen() && session.isAuthenticated()) {
        return session;
      }
      idle.forEach(SshRemote::closeQuietly);
      idle.clear();
      if (session != null) {
        closeQuietly(session);
        session = null;
      }
      try {
        session = Retry.run(this::connect);
        return session;
      } catch (MlopsException e) {
        fatal = e;
        throw e;
      } catch (IOException e) {
        fatal = unreachable(reason(e) + " (gave up after " + Retry.ATTEMPTS + " attempts)", e);
        throw fatal;
      }
    }
  }

  private ClientSession connect() throws IOException {
    List<KeyPair> pairs = new ArrayList<>();
    List<String> offered = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    boolean usePassword = password != null || askPassword;
    boolean useKeys = explicitKey || passphrase != null || askPassphrase || !usePassword;
    if (useKeys) {
      loadKeys(pairs, offered, skipped);
    }
    Agent agent = useKeys ? agent(pairs, skipped) : null;
    if (usePassword && password == null) {
      password = prompt("password");
    }
    if (client == null) {
      client = newClient();
    }
    List<UserAuthFactory> methods = new ArrayList<>();
    if (useKeys) {
      methods.add(UserAuthPublicKeyFactory.INSTANCE);
    }
    if (usePassword) {
      methods.add(UserAuthKeyboardInteractiveFactory.INSTANCE);
      methods.add(UserAuthPasswordFactory.INSTANCE);
    }
    client.setAgentFactory(agent == null ? null : agent.factory());
    if (pairs.isEmpty() && agent == null && !usePassword) {
      throw new MlopsException("remote '" + name + "' (" + url + ") has no credentials to log in to " + hostName
          + " as '" + user + "': no private key found" + (skipped.isEmpty() ? " (tried " + String.join(", ",
              keys.stream().map(k -> k.path().toString()).toList()) + ")" : ": " + String.join("; ", skipped)),
          configFile, 0, "set a key with `dvc remote modify --local " + name + " keyfile <path>` (and passphrase"
              + " or ask_passphrase for an encrypted one), or a password with `dvc remote modify --local " + name
              + " password <password>` or `... ask_password true`");
    }
    client.setUserAuthFactories(methods);
    changedHostKey = null;
    ClientSession s = null;
    try {
      s = client.connect(user, hostName, port).verify(timeout).getSession();
      for (KeyPair kp : pairs) {
        s.addPublicKeyIdentity(kp);
      }
      if (usePassword) {
        s.addPasswordIdentity(password);
      }
      s.auth().verify(timeout);
      return s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        closeQuietly(s);
      }
      throw connectFailure(e, agent, offered, skipped);
    }
  }

  private SshClient newClient() {
    SshClient c = SshClient.setUpDefaultClient();
    // nothing from the JVM's user.home: this remote resolved ~/.ssh/config and its keys itself
    c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    c.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
    c.setUserInteraction(null);
    List<KnownHostEntry> known = knownHosts();
    c.setSignatureFactories(preferKnownTypes(c.getSignatureFactories(), known));
    c.setServerKeyVerifier((ClientSession s, SocketAddress remote, PublicKey key) -> verifyHostKey(known, key));
    c.start();
    return c;
  }

  /** The {@code ~/.ssh/known_hosts} entries for this host and port; none when the file is absent or unreadable. */
  private List<KnownHostEntry> knownHosts() {
    Path file = home.resolve(".ssh/known_hosts");
    List<KnownHostEntry> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
        if (e.getKeyEntry() != null && e.isHostMatch(hostName, port)) {
          out.add(e);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: as if absent (sshfs checks no host key at all)
    }
    return out;
  }

  /**
   * Accepts an unknown host as sshfs does; refuses a key that is revoked, or that differs from a known key of the
   * same type (remembered in {@link #changedHostKey} for the message).
   */
  private boolean verifyHostKey(List<KnownHostEntry> known, PublicKey key) {
    String changed = null;
    boolean matched = false;
    for (KnownHostEntry e : known) {
      PublicKey k;
      try {
        k = e.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
      } catch (IOException | GeneralSecurityException ex) {
        continue;
      }
      if (k == null) {
        continue;
      }
      boolean same = KeyUtils.compareKeys(k, key);
      if ("revoked".equalsIgnoreCase(e.getMarker())) {
        if (same) {
          changedHostKey = "is revoked in " + home.resolve(".ssh/known_hosts");
          return false;
        }
      } else if (e.getMarker() == null) {
        if (same) {
          matched = true;
        } else if (KeyUtils.getKeyType(k).equals(KeyUtils.getKeyType(key))) {
          changed = "is " + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + ", not the "
              + KeyUtils.getFingerPrint(k) + " that " + home.resolve(".ssh/known_hosts") + " has for it";
        }
      }
    }
    if (!matched && changed != null) {
      changedHostKey = changed;
      return false;
    }
    return true;
  }

  /** The signature algorithms with those of the host's known key types first, as OpenSSH's client orders them. */
  private static List<NamedFactory<Signature>> preferKnownTypes(List<NamedFactory<Signature>> all,
      List<KnownHostEntry> known) {
    Set<String> types = new HashSet<>();
    for (KnownHostEntry e : known) {
      types.add(e.getKeyEntry().getKeyType());
    }
    List<NamedFactory<Signature>> first = new ArrayList<>();
    List<NamedFactory<Signature>> rest = new ArrayList<>();
    for (NamedFactory<Signature> f : all) {
      String n = f.getName();
      boolean knownType = types.contains(n) || (types.contains("ssh-rsa") && n.startsWith("rsa-sha2-"));
      (knownType ? first : rest).add(f);
    }
    first.addAll(rest);
    return first;
  }

  /**
   * The SSH agent to offer keys from, or null: none configured, unreachable or without (matching) keys, each said in
   * {@code skipped}. The agent is asked for its keys here, so that the messages can count them; each login asks it
   * again on a connection of its own.
   */
  private Agent agent(List<KeyPair> pairs, List<String> skipped) {
    if (agentSocket == null) {
      return null;
    }
    Set<PublicKey> only = identitiesOnly ? identityPublicKeys(pairs) : null;
    SshAgentSocket a;
    try {
      a = SshAgentSocket.connect(agentSocket, only);
    } catch (IOException | RuntimeException e) {
      skipped.add("the SSH agent at " + agentDescription() + ": cannot connect to it (" + reason(e) + ")");
      return null;
    }
    int count = 0;
    try (a) {
      for (Map.Entry<PublicKey, String> ignored : a.getIdentities()) {
        count++;
      }
    } catch (IOException | RuntimeException e) {
      skipped.add("the SSH agent at " + agentDescription() + ": it did not list its keys (" + reason(e) + ")");
      return null;
    }
    if (count == 0) {
      skipped.add("the SSH agent at " + agentDescription() + ": it holds no " + (only == null ? "keys"
          : "key of the IdentityFiles (IdentitiesOnly yes)"));
      return null;
    }
    return new Agent(SshAgentSocket.factory(agentSocket, only),
        (count == 1 ? "1 key" : count + " keys") + " of the SSH agent at " + agentDescription());
  }

  /** The public halves of the configured key files: those loaded, and the {@code .pub} beside each file. */
  private Set<PublicKey> identityPublicKeys(List<KeyPair> pairs) {
    Set<PublicKey> out = new HashSet<>();
    pairs.forEach(kp -> out.add(kp.getPublic()));
    for (Key k : keys) {
      Path pub = Path.of(k.path() + ".pub");
      if (Files.isRegularFile(pub)) {
        try {
          String line = Files.readString(pub).strip();
          PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
              .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
          if (key != null) {
            out.add(key);
          }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
          // an unreadable .pub: that key is simply not matched
        }
      }
    }
    return out;
  }

  /** Reads the private keys to offer; keys that cannot be used are skipped and said why (an explicit one fails). */
  private void loadKeys(List<KeyPair> pairs, List<String> offered, List<String> skipped) {
    for (Key k : keys) {
      if (!Files.isRegularFile(k.path())) {
        if (!defaultKeys) {
          if (explicitKey) {
            throw new MlopsException("the keyfile of remote '" + name + "' (" + url + "), " + k.path()
                + ", does not exist", configFile, 0, "point it at your private key with `dvc remote modify --local "
                    + name + " keyfile <path>`");
          }
          skipped.add(k.path() + " (" + k.source() + ") does not exist");
        }
        continue;
      }
      try {
        pairs.addAll(readKey(k.path(), passphrase));
        offered.add(k.path() + " (" + k.source() + ")");
      } catch (IOException | GeneralSecurityException | RuntimeException first) {
        Exception e = first;
        boolean encrypted = isEncrypted(k.path());
        if (encrypted && passphrase == null && askPassphrase) {
          passphrase = prompt("passphrase");
          try {
            pairs.addAll(readKey(k.path(), passphrase));
            offered.add(k.path() + " (" + k.source() + ")");
            continue;
          } catch (IOException | GeneralSecurityException | RuntimeException again) {
            e = again;
          }
        }
        String why = encrypted ? (passphrase == null ? "it is encrypted and no passphrase is set"
            : "the passphrase does not decrypt it") : "it cannot be read: " + reason(e);
        if (explicitKey) {
          throw new MlopsException("cannot use the keyfile of remote '" + name + "' (" + url + "), " + k.path()
              + ": " + why, configFile, 0, encrypted
                  ? "set its passphrase with `dvc remote modify --local " + name + " passphrase <passphrase>` or "
                      + "`dvc remote modify " + name + " ask_passphrase true`"
                  : "point keyfile at an OpenSSH or PEM private key (`dvc remote modify --local " + name
                      + " keyfile <path>`)", redactor.sanitize(e));
        }
        skipped.add(k.path() + " (" + k.source() + "): " + why);
      }
    }
  }

  private static List<KeyPair> readKey(Path file, String passphrase) throws IOException, GeneralSecurityException {
    List<KeyPair> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in,
          passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase));
      if (pairs != null) {
        pairs.forEach(out::add);
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no key in " + file);
    }
    return out;
  }

  /** Whether a private key file is protected by a passphrase (OpenSSH's format names its cipher; PEM says so). */
  private static boolean isEncrypted(Path file) {
    try {
      String text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (text.contains("ENCRYPTED")) {
        return true;
      }
      int start = text.indexOf("-----BEGIN OPENSSH PRIVATE KEY-----");
      int end = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
      if (start < 0 || end < start) {
        return false;
      }
      byte[] blob = Base64.getMimeDecoder().decode(text.substring(start + 35, end).strip());
      // "openssh-key-v1\0", then the cipher name as an SSH string: "none" when not encrypted
      int len = ((blob[15] & 0xff) << 24) | ((blob[16] & 0xff) << 16) | ((blob[17] & 0xff) << 8) | (blob[18] & 0xff);
      return !new String(blob, 19, len, java.nio.charset.StandardCharsets.US_ASCII).equals("none");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Asks on the terminal, as dvc-ssh's ask_password ("Enter a password for user@host:port:"). */
  private String prompt(String what) {
    Console console = System.console();
    if (console == null) {
      throw new MlopsException("remote '" + name + "' (" + url + ") sets ask_" + what + ", but there is no terminal "
          + "to ask on", configFile, 0, "set it with `dvc remote modify --local " + name + " " + what + " <" + what
              + ">` instead (config.local stays out of Git)");
    }
    char[] answer = console.readPassword("Enter a %s for %s@%s:%d:%n", what, user, host, port);
    if (answer == null) {
      throw new MlopsException("no " + what + " was entered for remote '" + name + "' (" + url + ")", configFile, 0,
          "enter it when asked, or set it with `dvc remote modify --local " + name + " " + what + " <" + what + ">`");
    }
    return new String(answer);
  }

  /** What a failure to connect or log in means: a message for the user, or a transient failure to retry. */
  private IOException connectFailure(Exception e, Agent agent, List<String> offered, List<String> skipped) {
    if (changedHostKey != null) {
      throw new MlopsException("the host key of " + hostName + ":" + port + " (remote '" + name + "', " + url + ") "
          + changedHostKey + ": the server was replaced or someone is in between", configFile, 0,
          "if its key was changed on purpose, remove the old one with `ssh-keygen -R " + (port == 22 ? hostName
              : "'[" + hostName + "]:" + port + "'") + "` (then connect once with ssh to record the new one)");
    }
    String m = reason(e);
    if (find(e, UnknownHostException.class) != null) {
      throw unreachable("unknown host " + hostName, e);
    }
    if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
      throw unreachable(reason(find(e, ConnectException.class) != null ? find(e, ConnectException.class)
          : find(e, NoRouteToHostException.class)), e);
    }
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("timeout") || lower.contains("timed out")) {
      throw unreachable("no answer within " + timeout.toSeconds() + " s (" + m + ")", e);
    }
    if (lower.contains("no more authentication methods") || lower.contains("authentication")
        && lower.contains("fail")) {
      List<String> tried = new ArrayList<>();
      if (agent != null) {
        tried.add(agent.offer());
      }
      if (!offered.isEmpty()) {
        tried.add((offered.size() == 1 ? "key " : "keys ") + String.join(", ", offered));
      }
      if (password != null) {
        tried.add("password from " + passwordSource);
      }
      throw new MlopsException("the SSH server of remote '" + name + "' (" + url + ") refused user '" + user
          + "' (from " + userSource + ") on " + hostName + ":" + port + "; tried " + String.join(" and ", tried)
          + (skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped)), configFile, 0,
          password != null ? "check the user and password (`dvc remote modify " + name + " user <name>`, `dvc remote "
              + "modify --local " + name + " password <password>`); the server may also not allow password logins"
              : "check the user and key (`dvc remote modify " + name + " user <name>`, `dvc remote modify --local "
                  + name + " keyfile <path>`): the key's public half must be in ~/.ssh/authorized_keys of '" + user
                  + "' on " + hostName, redactor.sanitize(e));
    }
    return new Retry.TransientException("connecting to " + where(null) + " failed: " + m, redactor.sanitize(e));
  }

  private MlopsException unreachable(String why, Throwable cause) {
    return new MlopsException(MlopsException.Kind.ENVIRONMENT, "cannot reach the SSH server of remote '" + name
        + "' (" + url + ") at " + hostName + ":" + port + ": " + why, null, 0, "check that the host is up and runs "
            + "sshd on that port, and the url and port (`dvc remote modify " + name + " url ssh://<host>/<path>`, "
            + "`dvc remote modify " + name + " port <port>`)", redactor.sanitize(cause));
  }

  /**
   * What an SFTP or connection failure means for the caller: a {@link MissingObject}, a
   * {@link Retry.TransientException}, a plain {@link IOException}, or (thrown) an {@link MlopsException}.
   */
  private IOException failure(IOException e, String action, String key) {
    if (e instanceof Retry.TransientException || e instanceof InterruptedIOException) {
      return e;
    }
    if (e instanceof SftpException se) {
      int status = se.getStatus();
      if (status == SftpConstants.SSH_FX_NO_SUCH_FILE || status == SftpConstants.SSH_FX_NO_SUCH_PATH) {
        MissingObject m = new MissingObject(url + "/" + key);
        m.initCause(redactor.sanitize(e));
        return m;
      }
      if (status == SftpConstants.SSH_FX_PERMISSION_DENIED) {
        throw new MlopsException("permission denied to " + action + " " + where(key) + " as user '" + user + "'",
            configFile, 0, "give '" + user + "' read access to " + (root.isEmpty() ? "the remote's directory" : root)
                + " on " + hostName + " to pull and write access to push, or fix the url with `dvc remote modify "
                + name + " url ssh://<host>/<path>`", redactor.sanitize(e));
      }
      return new IOException(action + " " + where(key) + " failed: " + reason(e), redactor.sanitize(e));
    }
    return new Retry.TransientException(action + " " + where(key) + " failed: " + reason(e)
        + " (the connection is made again)", redactor.sanitize(e));
  }

  private String reason(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    m = redactor.redact(m.strip());
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl).strip();
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  private static <T> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** {@code ~} and ssh_config's {@code %d %u %h %r %p %%} tokens in a key's path. */
  private static Path expand(String file, Path home, String localUser, String hostName, String user, int port) {
    String f = file;
    if (f.equals("~") || f.startsWith("~/")) {
      f = home + f.substring(1);
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("%%", "\u0000");
    tokens.put("%d", home.toString());
    tokens.put("%u", localUser);
    tokens.put("%h", hostName);
    tokens.put("%r", user);
    tokens.put("%p", Integer.toString(port));
    for (Map.Entry<String, String> t : tokens.entrySet()) {
      f = f.replace(t.getKey(), t.getValue());
    }
    Path p = Path.of(f.replace("\u0000", "%"));
    return p.isAbsolute() ? p : home.resolve(p);
  }

  /** The login name asyncssh defaults to (getpass.getuser: LOGNAME, USER, LNAME, USERNAME, then the system's). */
  private static String localUser(Map<String, String> env) {
    for (String v : new String[] {"LOGNAME", "USER", "LNAME", "USERNAME"}) {
      if (nonBlank(env.get(v)) != null) {
        return env.get(v).strip();
      }
    }
    return System.getProperty("user.name");
  }

  private static boolean bool(String name, Map<String, String> opts, String key, Path configFile) {
    String v = opts.get(key);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off", "" -> false;
      default -> throw new MlopsException("remote '" + name + "' option " + key + " is '" + v
          + "', not a boolean", configFile, 0, "set it with `dvc remote modify " + name + " " + key + " true` "
              + "(or false)");
    };
  }

  private static int positive(String name, Map<String, String> opts, String key, Path configFile) {
    String v = opts.get(key).strip();
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new MlopsException("remote '" + name + "' option " + key + " is '" + v + "', not a positive number",
        configFile, 0, "set it with `dvc remote modify " + name + " " + key + " <number>`");
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      idle.forEach(SshRemote::closeQuietly);
      idle.clear();
      if (session != null) {
        closeQuietly(session);
        session = null;
      }
      if (client != null) {
        client.stop();
        client = null;
      }
    }
  }

  /** An object that is not on the server. */
  static final class MissingObject extends NoSuchFileException {
    MissingObject(String url) {
      super(url);
    }
  }
}
