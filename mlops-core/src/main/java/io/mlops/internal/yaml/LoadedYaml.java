package io.mlops.internal.yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A YAML document loaded into plain Java values (see {@link YamlLoader}) together with the source lines of its
 * maps, lists, map keys and list items.
 */
public final class LoadedYaml {
  private final Object root;
  private final Path file;
  private final SourceLines lines;

  LoadedYaml(Object root, Path file, SourceLines lines) {
    this.root = root;
    this.file = file;
    this.lines = lines;
  }

  /** The document: a {@code LinkedHashMap<String,Object>}, {@code ArrayList<Object>}, scalar, or null if empty. */
  public Object root() {
    return root;
  }

  /** The file name used in error messages (may be null). */
  public Path file() {
    return file;
  }

  /** 1-based line where a map or list of this document starts, or 0 if it is not one of this document's. */
  public int line(Object container) {
    return lines.line(container);
  }

  /** 1-based line of {@code key} in {@code map} (the map's line if the key is unknown), or 0. */
  public int line(Map<?, ?> map, String key) {
    return lines.line(map, key);
  }

  /** 1-based line of item {@code index} of {@code list} (the list's line if unknown), or 0. */
  public int line(List<?> list, int index) {
    return lines.line(list, index);
  }

  /** The side table itself. */
  public SourceLines lines() {
    return lines;
  }
}
