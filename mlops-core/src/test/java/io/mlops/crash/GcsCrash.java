package io.mlops.crash;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.mlops.harness.GcsServer;
import io.mlops.internal.hash.FileHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The gs:// remote of the crash tests: a bucket on fake-gcs-server, one prefix per trial where the remote changes. */
final class GcsCrash {
  static final String BUCKET = "crash";

  private GcsCrash() {}

  /** A repository configuration whose default remote is {@code gs://crash/<prefix>} on {@code gcs}. */
  static void remote(Path root, GcsServer gcs, String prefix) throws java.io.IOException {
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n    remote = store\n"
        + "['remote \"store\"']\n    url = gs://" + BUCKET + "/" + prefix + "\n    endpointurl = " + gcs.endpoint()
        + "\n    allow_anonymous_login = true\n");
  }

  static void ensureBucket(GcsServer gcs) {
    if (gcs.storage().get(BUCKET) == null) {
      gcs.createBucket(BUCKET);
    }
  }

  /** The objects under a prefix, name (without the prefix) → md5 of their bytes as read back. */
  static Map<String, String> objects(GcsServer gcs, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (Blob b : gcs.storage().list(BUCKET, Storage.BlobListOption.prefix(prefix + "/")).iterateAll()) {
      out.put(b.getName().substring(prefix.length() + 1), FileHasher.md5Hex(b.getContent()));
    }
    return out;
  }
}
