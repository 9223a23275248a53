package io.mlops.internal.ignore;

import java.util.regex.Pattern;

/** One gitignore-style (gitwildmatch) pattern, as used by {@code .dvcignore} and {@code .gitignore}. */
final class IgnorePattern {
  final boolean negate;
  final boolean dirOnly;
  private final Pattern regex;

  private IgnorePattern(boolean negate, boolean dirOnly, Pattern regex) {
    this.negate = negate;
    this.dirOnly = dirOnly;
    this.regex = regex;
  }

  /** Parses one line; returns null for blank lines and comments. */
  static IgnorePattern parse(String line) {
    String p = line;
    // trailing unescaped spaces are ignored
    while (p.endsWith(" ") && !p.endsWith("\\ ")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || p.startsWith("#")) {
      return null;
    }
    boolean negate = false;
    if (p.startsWith("!")) {
      negate = true;
      p = p.substring(1);
    } else if (p.startsWith("\\!") || p.startsWith("\\#")) {
      p = p.substring(1);
    }
    boolean dirOnly = false;
    if (p.endsWith("/")) {
      dirOnly = true;
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return null;
    }
    boolean anchored = p.contains("/");
    if (p.startsWith("/")) {
      p = p.substring(1);
    }
    StringBuilder re = new StringBuilder();
    if (!anchored) {
      re.append("(?:.*/)?");
    }
    re.append(translate(p));
    try {
      return new IgnorePattern(negate, dirOnly, Pattern.compile(re.toString(), Pattern.DOTALL));
    } catch (java.util.regex.PatternSyntaxException e) {
      // e.g. a reversed range [z-a]
      throw new IllegalArgumentException("invalid pattern '" + line + "': " + e.getDescription(), e);
    }
  }

  /** True when the relative path ('/' separators, relative to the ignore file's directory) matches. */
  boolean matches(String relPath, boolean isDir) {
    if (dirOnly && !isDir) {
      return false;
    }
    return regex.matcher(relPath).matches();
  }

  private static String translate(String p) {
    StringBuilder re = new StringBuilder();
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c == '*') {
        int run = 1;
        while (i + run < n && p.charAt(i + run) == '*') {
          run++;
        }
        boolean atStart = i == 0 || p.charAt(i - 1) == '/';
        boolean atEnd = i + run == n;
        boolean beforeSlash = i + run < n && p.charAt(i + run) == '/';
        if (run == 2 && atStart && beforeSlash) {
          re.append("(?:.*/)?");
          i += 2;
          continue;
        }
        if (run == 2 && atStart && atEnd) {
          re.append(".*");
          i += 1;
          continue;
        }
        // any other run of stars is one '*' (pathspec: each is [^/]*): one [^/]*, not a run of them, which would
        // backtrack exponentially on a name that does not match (a fuzz input of 85 stars took minutes)
        re.append("[^/]*");
        i += run - 1;
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        // the first character of a set (after a '!') may be ']' itself
        int first = i + 1 < n && p.charAt(i + 1) == '!' ? i + 2 : i + 1;
        int j = p.indexOf(']', first + 1);
        if (j < 0) {
          re.append("\\[");
        } else {
          String cls = p.substring(i + 1, j);
          re.append('[');
          int from = 0;
          if (cls.startsWith("!")) {
            re.append('^');
            from = 1;
          }
          for (int k = from; k < cls.length(); k++) {
            char ch = cls.charAt(k);
            if (k + 2 < cls.length() && cls.charAt(k + 1) == '-' && cls.charAt(k + 2) < ch) {
              // refused here rather than by the regex compiler: DVC (Python's re) refuses it too
              throw new IllegalArgumentException("invalid pattern '" + p + "': the range " + cls.substring(k, k + 3)
                  + " is reversed");
            }
            // Java reads these specially inside a class (nested classes, intersections, escapes, negation)
            if (ch == '[' || ch == ']' || ch == '&' || ch == '\\' || ch == '^') {
              re.append('\\');
            }
            re.append(ch);
          }
          re.append(']');
          i = j;
        }
      } else if (c == '\\' && i + 1 < n) {
        re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    // a pattern matching a directory also covers everything inside it
    re.append("(?:/.*)?");
    return re.toString();
  }
}
