package io.mlops.crash;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.mlops.harness.GcsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gs:// remote of the crash tests: buckets on fake-gcs-server, one per trial where the remote changes (a bucket
 * that keeps growing would slow the server's listings down trial after trial).
 */
final class GcsCrash {
  static final String PREFIX = "store";

  private GcsCrash() {}

  /** A repository configuration whose default remote is {@code gs://crash-<id>/store} on {@code gcs}, made if new. */
  static void remote(Path root, GcsServer gcs, String id) throws java.io.IOException {
    String bucket = "crash-" + id;
    if (gcs.storage().get(bucket) == null) {
      gcs.createBucket(bucket);
    }
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = gs://" + bucket + "/" + PREFIX + "\n    endpointurl = " + gcs.endpoint()
        + "\n    allow_anonymous_login = true\n");
  }

  /**
   * The objects of a trial's remote, name (under the prefix) → the md5 the server computed from the bytes it stored
   * (fake-gcs-server hashes what it receives, so a listing checks the stored bytes without downloading them).
   */
  static Map<String, String> objects(GcsServer gcs, String id) {
    Map<String, String> out = new TreeMap<>();
    for (Blob b : gcs.storage().list("crash-" + id, Storage.BlobListOption.prefix(PREFIX + "/")).iterateAll()) {
      out.put(b.getName().substring(PREFIX.length() + 1), b.getMd5ToHexString());
    }
    return out;
  }
}
