package io.mlops.internal.report;

import io.mlops.internal.Repo;
import io.mlops.internal.metrics.Compare;
import io.mlops.internal.metrics.FileResult;
import io.mlops.internal.metrics.MetricsParams;
import io.mlops.internal.plots.PlotData;
import io.mlops.internal.plots.PlotsRenderer;
import io.mlops.internal.plots.WorkspacePlotData;
import io.mlops.internal.repro.Index;
import io.mlops.internal.rev.RevisionFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One experiment change, workspace against a baseline Git revision, as a pull-request check reports it with CML
 * ({@code dvc params diff <rev> --md}, {@code dvc metrics diff <rev> --md}, {@code dvc plots diff <rev>}), but
 * built here and written to local files only ({@link ReportWriter}).
 *
 * @param root the repository root
 * @param output the report directory ({@code report.md}, {@code report.json}, {@code plots/})
 * @param baseline the revision compared with
 * @param workspace the working tree
 * @param params {@code dvc params diff <baseline>}
 * @param metrics {@code dvc metrics diff <baseline>}
 * @param workspaceMetrics {@code dvc metrics show} of the workspace
 * @param plots the plots rendered into {@code <output>/plots/}, workspace and baseline in one chart
 * @param sections further sections (for example quality gates) appended after the plots
 */
public record Report(
    Path root,
    Path output,
    Revision baseline,
    Revision workspace,
    MetricsParams.Result params,
    MetricsParams.Result metrics,
    MetricsParams.Result workspaceMetrics,
    List<PlotsRenderer.Rendered> plots,
    List<Section> sections) {
  /** Where the report goes when no directory is given, relative to the repository root. */
  public static final String DEFAULT_OUTPUT = "target/mlops/report";

  /** The subdirectory of the report directory holding the images. */
  public static final String PLOTS_DIR = "plots";

  /** The baseline when none is given. */
  public static final String DEFAULT_BASELINE = "HEAD";

  public Report {
    plots = List.copyOf(plots);
    sections = List.copyOf(sections);
  }

  /**
   * A revision as the user named it and the commit it resolved to.
   *
   * @param name {@code HEAD}, {@code main}, a sha… or {@link RevisionFiles#WORKSPACE}
   * @param commit the full sha, or {@link RevisionFiles#WORKSPACE} for the working tree
   */
  public record Revision(String name, String commit) {
    public boolean isWorkspace() {
      return RevisionFiles.WORKSPACE.equals(commit);
    }

    /** The abbreviated sha (7 digits, Git's default), or null for the workspace. */
    public String shortSha() {
      return isWorkspace() ? null : commit.substring(0, Math.min(7, commit.length()));
    }

    /** {@code HEAD (1a2b3c4)}, or {@code workspace}. */
    public String label() {
      return isWorkspace() ? name : name + " (" + shortSha() + ")";
    }
  }

  /**
   * An extra section: a hook for results other goals compute (e.g. metric thresholds), so that they can appear in
   * the same report without the report depending on them.
   *
   * @param title the heading
   * @param markdown the body (GitHub Markdown, ending with a newline)
   * @param json the same content for {@code report.json} (maps, lists, strings, numbers, booleans, null)
   */
  public record Section(String title, String markdown, Object json) {}

  /**
   * How to build the report.
   *
   * @param output the report directory, relative to the repository root unless absolute; null for
   *     {@link #DEFAULT_OUTPUT}
   * @param all also list unchanged params and metrics ({@code --all})
   */
  public record Options(Path output, boolean all) {
    public static Options defaults() {
      return new Options(null, false);
    }
  }

  /**
   * Compares the workspace with {@code baselineRev} and renders the plots (which are written right away, into
   * {@code <output>/plots/}); {@link ReportWriter#write} writes the Markdown and JSON.
   *
   * @param baselineRev a Git revision; null or blank for {@link #DEFAULT_BASELINE}
   * @throws io.mlops.api.MlopsException naming the revision when Git does not know it
   */
  public static Report build(RevisionFiles files, String baselineRev, Options options) {
    Repo repo = files.repo();
    String base = baselineRev == null || baselineRev.isBlank() ? DEFAULT_BASELINE : baselineRev.strip();
    Revision baseline = new Revision(base, files.resolve(base));
    Revision workspace = new Revision(RevisionFiles.WORKSPACE, RevisionFiles.WORKSPACE);
    MetricsParams.Options diff = new MetricsParams.Options(options.all(), false, null, false);
    MetricsParams.Result params = MetricsParams.diffParams(files, base, RevisionFiles.WORKSPACE, diff);
    MetricsParams.Result metrics = MetricsParams.diffMetrics(files, base, RevisionFiles.WORKSPACE, diff);
    Map<String, FileResult> current = metrics.results();
    MetricsParams.Result shown = new MetricsParams.Result(Compare.showTable(current, Compare.DEFAULT_PRECISION),
        List.of(), current, Compare.showJson(current));

    Path output = repo.root().resolve(options.output() == null ? Path.of(DEFAULT_OUTPUT) : options.output())
        .toAbsolutePath().normalize();
    List<String> revisions = new ArrayList<>(List.of(PlotData.WORKSPACE));
    if (!baseline.isWorkspace()) {
      revisions.add(base);
    }
    PlotData data = new WorkspacePlotData(repo.root(), files::read);
    List<PlotsRenderer.Rendered> plots = PlotsRenderer.render(new PlotsRenderer.Request(repo.root(),
        Index.pipelineFiles(repo), output.resolve(PLOTS_DIR), revisions, data, repo.log()));
    return new Report(repo.root(), output, baseline, workspace, params, metrics, shown, plots, List.of());
  }

  /** This report with one more section at the end. */
  public Report withSection(Section section) {
    List<Section> more = new ArrayList<>(sections);
    more.add(section);
    return new Report(root, output, baseline, workspace, params, metrics, workspaceMetrics, plots, more);
  }
}
