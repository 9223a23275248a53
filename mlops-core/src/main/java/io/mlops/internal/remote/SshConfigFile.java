package io.mlops.internal.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an OpenSSH client config file ({@code ~/.ssh/config}) says about one host, as ssh_config(5) reads it:
 * keywords case-insensitive, {@code Keyword value} or {@code Keyword=value}, a {@code Host} line's patterns
 * ({@code *}, {@code ?}, {@code !negated}) choosing the lines up to the next {@code Host} or {@code Match}, the
 * first value found for a keyword winning and {@code IdentityFile} adding up. Only {@code HostName}, {@code User},
 * {@code Port} and {@code IdentityFile} are kept. {@code Match} blocks and {@code Include} are not read.
 */
final class SshConfigFile {
  /** The settings for one host: each null when the file does not set it. */
  record Entry(String hostName, String user, Integer port, List<String> identityFiles) {
    static final Entry NONE = new Entry(null, null, null, List.of());
  }

  private SshConfigFile() {}

  /** The settings of {@code host} (the name as written in the URL) in {@code file}; {@link Entry#NONE} when absent. */
  static Entry forHost(Path file, String host) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Entry.NONE;
    }
    Map<String, String> first = new LinkedHashMap<>();
    List<String> identities = new ArrayList<>();
    boolean applies = true;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("(\\s*=\\s*|\\s+)", 2);
      String keyword = kv[0].toLowerCase(Locale.ROOT);
      String value = kv.length > 1 ? unquote(kv[1].strip()) : "";
      switch (keyword) {
        case "host" -> applies = matches(host, value);
        case "match" -> applies = false;
        case "hostname", "user", "port" -> {
          if (applies) {
            first.putIfAbsent(keyword, value);
          }
        }
        case "identityfile" -> {
          if (applies && !value.isEmpty()) {
            identities.add(value);
          }
        }
        default -> {
          // other keywords do not concern the remote
        }
      }
    }
    Integer port = null;
    if (first.containsKey("port")) {
      try {
        port = Integer.parseInt(first.get("port"));
      } catch (NumberFormatException e) {
        throw new IOException(file + ": Port is '" + first.get("port") + "', not a number");
      }
    }
    return new Entry(first.get("hostname"), first.get("user"), port, List.copyOf(identities));
  }

  /** Whether a {@code Host} line's patterns take {@code host}: one positive match and no negated one. */
  static boolean matches(String host, String patterns) {
    boolean any = false;
    for (String p : patterns.split("[\\s,]+")) {
      if (p.isEmpty()) {
        continue;
      }
      boolean negated = p.startsWith("!");
      String glob = negated ? p.substring(1) : p;
      if (glob(glob).matcher(host.toLowerCase(Locale.ROOT)).matches()) {
        if (negated) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  private static Pattern glob(String glob) {
    StringBuilder sb = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '*' -> sb.append(".*");
        case '?' -> sb.append('.');
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(sb.toString());
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
