package io.mlops.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.api.EngineLog;
import io.mlops.internal.Repo;
import io.mlops.internal.remote.Sync;
import io.mlops.internal.repro.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote options from the build (POM / -Dmlops.remoteUrl) override .dvc/config for one run, writing nothing. */
class RemoteOverrideTest {
  @TempDir Path root;
  final EngineLog quiet = new EngineLog() {
    @Override
    public void info(String m) {}

    @Override
    public void warn(String m) {}

    @Override
    public void error(String m) {}

    @Override
    public void debug(String m) {}
  };

  @Test
  void overridesTheDefaultRemoteAndResolvesRelativeUrlsAgainstTheProject() throws IOException {
    Repo.init(root, true, quiet);
    String config = "[core]\n    no_scm = True\n    remote = store\n['remote \"store\"']\n    url = gs://bucket/path\n";
    Files.writeString(root.resolve(".dvc/config"), config);
    Files.writeString(root.resolve("a.txt"), "a\n");
    try (Repo repo = Repo.open(root, quiet, Map.of(), 1)) {
      new Workspace(repo).add(List.of("a.txt"));
      String name = repo.config().overrideRemote(null, Map.of("URL", "build/remote"), root);
      assertEquals("store", name);
      assertEquals(root.resolve("build/remote"), repo.config().getPath("remote \"store\"", "url").orElseThrow());
      assertEquals(1, new Sync(repo).push(new Sync.Request(List.of(), null, 1, false)).transferred());
    }
    assertTrue(Files.isDirectory(root.resolve("build/remote/files/md5")));
    assertEquals(config, Files.readString(root.resolve(".dvc/config")), ".dvc/config is not changed");
  }

  @Test
  void aNamedRemoteIsCreatedAndBecomesTheDefaultWhenNoneIsConfigured() {
    DvcConfig cfg = DvcConfig.empty();
    assertEquals("mlops", cfg.overrideRemote(null, Map.of("url", "s3://b/p"), root));
    assertEquals("mlops", cfg.get("core", "remote").orElseThrow());
    assertEquals("ci", cfg.overrideRemote("ci", Map.of("url", "gs://b/p", "endpointurl", "http://127.0.0.1:1"), root));
    assertEquals(Map.of("url", "gs://b/p", "endpointurl", "http://127.0.0.1:1"), cfg.remote("ci").orElseThrow());
    assertEquals("mlops", cfg.get("core", "remote").orElseThrow(), "an existing default stays");
  }
}
