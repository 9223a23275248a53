package io.mlops.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's options, parsed as Python's argparse parses DVC's: {@code -f}, {@code --force}, {@code -j 8},
 * {@code -j8}, {@code --jobs 8}, {@code --jobs=8}, combined flags ({@code -fs}), {@code --} before positionals.
 */
final class Args {
  /**
   * One option.
   *
   * @param shortName {@code -f}, or null
   * @param longName {@code --force}
   * @param metavar the value's name ({@code <number>}), or null for a flag
   * @param help one line for {@code --help}
   */
  record Opt(String shortName, String longName, String metavar, String help) {
    static Opt flag(String shortName, String longName, String help) {
      return new Opt(shortName, longName, null, help);
    }

    static Opt value(String shortName, String longName, String metavar, String help) {
      return new Opt(shortName, longName, metavar, help);
    }

    boolean takesValue() {
      return metavar != null;
    }

    String key() {
      return longName.substring(2);
    }

    String names() {
      String value = takesValue() ? " " + metavar : "";
      return (shortName == null ? "" : shortName + value + ", ") + longName + value;
    }
  }

  /** A bad command line: argparse's message; exit code 254, as in DVC. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();

  private Args() {}

  static Args parse(List<Opt> opts, List<String> argv) {
    Args a = new Args();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.equals("--")) {
        a.positionals.addAll(argv.subList(i + 1, argv.size()));
        break;
      }
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        String name = eq > 0 ? arg.substring(0, eq) : arg;
        Opt o = opts.stream().filter(x -> x.longName().equals(name)).findFirst().orElse(null);
        if (o == null) {
          unknown.add(arg);
        } else if (o.takesValue()) {
          if (eq > 0) {
            a.values.put(o.key(), arg.substring(eq + 1));
          } else if (i + 1 < argv.size()) {
            a.values.put(o.key(), argv.get(++i));
          } else {
            throw new UsageException("argument " + o.longName() + ": expected one argument");
          }
        } else if (eq > 0) {
          throw new UsageException(
              "argument " + o.longName() + ": ignored explicit argument '" + arg.substring(eq + 1) + "'");
        } else {
          a.values.put(o.key(), "true");
        }
      } else if (arg.startsWith("-") && arg.length() > 1) {
        for (int c = 1; c < arg.length(); c++) {
          String s = "-" + arg.charAt(c);
          Opt o = opts.stream().filter(x -> s.equals(x.shortName())).findFirst().orElse(null);
          if (o == null) {
            unknown.add(c == 1 ? arg : s);
            break;
          }
          if (o.takesValue()) {
            if (c + 1 < arg.length()) {
              a.values.put(o.key(), arg.substring(c + 1));
            } else if (i + 1 < argv.size()) {
              a.values.put(o.key(), argv.get(++i));
            } else {
              throw new UsageException("argument " + o.shortName() + "/" + o.longName() + ": expected one argument");
            }
            break;
          }
          a.values.put(o.key(), "true");
        }
      } else {
        a.positionals.add(arg);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UsageException("unrecognized arguments: " + String.join(" ", unknown));
    }
    return a;
  }

  boolean flag(String key) {
    return values.containsKey(key);
  }

  String value(String key) {
    return values.get(key);
  }

  /** A whole-number option, or null when absent. */
  Integer integer(String key) {
    String v = values.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("argument --" + key + ": invalid int value: '" + v + "'");
    }
  }

  List<String> positionals() {
    return positionals;
  }
}
