package io.mlops.cli;

import io.mlops.api.Mlops;
import java.util.ArrayList;
import java.util.List;

/**
 * One command: its name ({@code repro}, {@code params diff}), what {@code --help} says, its options and what it
 * does with one open repository.
 *
 * @param name the words after {@code mlops}
 * @param summary the first line of {@code --help}
 * @param positional the positional arguments' name ({@code targets}, {@code a_rev}), or null
 * @param many whether several positionals are accepted ({@code targets ...}) or at most one
 * @param positionalHelp their line in {@code --help}
 * @param options the command's own options (the common ones are added by {@link Main})
 * @param action what it does
 */
record Command(String name, String summary, String positional, boolean many, String positionalHelp,
    List<Args.Opt> options, Action action) {

  /** The work of a command; returns the exit code. */
  interface Action {
    int run(Invocation call);
  }

  /** Options every command has, as in DVC. */
  static final List<Args.Opt> COMMON = List.of(
      Args.Opt.flag("-h", "--help", "show this help message and exit"),
      Args.Opt.flag("-q", "--quiet", "Be quiet."),
      Args.Opt.flag("-v", "--verbose", "Be verbose."));

  List<Args.Opt> allOptions() {
    List<Args.Opt> all = new ArrayList<>(COMMON);
    all.addAll(options);
    return all;
  }

  /** argparse's usage line: {@code usage: mlops repro [-h] [-q] [-v] [-f] [targets ...]}. */
  String usage() {
    StringBuilder sb = new StringBuilder("usage: mlops ").append(name);
    String indent = " ".repeat(sb.length() + 1);
    int width = sb.length();
    List<String> parts = new ArrayList<>();
    for (Args.Opt o : allOptions()) {
      String n = o.shortName() != null ? o.shortName() : o.longName();
      parts.add("[" + n + (o.takesValue() ? " " + o.metavar() : "") + "]");
    }
    if (positional != null) {
      parts.add(many ? "[" + positional + " ...]" : "[" + positional + "]");
    }
    for (String p : parts) {
      if (width + 1 + p.length() > 79) {
        sb.append('\n').append(indent, 0, indent.length() - 1);
        width = indent.length() - 1;
      }
      sb.append(' ').append(p);
      width += 1 + p.length();
    }
    return sb.toString();
  }

  /** The whole {@code --help} text. */
  String help() {
    StringBuilder sb = new StringBuilder(usage()).append("\n\n").append(summary).append("\n");
    if (positional != null) {
      sb.append("\npositional arguments:\n");
      row(sb, positional, positionalHelp);
    }
    sb.append("\noptions:\n");
    for (Args.Opt o : allOptions()) {
      row(sb, o.names(), o.help());
    }
    return sb.toString();
  }

  static void row(StringBuilder sb, String names, String help) {
    String left = "  " + names;
    if (left.length() <= 22) {
      sb.append(String.format("%-24s%s%n", left, help));
    } else {
      sb.append(left).append('\n').append(" ".repeat(24)).append(help).append('\n');
    }
  }

  /** One run of a command: its parsed arguments, the log, and the repository it opens. */
  interface Invocation {
    Args args();

    ConsoleLog log();

    /** The working directory (or {@code --cd}'s). */
    java.nio.file.Path cwd();

    /** Opens the repository found from the working directory (or {@code --cd}), with the common options. */
    Mlops open();

    /** The positionals as targets, rewritten relative to the repository root when the command runs below it. */
    List<String> targets();
  }
}
