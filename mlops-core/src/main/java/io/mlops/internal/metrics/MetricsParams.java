package io.mlops.internal.metrics;

import io.mlops.api.EngineLog;
import io.mlops.internal.rev.RevisionFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * {@code dvc metrics show} (the workspace). A broken dvc.yaml is a warning worded as DVC's (the revision is
   * called {@code ''} there, as DVC calls it) and an empty table, as in DVC.
   */
  public static Result showMetrics(RevisionFiles files, Options opts) {
    Loaded l = load(files, RevisionFiles.WORKSPACE, "", true, opts);
    warnErrors(files.repo().log(), "metrics", Map.of("workspace", l.files()));
    return new Result(Compare.showTable(l.files(), opts.metricsPrecision()), List.of(), l.files(),
        l.error() == null ? Compare.showJson(l.files()) : Compare.showErrorJson(l.error()));
  }

  /**
   * {@code dvc metrics diff aRev bRev}. A revision whose dvc.yaml is broken is a warning worded as DVC's and has no
   * values (its side of the table shows {@code -}), as in DVC.
   */
  public static Result diffMetrics(RevisionFiles files, String aRev, String bRev, Options opts) {
    Map<String, Map<String, FileResult>> byRev = loadBoth(files, aRev, bRev, true, opts);
    Map<String, FileResult> a = byRev.get(aRev);
    Map<String, FileResult> b = byRev.get(bRev);
    warnErrors(files.repo().log(), "metrics", revs(aRev, a, bRev, b));
    List<DiffRow> rows = Compare.diff(a, b, opts.all());
    Table t = Compare.diffTable(rows, "Metric", aRev, bRev, opts.noPath(), true, opts.metricsPrecision());
    return new Result(t, rows, b, Compare.diffJson(rows));
  }

  /**
   * Params of the workspace in {@code metrics show}'s layout (DVC has no {@code params show}); no rounding. A
   * broken dvc.yaml is handled as in {@link #showMetrics}.
   */
  public static Result showParams(RevisionFiles files, Options opts) {
    Loaded l = load(files, RevisionFiles.WORKSPACE, "", false, opts);
    warnErrors(files.repo().log(), "params", Map.of("workspace", l.files()));
    return new Result(Compare.showTable(l.files(), null), List.of(), l.files(),
        l.error() == null ? Compare.showJson(l.files()) : Compare.showErrorJson(l.error()));
  }

  /** {@code dvc params diff aRev bRev}; a broken dvc.yaml is handled as in {@link #diffMetrics}. */
  public static Result diffParams(RevisionFiles files, String aRev, String bRev, Options opts) {
    Map<String, Map<String, FileResult>> byRev = loadBoth(files, aRev, bRev, false, opts);
    Map<String, FileResult> a = byRev.get(aRev);
    Map<String, FileResult> b = byRev.get(bRev);
    warnErrors(files.repo().log(), "params", revs(aRev, a, bRev, b));
    List<DiffRow> rows = Compare.diff(a, b, opts.all());
    Table t = Compare.diffTable(rows, "Param", aRev, bRev, opts.noPath(), false, null);
    return new Result(t, rows, b, Compare.diffJson(rows));
  }

  /** One revision's files, or (with no files) why its pipeline could not be loaded. */
  private record Loaded(Map<String, FileResult> files, FileResult error) {}

  /**
   * DVC's {@code repo.metrics.show}/{@code repo.params.show} for one revision: when collecting fails (a dvc.yaml
   * that does not parse or validate), {@code WARNING: failed to load metrics in revision 'REV', MSG} and an
   * error for the whole revision instead of a failure. Our detailed message (file, line, fix) follows DVC's.
   *
   * @param label the revision as DVC names it in the warning
   */
  private static Loaded load(RevisionFiles files, String rev, String label, boolean metrics, Options opts) {
    RevisionFiles.PipelineError err = files.pipelineError(rev);
    if (err != null) {
      files.repo().log().warn("failed to load " + (metrics ? "metrics" : "params") + " in revision '" + label
          + "', " + err.message() + "\n  " + err.detail().getMessage().replace("\n", "\n  "));
      return new Loaded(new LinkedHashMap<>(), FileResult.error(err.type(), err.message()));
    }
    return new Loaded(metrics ? Collector.metrics(files, rev) : Collector.params(files, rev, opts.depsOnly()), null);
  }

  /** Both revisions of a diff, loaded (and warned about) in DVC's brancher order: the workspace first. */
  private static Map<String, Map<String, FileResult>> loadBoth(
      RevisionFiles files, String aRev, String bRev, boolean metrics, Options opts) {
    files.resolve(aRev); // an unknown revision fails before anything is loaded, as in DVC
    files.resolve(bRev);
    List<String> order = new ArrayList<>();
    if (RevisionFiles.WORKSPACE.equals(bRev) || RevisionFiles.WORKSPACE.equals(aRev)) {
      order.add(RevisionFiles.WORKSPACE);
    }
    for (String r : List.of(aRev, bRev)) {
      if (!order.contains(r)) {
        order.add(r);
      }
    }
    Map<String, Map<String, FileResult>> out = new LinkedHashMap<>();
    for (String r : order) {
      out.put(r, load(files, r, r, metrics, opts).files());
    }
    return out;
  }

  private static Map<String, Map<String, FileResult>> revs(
      String aRev, Map<String, FileResult> a, String bRev, Map<String, FileResult> b) {
    Map<String, Map<String, FileResult>> m = new LinkedHashMap<>();
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
