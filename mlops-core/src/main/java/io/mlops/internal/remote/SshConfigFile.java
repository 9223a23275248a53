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
 * first value found for a keyword winning and {@code IdentityFile} adding up. {@code Include} reads other files in
 * place (globs, {@code ~}, relative to {@code ~/.ssh}, conditional inside a block, 16 levels deep at most);
 * {@code Match} blocks apply for {@code all}, {@code host}, {@code originalhost} and {@code localuser} criteria
 * (each may be negated with {@code !}; all must hold); a block with another criterion ({@code exec}, {@code user},
 * {@code canonical}...) is not applied. Only {@code HostName}, {@code User}, {@code Port}, {@code IdentityFile},
 * {@code IdentityAgent} and {@code IdentitiesOnly} are kept.
 */
final class SshConfigFile {
  /**
   * The settings for one host: each null when the file does not set it ({@code identitiesOnly} false then).
   * {@code identityAgent} is the value as written ({@code none}, {@code SSH_AUTH_SOCK}, a path or {@code $VAR}).
   */
  record Entry(String hostName, String user, Integer port, List<String> identityFiles, String identityAgent,
      boolean identitiesOnly) {
    static final Entry NONE = new Entry(null, null, null, List.of(), null, false);
  }

  /** OpenSSH's limit on nested {@code Include}s. */
  private static final int MAX_DEPTH = 16;

  private SshConfigFile() {}

  /** The settings of {@code host} (the name as written in the URL) in {@code file}; {@link Entry#NONE} when absent. */
  static Entry forHost(Path file, String host) throws IOException {
    return forHost(file, host, file.toAbsolutePath().getParent(), System.getProperty("user.name"));
  }

  /**
   * The same, with {@code sshDir} the directory relative {@code Include} paths are read from (the user's
   * {@code ~/.ssh}) and {@code localUser} the name {@code Match localuser} compares.
   */
  static Entry forHost(Path file, String host, Path sshDir, String localUser) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Entry.NONE;
    }
    Reader r = new Reader(host, sshDir, localUser);
    r.read(file, 0);
    Integer port = null;
    if (r.first.containsKey("port")) {
      try {
        port = Integer.parseInt(r.first.get("port"));
      } catch (NumberFormatException e) {
        throw new IOException(file + ": Port is '" + r.first.get("port") + "', not a number");
      }
    }
    String only = r.first.get("identitiesonly");
    if (only != null && !only.equalsIgnoreCase("yes") && !only.equalsIgnoreCase("no")) {
      throw new IOException(file + ": IdentitiesOnly is '" + only + "', not yes or no");
    }
    return new Entry(r.first.get("hostname"), r.first.get("user"), port, List.copyOf(r.identities),
        r.first.get("identityagent"), "yes".equalsIgnoreCase(only));
  }

  private static final class Reader {
    final String host;
    final Path sshDir;
    final String localUser;
    final Map<String, String> first = new LinkedHashMap<>();
    final List<String> identities = new ArrayList<>();

    Reader(String host, Path sshDir, String localUser) {
      this.host = host;
      this.sshDir = sshDir;
      this.localUser = localUser;
    }

    /** Reads one file; a block's condition ends with the file, as in OpenSSH. */
    void read(Path file, int depth) throws IOException {
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
          case "match" -> applies = match(value, file);
          case "include" -> {
            if (applies) {
              include(value, file, depth);
            }
          }
          case "hostname", "user", "port", "identityagent", "identitiesonly" -> {
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
    }

    private void include(String value, Path from, int depth) throws IOException {
      if (depth + 1 > MAX_DEPTH) {
        throw new IOException(from + ": Include nested more than " + MAX_DEPTH + " levels deep");
      }
      for (String p : value.split("\\s+")) {
        if (p.isEmpty()) {
          continue;
        }
        // ~ is the home the .ssh directory is in
        Path pattern = p.equals("~") || p.startsWith("~/") ? sshDir.getParent().resolve(p.substring(Math.min(2,
            p.length()))) : sshDir.resolve(p);
        for (Path f : glob(pattern)) {
          read(f, depth + 1);
        }
      }
    }

    /** The files a path with glob wildcards in its last part names, in lexical order (none when nothing matches). */
    private static List<Path> glob(Path pattern) throws IOException {
      Path dir = pattern.getParent();
      String name = pattern.getFileName().toString();
      if (dir == null || !Files.isDirectory(dir)) {
        return List.of();
      }
      if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
        return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
      }
      java.nio.file.PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + name);
      try (java.util.stream.Stream<Path> s = Files.list(dir)) {
        return s.filter(f -> m.matches(f.getFileName()) && Files.isRegularFile(f)).sorted().toList();
      }
    }

    /** Whether a {@code Match} line's criteria all hold; false for a criterion this reader cannot evaluate. */
    private boolean match(String criteria, Path file) throws IOException {
      String[] words = criteria.split("\\s+");
      boolean all = true;
      for (int i = 0; i < words.length; i++) {
        String w = words[i].toLowerCase(Locale.ROOT);
        if (w.isEmpty()) {
          continue;
        }
        boolean negated = w.startsWith("!");
        String criterion = negated ? w.substring(1) : w;
        boolean holds;
        switch (criterion) {
          case "all" -> holds = true;
          case "host", "originalhost", "localuser" -> {
            if (i + 1 >= words.length) {
              throw new IOException(file + ": Match " + criterion + " needs an argument");
            }
            String arg = words[++i];
            String subject = switch (criterion) {
              // the target after HostName substitution, as far as this file says it so far
              case "host" -> first.getOrDefault("hostname", host);
              case "originalhost" -> host;
              default -> localUser == null ? "" : localUser;
            };
            holds = matches(subject, arg);
          }
          default -> {
            return false; // exec, user, canonical, final, localnetwork, tagged...: not evaluated, not applied
          }
        }
        all &= negated != holds;
      }
      return all;
    }
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
