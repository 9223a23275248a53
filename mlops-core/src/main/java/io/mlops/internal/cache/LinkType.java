package io.mlops.internal.cache;

import io.mlops.api.MlopsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How cached objects are placed in the workspace ({@code cache.type}). */
public enum LinkType {
  REFLINK,
  HARDLINK,
  SYMLINK,
  COPY;

  /** DVC's default for local caches. */
  public static final List<LinkType> DEFAULT = List.of(REFLINK, COPY);

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@code cache.type} value such as {@code "hardlink,symlink"}. */
  public static List<LinkType> parseList(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    List<LinkType> out = new ArrayList<>();
    for (String part : value.replace("\"", "").split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      try {
        out.add(LinkType.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new MlopsException(
            "unknown cache.type '" + p + "'",
            null,
            0,
            "use a comma-separated list of reflink, hardlink, symlink, copy in .dvc/config");
      }
    }
    return out.isEmpty() ? DEFAULT : List.copyOf(out);
  }
}
