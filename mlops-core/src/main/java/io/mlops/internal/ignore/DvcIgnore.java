package io.mlops.internal.ignore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DVC's ignore rules: the built-in {@code .git}, {@code .hg} and {@code .dvc} directories at any depth, plus
 * the gitwildmatch patterns of every {@code .dvcignore} file from the repository root down.
 */
public final class DvcIgnore {
  public static final String FILE_NAME = ".dvcignore";

  private static final List<IgnorePattern> BUILT_IN =
      List.of(IgnorePattern.parse(".git"), IgnorePattern.parse(".hg/"), IgnorePattern.parse(".dvc/"));

  private final Path root;
  private final String fileName;
  private final List<IgnorePattern> builtIn;
  private final Map<String, List<IgnorePattern>> byDir = new ConcurrentHashMap<>();

  public DvcIgnore(Path root) {
    this(root, FILE_NAME, BUILT_IN);
  }

  private DvcIgnore(Path root, String fileName, List<IgnorePattern> builtIn) {
    this.root = root.toAbsolutePath().normalize();
    this.fileName = fileName;
    this.builtIn = builtIn;
  }

  /** The rules of the {@code .gitignore} files under a root (used to find pipeline files like DVC). */
  public static DvcIgnore gitignore(Path root) {
    return new DvcIgnore(root, ".gitignore", List.of(IgnorePattern.parse(".git/")));
  }

  /**
   * True if the path (relative to the repository root, '/' separators) is ignored. Parent directories are
   * checked too, so anything inside an ignored directory is ignored.
   */
  public boolean isIgnored(String relPath, boolean isDir) {
    if (relPath.isEmpty() || ".".equals(relPath)) {
      return false;
    }
    String[] parts = relPath.split("/");
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(parts[i]);
      boolean last = i == parts.length - 1;
      if (matchOne(prefix.toString(), last ? isDir : true)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a path is ignored when its parent directories are known not to be (a walk that skipped ignored
   * directories): the rules are matched against the path itself only, not against each of its prefixes.
   */
  public boolean isIgnoredInWalk(String relPath, boolean isDir) {
    if (relPath.isEmpty() || ".".equals(relPath)) {
      return false;
    }
    return matchOne(relPath, isDir);
  }

  /**
   * The rules for the entries of one directory met in a walk (its parents known not to be ignored), resolved once:
   * the {@code .dvcignore} files from the root down to it, and whether any rule can match at all.
   *
   * @param relDir the directory relative to the repository root, '/' separators, "" for the root
   */
  public WalkRules walkRules(String relDir) {
    List<Level> levels = new ArrayList<>();
    String dir = relDir.equals(".") ? "" : relDir;
    int slash = -1;
    String level = "";
    while (true) {
      List<IgnorePattern> ps = patterns(level);
      if (!ps.isEmpty()) {
        levels.add(new Level(level.isEmpty() ? 0 : level.length() + 1, ps));
      }
      if (level.length() == dir.length()) {
        break;
      }
      slash = dir.indexOf('/', slash + 1);
      level = slash < 0 ? dir : dir.substring(0, slash);
    }
    return new WalkRules(List.copyOf(levels));
  }

  private record Level(int strip, List<IgnorePattern> patterns) {}

  /** {@link #walkRules}: the ignore rules of the entries of one directory. */
  public final class WalkRules {
    private final List<Level> levels;

    private WalkRules(List<Level> levels) {
      this.levels = levels;
    }

    /**
     * {@link #isIgnoredInWalk} for an entry of this directory.
     *
     * @param relPath the entry relative to the repository root
     * @param name its last component
     */
    public boolean isIgnored(String relPath, String name, boolean isDir) {
      // the built-in names (.git, .hg, .dvc) all start with a dot: other names cannot match them
      if (!name.isEmpty() && name.charAt(0) == '.') {
        for (IgnorePattern p : builtIn) {
          if (p.matches(relPath, isDir)) {
            return true;
          }
        }
      }
      boolean ignored = false;
      for (Level l : levels) {
        String rest = l.strip() == 0 ? relPath : relPath.substring(l.strip());
        for (IgnorePattern p : l.patterns()) {
          if (p.matches(rest, isDir)) {
            ignored = !p.negate;
          }
        }
      }
      return ignored;
    }
  }

  /** Checks a single path against the rules, without looking at its parents. */
  private boolean matchOne(String relPath, boolean isDir) {
    for (IgnorePattern p : builtIn) {
      if (p.matches(relPath, isDir)) {
        return true;
      }
    }
    boolean ignored = false;
    // .dvcignore files from the root down to the path's parent directory; deeper files win
    int slash = -1;
    String dir = "";
    while (true) {
      String rest = dir.isEmpty() ? relPath : relPath.substring(dir.length() + 1);
      for (IgnorePattern p : patterns(dir)) {
        if (p.matches(rest, isDir)) {
          ignored = !p.negate;
        }
      }
      slash = relPath.indexOf('/', slash + 1);
      if (slash < 0) {
        break;
      }
      dir = relPath.substring(0, slash);
    }
    return ignored;
  }

  private List<IgnorePattern> patterns(String dir) {
    return byDir.computeIfAbsent(dir, this::load);
  }

  private List<IgnorePattern> load(String dir) {
    Path file = (dir.isEmpty() ? root : root.resolve(dir)).resolve(fileName);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<IgnorePattern> list = new ArrayList<>();
    try {
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        IgnorePattern p;
        try {
          p = IgnorePattern.parse(line);
        } catch (IllegalArgumentException e) {
          if (!FILE_NAME.equals(fileName)) {
            continue; // git matches nothing with a pattern it cannot read; neither do we
          }
          // DVC stops on it too (Python's re refuses the pattern)
          throw new io.mlops.api.MlopsException(e.getMessage(), file, number,
              "fix or remove the pattern (a range is written low-high, e.g. [a-z]; escape a literal [ as \\[)");
        }
        if (p != null) {
          list.add(p);
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new io.mlops.api.MlopsException("is not valid UTF-8", file, 0, "save the file with UTF-8 encoding");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return List.copyOf(list);
  }
}
