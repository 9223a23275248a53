package io.mlops.examples.digits.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line arguments of a stage: {@code --name value} options and positional paths. */
public final class Args {
  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final String usage;

  private Args(String usage) {
    this.usage = usage;
  }

  /** Parses {@code args}; {@code usage} is printed with any error. */
  public static Args parse(String[] args, String usage) {
    Args a = new Args(usage);
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw a.error("option " + args[i] + " needs a value");
        }
        a.options.put(args[i].substring(2), args[++i]);
      } else {
        a.positional.add(args[i]);
      }
    }
    return a;
  }

  public String path(int index) {
    if (index >= positional.size()) {
      throw error("missing argument " + (index + 1));
    }
    return positional.get(index);
  }

  public long longValue(String name) {
    try {
      return Long.parseLong(required(name));
    } catch (NumberFormatException e) {
      throw error("--" + name + " must be an integer, got " + options.get(name));
    }
  }

  public int intValue(String name) {
    long v = longValue(name);
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw error("--" + name + " must be a positive integer, got " + v);
    }
    return (int) v;
  }

  public double doubleValue(String name) {
    try {
      return Double.parseDouble(required(name));
    } catch (NumberFormatException e) {
      throw error("--" + name + " must be a number, got " + options.get(name));
    }
  }

  private String required(String name) {
    String v = options.get(name);
    if (v == null) {
      throw error("missing option --" + name);
    }
    return v;
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + "\nusage: " + usage);
  }
}
