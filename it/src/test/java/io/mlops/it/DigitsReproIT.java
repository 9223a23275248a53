package io.mlops.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlops.harness.ReproReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digits example (a Tribuo classifier on UCI optdigits) in real Maven builds of a fresh clone: the
 * first {@code mvn verify} pulls the data and the committed results from the embedded remote and skips
 * every stage; a forced run reproduces every output bit for bit (each hash equals the committed dvc.lock);
 * a changed {@code train.epochs} reruns train and evaluate only, and reverting it restores them from the
 * run-cache. Real DVC, run on the same files, reproduces the same lock and outputs.
 */
class DigitsReproIT {
  private static final List<String> FILE_OUTS = List.of("evaluation/metrics.json",
      "evaluation/plots/confusion_matrix.png", "evaluation/plots/training_history.png");
  private static final List<String> DIR_OUTS = List.of("data/prepared", "model");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path work;

  private static Map<String, String> outcomes(MavenProject p) {
    return ReproReport.read(p.dir()).outcomes();
  }

  @Test
  void pullSkipForceRerunAndRestore() throws IOException {
    MavenProject p = MavenProject.cloneExample("digits", work);
    String committedLock = p.read("dvc.lock");
    String committedMetrics = p.read("evaluation/metrics.json");
    assertFalse(Files.exists(p.dir().resolve("data/raw")), "a fresh clone has no data");
    assertFalse(Files.exists(p.dir().resolve("model")), "a fresh clone has no model");

    // online: the example's libraries (Tribuo) and maven-dependency-plugin may not be in the local repository yet
    MavenProject.Run first = p.mvnResolving("verify");
    first.assertSucceeded();
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "skipped", "evaluate", "skipped"),
        outcomes(p), "the committed lock matches what the remote holds");
    assertTrue(first.log().contains("Data and pipelines are up to date."), first.log());
    assertFalse(first.log().contains("Running stage"), first.log());
    assertEquals(committedLock, p.read("dvc.lock"));
    assertTrue(Files.size(p.dir().resolve("data/raw/digits.csv")) > 200_000, "pulled the UCI optdigits rows");
    assertOutputsMatch(p, committedLock);

    MavenProject.Run forced = p.mvn("verify", "-Dmlops.force=true");
    forced.assertSucceeded();
    for (String stage : List.of("prepare", "train", "evaluate")) {
      assertTrue(forced.log().contains("Running stage '" + stage + "':"), forced.log());
      assertEquals("ran", outcomes(p).get(stage), stage);
    }
    assertTrue(forced.log().contains("io.mlops.examples.digits.Train --seed 7"), forced.log());
    assertEquals(committedLock, p.read("dvc.lock"), "every output is reproduced bit for bit");
    assertEquals(committedMetrics, p.read("evaluation/metrics.json"));
    assertOutputsMatch(p, committedLock);
    JsonNode metrics = new ObjectMapper().readTree(committedMetrics);
    for (String key : List.of("accuracy", "precision", "recall", "f1", "loss")) {
      assertTrue(metrics.has(key), key);
    }
    assertTrue(metrics.get("accuracy").asDouble() > 0.9, "a linear model gets most digits right: " + metrics);

    String params = p.read("params.yaml");
    assertTrue(params.contains("  epochs: 20\n"), params);
    p.write("params.yaml", params.replace("  epochs: 20\n", "  epochs: 12\n"));
    MavenProject.Run changed = p.mvn("verify");
    changed.assertSucceeded();
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "ran", "evaluate", "ran"),
        outcomes(p));
    assertTrue(p.read("dvc.lock").contains("epochs: 12"));
    List<String> history = p.read("model/history.csv").lines().toList();
    assertEquals(13, history.size(), "a header and 12 epochs");
    assertTrue(history.get(12).startsWith("12,"), history.get(12));
    assertNotEquals(committedMetrics, p.read("evaluation/metrics.json"), "fewer epochs, other metrics");

    p.write("params.yaml", params);
    MavenProject.Run reverted = p.mvn("verify");
    reverted.assertSucceeded();
    assertTrue(reverted.log().contains("Stage 'train' is cached - skipping run, checking out outputs"),
        reverted.log());
    assertEquals(Map.of("data/raw.dvc", "skipped", "prepare", "skipped", "train", "restored", "evaluate", "restored"),
        outcomes(p));
    assertEquals(committedLock, p.read("dvc.lock"));
    assertEquals(committedMetrics, p.read("evaluation/metrics.json"));
    assertOutputsMatch(p, committedLock);
  }

  @Test
  void realDvcReproducesTheSameLockAndOutputs() throws IOException {
    Path dvc = MavenProject.dvc();
    MavenProject p = MavenProject.cloneExample("digits", work);
    String committedLock = p.read("dvc.lock");
    String committedMetrics = p.read("evaluation/metrics.json");
    // compiles the stage classes and fills target/lib; pulls the data; skips the stages
    p.mvnResolving("verify").assertSucceeded();

    MavenProject.Run status = MavenProject.exec(List.of(dvc.toString(), "status"), p.dir());
    assertEquals(0, status.exitCode(), status.log());
    assertTrue(status.log().contains("Data and pipelines are up to date."), "DVC agrees: " + status.log());

    MavenProject.Run repro = MavenProject.exec(List.of(dvc.toString(), "repro", "--force"), p.dir());
    assertEquals(0, repro.exitCode(), repro.log());
    assertTrue(repro.log().contains("Running stage 'train'"), repro.log());
    assertEquals(committedLock, p.read("dvc.lock"), "DVC writes the same lock, byte for byte");
    assertEquals(committedMetrics, p.read("evaluation/metrics.json"));
    assertOutputsMatch(p, committedLock);
  }

  /**
   * Checks every output against the hashes in {@code lock}, without the plugin: files by their MD5,
   * directories by the listing object of that hash in the example's remote (content-addressed, so its
   * own MD5 is its name), whose every entry must be the workspace file of that MD5 and nothing more.
   */
  private static void assertOutputsMatch(MavenProject p, String lock) throws IOException {
    Map<String, String> hashes = lockHashes(lock);
    for (String f : FILE_OUTS) {
      assertEquals(hashes.get(f), md5(p.dir().resolve(f)), f);
    }
    for (String png : FILE_OUTS.subList(1, FILE_OUTS.size())) {
      byte[] head = new byte[8];
      System.arraycopy(Files.readAllBytes(p.dir().resolve(png)), 0, head, 0, 8);
      assertArrayEquals(PNG_SIGNATURE, head, png);
    }
    Path remote = p.dir().resolveSibling("digits-remote");
    for (String d : DIR_OUTS) {
      String dirHash = hashes.get(d);
      assertTrue(dirHash != null && dirHash.endsWith(".dir"), d + ": " + dirHash);
      Path listing = remote.resolve("files/md5/" + dirHash.substring(0, 2) + "/" + dirHash.substring(2));
      assertEquals(dirHash.substring(0, dirHash.length() - 4), md5(listing), "the listing of " + d);
      Map<String, String> expected = new TreeMap<>();
      for (JsonNode e : new ObjectMapper().readTree(listing.toFile())) {
        expected.put(e.get("relpath").asText(), e.get("md5").asText());
      }
      Map<String, String> actual = new TreeMap<>();
      Path root = p.dir().resolve(d);
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          actual.put(root.relativize(f).toString().replace('\\', '/'), md5(f));
        }
      }
      assertEquals(expected, actual, d);
    }
  }

  /** path → md5 of every dep and out in a dvc.lock (a path has one hash throughout a consistent lock). */
  private static Map<String, String> lockHashes(String lock) {
    Matcher m = Pattern.compile("- path: (\\S+)\\n\\s+hash: md5\\n\\s+md5: (\\S+)").matcher(lock);
    Map<String, String> out = new TreeMap<>();
    while (m.find()) {
      String previous = out.put(m.group(1), m.group(2));
      assertTrue(previous == null || previous.equals(m.group(2)), m.group(1));
    }
    return out;
  }

  private static String md5(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
