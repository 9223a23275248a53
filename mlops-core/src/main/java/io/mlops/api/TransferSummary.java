package io.mlops.api;

import java.util.List;

/**
 * What a push or fetch did.
 *
 * @param transferred objects copied
 * @param upToDate objects already at the destination
 * @param missing objects found neither locally nor on the remote (path and hash)
 * @param failed objects whose transfer failed, with the reason
 * @param retries transient failures (timeouts, resets, 429/5xx answers) retried on the way
 */
public record TransferSummary(int transferred, int upToDate, List<String> missing, List<String> failed,
    long retries) {
  public TransferSummary(int transferred, int upToDate, List<String> missing, List<String> failed) {
    this(transferred, upToDate, missing, failed, 0);
  }

  /** DVC's wording: "2 files pushed", "Everything is up to date." */
  public String describe(String verb) {
    if (transferred == 0 && failed.isEmpty()) {
      return "Everything is up to date.";
    }
    return transferred + " file" + (transferred == 1 ? "" : "s") + " " + verb
        + (upToDate > 0 ? ", " + upToDate + " up to date" : "")
        + (failed.isEmpty() ? "" : ", " + failed.size() + " failed");
  }
}
