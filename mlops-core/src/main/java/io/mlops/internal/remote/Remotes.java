package io.mlops.internal.remote;

import io.mlops.api.MlopsException;
import io.mlops.internal.Repo;
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

  public static RemoteStorage open(Repo repo, String requestedName) {
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
    switch (scheme) {
      case "":
      case "file":
        Path dir = colon > 0
            ? Path.of(url.substring(colon + 3))
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
        throw new MlopsException(
            "remote '" + name + "' uses '" + scheme + "://', which this version cannot reach yet",
            repo.root().resolve(".dvc/config"), 0,
            "supported: local directories, gs:// (Google Cloud Storage), s3://, azure:// (Azure Blob Storage), "
                + "ssh:// (SFTP) and http(s)://");
    }
  }
}
