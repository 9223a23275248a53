package io.mlops.internal.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that may end up in a message or a log line: the exact strings it was given (a key's
 * private key and its lines, key ids, client secrets, refresh tokens, the raw variable holding a key) and anything
 * shaped like a private key block, a JWT, an OAuth access token or a bearer header.
 */
final class Redactor {
  static final String MASK = "[redacted]";
  private static final int MIN_SECRET = 8;
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL),
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"),
      Pattern.compile("ya29\\.[A-Za-z0-9._-]+"),
      Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"),
      Pattern.compile("(?i)(\"(?:access_token|refresh_token|id_token|private_key|private_key_id|client_secret"
          + "|assertion|subject_token)\"\\s*:\\s*\")[^\"]*"),
      Pattern.compile("(?i)((?:assertion|access_token|refresh_token|subject_token|client_secret)=)[^&\\s\"]+"));

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor that knows no exact secrets (the shapes are still removed). */
  static Redactor none() {
    return new Redactor(List.of());
  }

  static Redactor of(Collection<String> secrets) {
    List<String> list = new ArrayList<>();
    for (String s : secrets) {
      if (s == null) {
        continue;
      }
      String t = s.strip();
      if (t.length() >= MIN_SECRET && !list.contains(t)) {
        list.add(t);
      }
      // a PEM key is also masked line by line, in case a message carries only a part of it
      if (t.contains("\n")) {
        for (String line : t.split("\\R")) {
          String l = line.strip();
          if (l.length() >= 16 && !l.startsWith("-----") && !list.contains(l)) {
            list.add(l);
          }
        }
      }
    }
    list.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(list));
  }

  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
      // the same secret as it appears inside JSON text (newlines escaped)
      if (s.contains("\n")) {
        out = out.replace(s.replace("\n", "\\n"), MASK);
      }
    }
    for (Pattern p : SHAPES) {
      out = p.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
          (m.groupCount() > 0 && m.group(1) != null && !m.group(1).startsWith("-----") ? m.group(1) : "") + MASK));
    }
    return out;
  }

  /**
   * A copy of a throwable and its causes whose messages are redacted, with the original classes named and stack
   * traces kept, for use as the cause of the engine's own exceptions.
   */
  Throwable sanitize(Throwable t) {
    return sanitize(t, new IdentityHashMap<>(), 0);
  }

  private Throwable sanitize(Throwable t, Map<Throwable, Throwable> seen, int depth) {
    if (t == null || depth > 16) {
      return null;
    }
    Throwable done = seen.get(t);
    if (done != null) {
      return done;
    }
    Redacted copy = new Redacted(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + redact(t.getMessage())));
    seen.put(t, copy);
    copy.setStackTrace(t.getStackTrace());
    Throwable cause = sanitize(t.getCause(), seen, depth + 1);
    if (cause != null) {
      copy.initCause(cause);
    }
    return copy;
  }

  /** Stands for an exception of the Google client whose message was redacted. */
  static final class Redacted extends Exception {
    private static final long serialVersionUID = 1L;

    Redacted(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
