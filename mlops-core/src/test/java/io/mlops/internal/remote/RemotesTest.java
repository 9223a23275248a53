package io.mlops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What messages show of a remote's URL: never its credentials. */
class RemotesTest {
  @Test
  void displayUrlDropsUserInformationAndQuery() {
    assertEquals("https://host:8443/dvc/store",
        new Remotes.Spec("r", Map.of(), "https://alice:s3cr3t@host:8443/dvc/store?token=abc", "https").displayUrl());
    assertEquals("ssh://example.com/srv/dvc",
        new Remotes.Spec("r", Map.of(), "ssh://bob@example.com/srv/dvc", "ssh").displayUrl());
    assertEquals("gs://bucket/path", new Remotes.Spec("r", Map.of(), "gs://bucket/path", "gs").displayUrl());
    // an @ in the path is not user information
    assertEquals("s3://bucket/a@b", new Remotes.Spec("r", Map.of(), "s3://bucket/a@b", "s3").displayUrl());
  }
}
