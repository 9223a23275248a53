package io.mlops.internal.remote;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Opens the remote named in {@code .dvc/config} (or the default, {@code core.remote}). */
public final class Remotes {
  private Remotes() {}

  /** The remote's name: the explicit one, else {@code core.remote}. */
  public static String resolveName(Repo repo, String name) {
    if (name != null && !name.isBlank()) {
      return name.strip();
    }
    return repo.config().defaultRemote().orElseThrow(
        () -> new MlopsException(
            "no remote specified in " + repo.root().resolve(".dvc/config"),
            null, 0,
            "set a default remote with `dvc remote add -d <name> <url>`, or pass "
                + repo.hints().option("remote", "-r", "<name>")));
  }

  /** A remote's configuration, checked: the name exists, it has a URL, and its scheme is one this version reaches. */
  record Spec(String name, Map<String, String> opts, String url, String scheme) {
    boolean isLocal() {
      return scheme.isEmpty() || scheme.equals("file");
    }

    /** The URL for messages: without user information ({@code user:password@}) or a query (a token). */
    String displayUrl() {
      int q = url.indexOf('?');
      return withoutUserInfo(q < 0 ? url : url.substring(0, q));
    }
  }

  /** A URL without its user information ({@code scheme://user:password@host/...} → {@code scheme://host/...}). */
  static String withoutUserInfo(String u) {
    return u.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@?#]*@", "$1");
  }

  private static final java.util.Set<String> SCHEMES =
      java.util.Set.of("", "file", "gs", "s3", "azure", "ssh", "http", "https");

  static Spec spec(Repo repo, String requestedName) {
    String name = resolveName(repo, requestedName);
    Map<String, String> opts = repo.config().remote(name).orElseThrow(
        () -> new MlopsException(
            "remote '" + name + "' does not exist",
            repo.root().resolve(".dvc/config"), 0,
            "configured remotes: " + repo.config().remoteNames()
                + "; add it with `dvc remote add " + name + " <url>` or fix "
                + repo.hints().option("remote", "-r", name)));
    String url = opts.get("url");
    if (url == null || url.isBlank()) {
      throw new MlopsException("remote '" + name + "' has no url", repo.root().resolve(".dvc/config"), 0,
          "set it with `dvc remote modify " + name + " url <url>`");
    }
    int colon = url.indexOf("://");
    String scheme = colon > 0 ? url.substring(0, colon) : "";
    if (!SCHEMES.contains(scheme)) {
      throw new MlopsException(
          "remote '" + name + "' uses '" + scheme + "://', which this version cannot reach yet",
          repo.root().resolve(".dvc/config"), 0,
          "supported: local directories, gs:// (Google Cloud Storage), s3://, azure:// (Azure Blob Storage), "
              + "ssh:// (SFTP) and http(s)://");
    }
    return new Spec(name, opts, url, scheme);
  }

  public static RemoteStorage open(Repo repo, String requestedName) {
    return open(repo, spec(repo, requestedName));
  }

  /**
   * The remote, its configuration checked now but its client (a cloud SDK, a connection) built on first use: a
   * pull or fetch whose objects are all in the cache loads no SDK and opens no connection.
   */
  static RemoteStorage openLazily(Repo repo, Spec spec) {
    return new LazyRemote(() -> open(repo, spec));
  }

  private static RemoteStorage open(Repo repo, Spec spec) {
    String name = spec.name();
    String url = spec.url();
    Map<String, String> opts = spec.opts();
    switch (spec.scheme()) {
      case "":
      case "file":
        Path dir = !spec.scheme().isEmpty()
            ? Path.of(url.substring(url.indexOf("://") + 3))
            : repo.config().getPath("remote \"" + name + "\"", "url").orElseThrow();
        return new LocalRemote(dir, url);
      case "gs":
        return GcsRemote.open(name, url, opts,
            repo.config().getPath("remote \"" + name + "\"", "credentialpath").orElse(null), repo.env(), repo.log());
      case "s3":
        return S3Remote.open(repo, name, opts);
      case "azure":
        return AzureRemote.open(repo, name, opts);
      case "ssh":
        return SshRemote.open(repo, name, opts);
      case "http":
      case "https":
        return HttpRemote.open(repo, name, opts);
      default:
        throw new IllegalStateException(spec.scheme()); // spec() admits only the schemes above
    }
  }

  /** A remote opened on its first use, once, by whichever thread gets there first. */
  private static final class LazyRemote implements RemoteStorage {
    private final java.util.function.Supplier<RemoteStorage> opener;
    private volatile RemoteStorage remote;

    LazyRemote(java.util.function.Supplier<RemoteStorage> opener) {
      this.opener = opener;
    }

    private RemoteStorage get() {
      RemoteStorage r = remote;
      if (r == null) {
        synchronized (this) {
          r = remote;
          if (r == null) {
            r = opener.get();
            remote = r;
          }
        }
      }
      return r;
    }

    @Override
    public String url() {
      return get().url();
    }

    @Override
    public boolean exists(String key) throws IOException {
      return get().exists(key);
    }

    @Override
    public java.util.Set<String> list(String prefix) throws IOException {
      return get().list(prefix);
    }

    @Override
    public void upload(Path source, String key) throws IOException {
      get().upload(source, key);
    }

    @Override
    public void download(String key, Path target) throws IOException {
      get().download(key, target);
    }

    @Override
    public String downloadMd5(String key, Path target) throws IOException {
      return get().downloadMd5(key, target);
    }

    @Override
    public boolean canTraverse() {
      return get().canTraverse();
    }

    @Override
    public boolean isNotFound(IOException e) {
      return get().isNotFound(e);
    }

    @Override
    public void close() {
      RemoteStorage r = remote;
      if (r != null) {
        r.close();
      }
    }
  }
}
