package io.mlops.internal.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;

/** POSIX path helpers with Python's {@code posixpath} semantics (DVC works on '/'-separated strings). */
final class PosixPaths {
  private PosixPaths() {}

  /** {@code posixpath.join(a, b)}: b wins if absolute; "" joins to the other part. */
  static String join(String a, String b) {
    if (b.startsWith("/")) {
      return b;
    }
    if (a.isEmpty() || a.endsWith("/")) {
      return a + b;
    }
    return a + "/" + b;
  }

  /** {@code posixpath.normpath}. */
  static String normpath(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    int initialSlashes = path.startsWith("//") && !path.startsWith("///") ? 2 : path.startsWith("/") ? 1 : 0;
    Deque<String> parts = new ArrayDeque<>();
    for (String comp : path.split("/")) {
      if (comp.isEmpty() || comp.equals(".")) {
        continue;
      }
      if (!comp.equals("..") || (initialSlashes == 0 && parts.isEmpty()) || (!parts.isEmpty() && parts.peekLast().equals(".."))) {
        parts.addLast(comp);
      } else if (!parts.isEmpty()) {
        parts.removeLast();
      }
    }
    String joined = String.join("/", parts);
    String result = "/".repeat(initialSlashes) + joined;
    return result.isEmpty() ? "." : result;
  }
}
