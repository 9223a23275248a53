package io.mlops.internal.config;

import io.mlops.api.MlopsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DVC's configuration: INI files as configobj reads them, merged system &lt; global &lt; repo
 * ({@code .dvc/config}) &lt; local ({@code .dvc/config.local}). Section names are kept as written
 * ({@code core}, {@code cache}, {@code remote "storage"}); keys are lower-cased.
 */
public final class DvcConfig {
  private final Map<String, Map<String, String>> sections;
  /** For each (section, key): the directory of the file it came from, to resolve relative paths. */
  private final Map<String, Path> origins;

  private DvcConfig(Map<String, Map<String, String>> sections, Map<String, Path> origins) {
    this.sections = sections;
    this.origins = origins;
  }

  public static DvcConfig empty() {
    return new DvcConfig(new LinkedHashMap<>(), new LinkedHashMap<>());
  }

  /** Loads the config levels that apply to the repository whose {@code .dvc} directory is given. */
  public static DvcConfig load(Path dvcDir, Map<String, String> env) {
    DvcConfig cfg = empty();
    String system = env.getOrDefault("DVC_SYSTEM_CONFIG_DIR", "/etc/xdg/dvc");
    cfg.merge(Path.of(system, "config"));
    String global = env.get("DVC_GLOBAL_CONFIG_DIR");
    if (global == null) {
      String xdg = env.get("XDG_CONFIG_HOME");
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      global = (xdg != null ? Path.of(xdg) : Path.of(home, ".config")).resolve("dvc").toString();
    }
    cfg.merge(Path.of(global, "config"));
    cfg.merge(dvcDir.resolve("config"));
    cfg.merge(dvcDir.resolve("config.local"));
    return cfg;
  }

  private void merge(Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new io.mlops.api.MlopsException("is not valid UTF-8", file, 0, "save the file with UTF-8 encoding");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String section = null;
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new MlopsException("malformed section header", file, lineNo, "write it as [core] or ['remote \"name\"']");
        }
        section = unquote(line.substring(1, line.length() - 1).strip());
        sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0 || section == null) {
        throw new MlopsException(
            "expected 'key = value' inside a section", file, lineNo, "see https://dvc.org/doc/command-reference/config");
      }
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = stripComment(line.substring(eq + 1).strip());
      sections.get(section).put(key, unquote(value));
      origins.put(section + "\u0000" + key, file.toAbsolutePath().getParent());
    }
  }

  private static String stripComment(String v) {
    if (v.startsWith("\"") || v.startsWith("'")) {
      return v;
    }
    int hash = v.indexOf(" #");
    return hash >= 0 ? v.substring(0, hash).strip() : v;
  }

  private static String unquote(String v) {
    if (v.length() >= 2
        && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  public Optional<String> get(String section, String key) {
    Map<String, String> s = sections.get(section);
    return s == null ? Optional.empty() : Optional.ofNullable(s.get(key.toLowerCase(Locale.ROOT)));
  }

  public boolean getBoolean(String section, String key, boolean dflt) {
    return get(section, key).map(v -> "true".equalsIgnoreCase(v.strip())).orElse(dflt);
  }

  /**
   * A path-valued option: relative values are resolved against the directory of the config file that set
   * them, as DVC does.
   */
  public Optional<Path> getPath(String section, String key) {
    return get(section, key)
        .map(
            v -> {
              if (v.matches("\\w+://.*")) {
                return Path.of(v);
              }
              Path p = Path.of(v.startsWith("~") ? System.getProperty("user.home") + v.substring(1) : v);
              Path base = origins.get(section + "\u0000" + key.toLowerCase(Locale.ROOT));
              return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
            });
  }

  /** The options of {@code ['remote "name"']}, or empty. */
  public Optional<Map<String, String>> remote(String name) {
    return Optional.ofNullable(sections.get("remote \"" + name + "\"")).map(Map::copyOf);
  }

  /**
   * Overrides (or adds) options of a remote for this run only, as the build's configuration asks; nothing is
   * written. The remote is {@code requestedName}, else {@code core.remote}; when neither exists a remote named
   * {@code mlops} is made the default. Relative paths among the options resolve against {@code base}.
   *
   * @param requestedName the remote asked for, or null
   * @param options DVC option names (any case), e.g. {@code url}, {@code endpointurl}; null values are ignored
   * @param base the directory relative paths are relative to (the project directory)
   * @return the name of the remote that was changed
   */
  public String overrideRemote(String requestedName, Map<String, String> options, Path base) {
    String name = requestedName != null && !requestedName.isBlank()
        ? requestedName.strip()
        : defaultRemote().orElse("mlops");
    if (defaultRemote().isEmpty()) {
      sections.computeIfAbsent("core", k -> new LinkedHashMap<>()).put("remote", name);
    }
    String section = "remote \"" + name + "\"";
    Map<String, String> s = sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String key = e.getKey().strip().toLowerCase(Locale.ROOT);
      s.put(key, e.getValue().strip());
      origins.put(section + "\u0000" + key, base.toAbsolutePath());
    }
    return name;
  }

  /** {@code core.remote}, lowercased as DVC reads it; empty when no default remote is set. */
  public Optional<String> defaultRemote() {
    return get("core", "remote").map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
  }

  /** Names of all configured remotes, in file order. */
  public List<String> remoteNames() {
    return sections.keySet().stream()
        .filter(s -> s.length() > 8 && s.startsWith("remote \"") && s.endsWith("\""))
        .map(s -> s.substring(8, s.length() - 1))
        .toList();
  }
}
