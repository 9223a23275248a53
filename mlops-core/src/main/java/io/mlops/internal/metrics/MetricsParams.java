package io.mlops.internal.metrics;

import io.mlops.api.EngineLog;
import io.mlops.internal.rev.RevisionFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dvc metrics show}, {@code dvc metrics diff} and {@code dvc params diff} (plus a params show in the
 * layout of {@code metrics show}) as data and as DVC's exact output. The results keep the rows and per-file values
 * so that a report can combine them.
 */
public final class MetricsParams {
  /** Output formats: tabulate's plain layout, GitHub Markdown ({@code --md}), or {@code --json}. */
  public enum Format {
    PLAIN,
    MD,
    JSON
  }

  /**
   * Options shared by the commands.
   *
   * @param all also list unchanged values ({@code --all})
   * @param noPath drop the Path column ({@code --no-path})
   * @param precision digits floats are rounded to for metrics; null for DVC's default (5)
   * @param depsOnly params: only files stages depend on ({@code --deps})
   */
  public record Options(boolean all, boolean noPath, Integer precision, boolean depsOnly) {
    public static Options defaults() {
      return new Options(false, false, null, false);
    }

    /** DVC's {@code precision or DEFAULT_PRECISION}: 0 and unset both mean 5. */
    int metricsPrecision() {
      return precision == null || precision == 0 ? Compare.DEFAULT_PRECISION : precision;
    }
  }

  /**
   * The outcome of one command.
   *
   * @param table the table DVC would print
   * @param rows the diff rows (empty for show)
   * @param results show: file → values at the revision; diff: the new revision's values
   * @param json DVC's {@code --json} text (without the trailing newline)
   */
  public record Result(Table table, List<DiffRow> rows, Map<String, FileResult> results, String json) {
    /** Exactly what DVC prints to standard output in the given format. */
    public String output(Format format) {
      return switch (format) {
        case PLAIN -> table.dvcOutput(false);
        case MD -> table.dvcOutput(true);
        case JSON -> json + "\n";
      };
    }
  }

  private MetricsParams() {}

  /** {@code dvc metrics show} (the workspace). */
  public static Result showMetrics(RevisionFiles files, Options opts) {
    Map<String, FileResult> res = Collector.metrics(files, RevisionFiles.WORKSPACE);
    warnErrors(files.repo().log(), "metrics", Map.of("workspace", res));
    return new Result(Compare.showTable(res, opts.metricsPrecision()), List.of(), res, Compare.showJson(res));
  }

  /** {@code dvc metrics diff aRev bRev}. */
  public static Result diffMetrics(RevisionFiles files, String aRev, String bRev, Options opts) {
    Map<String, FileResult> a = Collector.metrics(files, aRev);
    Map<String, FileResult> b = Collector.metrics(files, bRev);
    warnErrors(files.repo().log(), "metrics", revs(aRev, a, bRev, b));
    List<DiffRow> rows = Compare.diff(a, b, opts.all());
    Table t = Compare.diffTable(rows, "Metric", aRev, bRev, opts.noPath(), true, opts.metricsPrecision());
    return new Result(t, rows, b, Compare.diffJson(rows));
  }

  /** Params of the workspace in {@code metrics show}'s layout (DVC has no {@code params show}); no rounding. */
  public static Result showParams(RevisionFiles files, Options opts) {
    Map<String, FileResult> res = Collector.params(files, RevisionFiles.WORKSPACE, opts.depsOnly());
    warnErrors(files.repo().log(), "params", Map.of("workspace", res));
    return new Result(Compare.showTable(res, null), List.of(), res, Compare.showJson(res));
  }

  /** {@code dvc params diff aRev bRev}. */
  public static Result diffParams(RevisionFiles files, String aRev, String bRev, Options opts) {
    Map<String, FileResult> a = Collector.params(files, aRev, opts.depsOnly());
    Map<String, FileResult> b = Collector.params(files, bRev, opts.depsOnly());
    warnErrors(files.repo().log(), "params", revs(aRev, a, bRev, b));
    List<DiffRow> rows = Compare.diff(a, b, opts.all());
    Table t = Compare.diffTable(rows, "Param", aRev, bRev, opts.noPath(), false, null);
    return new Result(t, rows, b, Compare.diffJson(rows));
  }

  private static Map<String, Map<String, FileResult>> revs(
      String aRev, Map<String, FileResult> a, String bRev, Map<String, FileResult> b) {
    Map<String, Map<String, FileResult>> m = new java.util.LinkedHashMap<>();
    m.put(aRev, a);
    m.put(bRev, b);
    return m;
  }

  private static void warnErrors(EngineLog log, String what, Map<String, Map<String, FileResult>> byRev) {
    for (Map.Entry<String, Map<String, FileResult>> rev : byRev.entrySet()) {
      List<String> errors = new ArrayList<>();
      rev.getValue().forEach((path, r) -> {
        if (r.isError()) {
          errors.add(path + ": " + r.errorMessage());
        }
      });
      if (!errors.isEmpty()) {
        log.warn("failed to load some " + what + " at revision '" + rev.getKey() + "':\n  "
            + String.join("\n  ", errors));
      }
    }
  }
}
