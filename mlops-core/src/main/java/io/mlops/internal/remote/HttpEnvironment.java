package io.mlops.internal.remote;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What DVC's http remotes take from the environment, through aiohttp's {@code trust_env=True}: the proxy for a URL
 * ({@code http_proxy}/{@code https_proxy} and their upper-case forms, lower case winning, {@code no_proxy} as
 * Python's {@code urllib} matches it, HTTPS proxies ignored as aiohttp ignores them) and Basic credentials from
 * {@code $NETRC} or {@code ~/.netrc} (for the server when no {@code auth} is configured, and for the proxy).
 */
final class HttpEnvironment {
  /** A proxy to send requests through, with its credentials (user and password null when none). */
  record Proxy(String host, int port, String user, String password) {
    @Override
    public String toString() {
      return "http://" + host + ":" + port; // never the password
    }
  }

  private final Map<String, String> env;
  private final Map<String, String> proxies;

  HttpEnvironment(Map<String, String> env) {
    this.env = env;
    this.proxies = proxies(env);
  }

  /** urllib's {@code getproxies_environment}: {@code <scheme>_proxy} variables, lower case overriding upper. */
  private static Map<String, String> proxies(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    for (boolean lower : new boolean[] {false, true}) {
      for (Map.Entry<String, String> e : env.entrySet()) {
        String name = e.getKey();
        boolean isLower = name.equals(name.toLowerCase(Locale.ROOT));
        String n = name.toLowerCase(Locale.ROOT);
        if (isLower == lower && n.endsWith("_proxy") && e.getValue() != null && !e.getValue().isEmpty()) {
          out.put(n.substring(0, n.length() - "_proxy".length()), e.getValue());
        }
      }
      if (!lower && env.containsKey("REQUEST_METHOD")) {
        out.remove("http"); // CGI: HTTP_PROXY may come from the client's Proxy header (httpoxy)
      }
    }
    return out;
  }

  /** The proxy for a request to {@code target}, or null to connect directly. */
  Proxy proxyFor(URI target) {
    String host = target.getHost();
    if (host == null || bypass(host)) {
      return null;
    }
    String value = proxies.get(target.getScheme().toLowerCase(Locale.ROOT));
    if (value == null) {
      return null;
    }
    URI p = URI.create(value.contains("://") ? value : "http://" + value);
    if (!"http".equalsIgnoreCase(p.getScheme()) || p.getHost() == null) {
      return null; // aiohttp: "HTTPS proxies ... are not supported, ignoring"
    }
    int port = p.getPort() > 0 ? p.getPort() : 80;
    String info = p.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      return new Proxy(p.getHost(), port, decode(colon < 0 ? info : info.substring(0, colon)),
          colon < 0 ? "" : decode(info.substring(colon + 1)));
    }
    String[] netrc = netrc(p.getHost());
    return new Proxy(p.getHost(), port, netrc == null ? null : netrc[0], netrc == null ? null : netrc[1]);
  }

  /** urllib's {@code proxy_bypass_environment}: {@code *}, or a host equal to an entry or under it as a domain. */
  boolean bypass(String host) {
    String noProxy = proxies.get("no");
    if (noProxy == null) {
      return false;
    }
    if (noProxy.strip().equals("*")) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : noProxy.split(",")) {
      String name = entry.strip().replaceFirst("^\\.+", "").toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && (h.equals(name) || h.endsWith("." + name))) {
        return true;
      }
    }
    return false;
  }

  /**
   * {user, password} for a host from the netrc file ({@code $NETRC}, else {@code ~/.netrc}), its {@code default}
   * entry when no {@code machine} matches; null when there is none or the file is missing or unreadable.
   */
  String[] netrc(String host) {
    String file = env.get("NETRC");
    Path path = file != null ? Path.of(file)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".netrc");
    if (!Files.isRegularFile(path)) {
      return null;
    }
    List<String> tokens;
    try {
      tokens = tokens(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
    String[] found = null;
    String[] fallback = null;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (!t.equals("machine") && !t.equals("default")) {
        continue;
      }
      String machine = t.equals("machine") && i + 1 < tokens.size() ? tokens.get(++i) : null;
      String login = "";
      String account = "";
      String password = "";
      while (i + 1 < tokens.size() && !List.of("machine", "default", "macdef").contains(tokens.get(i + 1))) {
        String key = tokens.get(++i);
        String value = i + 1 < tokens.size() ? tokens.get(++i) : "";
        switch (key) {
          case "login" -> login = value;
          case "account" -> account = value;
          case "password" -> password = value;
          default -> { }
        }
      }
      String[] entry = {login.isEmpty() ? account : login, password};
      if (machine == null) {
        fallback = fallback == null ? entry : fallback;
      } else if (machine.equals(host) && found == null) {
        found = entry;
      }
    }
    return found != null ? found : fallback;
  }

  /** The whitespace-separated tokens of a netrc file, quotes and backslashes as Python's netrc reads them. */
  private static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        // a comment, to the end of the line
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (text.startsWith("macdef", i) && (i + 6 == n || Character.isWhitespace(text.charAt(i + 6)))) {
        // a macro runs to the next empty line
        int end = text.indexOf("\n\n", i);
        out.add("macdef");
        i = end < 0 ? n : end + 2;
      } else {
        StringBuilder sb = new StringBuilder();
        boolean quoted = c == '"';
        if (quoted) {
          i++;
        }
        while (i < n) {
          char d = text.charAt(i);
          if (quoted ? d == '"' : Character.isWhitespace(d)) {
            break;
          }
          if (d == '\\' && i + 1 < n) {
            d = text.charAt(++i);
          }
          sb.append(d);
          i++;
        }
        if (quoted) {
          i++;
        }
        out.add(sb.toString());
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
