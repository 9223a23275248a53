package io.mlops.internal;

/**
 * How messages name the commands and options that fix a problem, in the words of the front end that runs the
 * engine: {@code `mvn mlops:pull`} and {@code -Dmlops.allowMissing=true} in Maven, {@code `mlops pull`} and
 * {@code --allow-missing} on the command line.
 */
public enum Hints {
  MAVEN,
  CLI;

  /** A command, quoted: {@code `mvn mlops:pull`} or {@code `mlops pull`}. */
  public String command(String name) {
    return this == MAVEN ? "`mvn mlops:" + name + "`" : "`mlops " + name + "`";
  }

  /**
   * An option set to true: {@code -Dmlops.<property>=true} or the CLI's {@code --flag}.
   *
   * @param property the Maven property after {@code mlops.} ({@code allowMissing}, {@code pull.force})
   * @param flag the CLI flag ({@code --allow-missing}, {@code --force})
   */
  public String flag(String property, String flag) {
    return this == MAVEN ? "-Dmlops." + property + "=true" : flag;
  }

  /** An option with a value: {@code -Dmlops.remote=<name>} or {@code -r <name>}. */
  public String option(String property, String flag, String value) {
    return this == MAVEN ? "-Dmlops." + property + "=" + value : flag + " " + value;
  }

  public static Hints of(io.mlops.api.MlopsOptions.FrontEnd frontEnd) {
    return frontEnd == io.mlops.api.MlopsOptions.FrontEnd.CLI ? CLI : MAVEN;
  }
}
