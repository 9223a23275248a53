package io.mlops.internal.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was read from one metrics or params file at one revision: its values (the plain value model, keys in
 * file order), or why it could not be read (DVC's {@code {"error": {"type", "msg"}}}).
 *
 * @param data the values, or null when there is an error
 * @param errorType Python exception class name DVC would report (e.g. {@code FileNotFoundError}), or null
 * @param errorMessage the message, or null
 */
public record FileResult(Object data, String errorType, String errorMessage) {
  public static FileResult of(Object data) {
    return new FileResult(data, null, null);
  }

  public static FileResult error(String type, String message) {
    return new FileResult(null, type, message);
  }

  /** DVC's message for a file that does not exist at the revision. */
  public static FileResult notFound(String path) {
    return error("FileNotFoundError", "[Errno 2] No such file or directory: '" + path + "'");
  }

  public boolean isError() {
    return errorType != null;
  }

  /** DVC's JSON form: {@code {"data": ...}} or {@code {"error": {"type": ..., "msg": ...}}}. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (isError()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", errorType);
      e.put("msg", errorMessage);
      m.put("error", e);
    } else {
      m.put("data", data);
    }
    return m;
  }
}
