package io.mlops.internal.report;

import io.mlops.api.EngineLog;
import io.mlops.internal.json.PyJson;
import io.mlops.internal.metrics.Compare;
import io.mlops.internal.metrics.FileResult;
import io.mlops.internal.metrics.MetricsParams;
import io.mlops.internal.plots.PlotsRenderer;
import io.mlops.internal.util.AtomicFiles;
import io.mlops.internal.util.PathUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report}: {@code report.md} (GitHub Markdown, images linked relatively as
 * {@code plots/<file>.png}), {@code report.json} (the same data; the diffs in DVC's {@code --json} shapes), and,
 * when {@code GITHUB_STEP_SUMMARY} is set, the Markdown appended to that file with the images replaced by a note
 * saying where the PNG files are (a job summary cannot show local images, and nothing is uploaded).
 */
public final class ReportWriter {
  /** The environment variable GitHub Actions sets to the job summary file of the current step. */
  public static final String STEP_SUMMARY = "GITHUB_STEP_SUMMARY";

  public static final String MARKDOWN = "report.md";
  public static final String JSON = "report.json";

  private ReportWriter() {}

  /**
   * Writes {@code report.md} and {@code report.json} (atomically) and appends the job summary when
   * {@code env} names one.
   *
   * @param stepSummary false to never touch {@code GITHUB_STEP_SUMMARY}
   * @return the files written or appended to
   */
  public static List<Path> write(Report report, Map<String, String> env, boolean stepSummary, EngineLog log) {
    List<Path> written = new ArrayList<>();
    Path md = report.output().resolve(MARKDOWN);
    AtomicFiles.writeString(md, markdown(report));
    written.add(md);
    Path json = report.output().resolve(JSON);
    AtomicFiles.writeString(json, json(report));
    written.add(json);
    log.info("Wrote " + md + " and " + JSON + " (" + report.plots().size() + " plot(s) in "
        + report.output().resolve(Report.PLOTS_DIR) + ")");
    String summary = env.get(STEP_SUMMARY);
    if (stepSummary && summary != null && !summary.isBlank()) {
      Path file = Path.of(summary);
      appendSummary(file, stepSummary(report));
      written.add(file);
      log.info("Appended the report to the job summary " + file + " (images: see " + plotsLocation(report) + ")");
    }
    return written;
  }

  /** {@code report.md}: title, Params, Metrics, Plots (relative image links), then any extra sections. */
  public static String markdown(Report report) {
    return document(report, false);
  }

  /** The job summary variant: like {@link #markdown}, but the Plots section says where the images are. */
  public static String stepSummary(Report report) {
    return document(report, true);
  }

  private static String document(Report r, boolean summary) {
    StringBuilder md = new StringBuilder();
    md.append("# Experiment report: ").append(code(r.baseline().label())).append(" → ")
        .append(code(r.workspace().label())).append("\n\n");
    md.append("## Params\n\n").append(diff(r.params()));
    md.append("## Metrics\n\n").append(diff(r.metrics()));
    if (!r.workspaceMetrics().results().isEmpty()) {
      md.append("<details><summary>All metrics in the workspace</summary>\n\n")
          .append(r.workspaceMetrics().table().markdown()).append("\n\n</details>\n\n");
    }
    md.append("## Plots\n\n");
    if (r.plots().isEmpty()) {
      md.append("No plots are declared in dvc.yaml.\n");
    } else if (summary) {
      plotsNote(r, md);
    } else {
      plotLinks(r, md);
    }
    for (Report.Section s : r.sections()) {
      md.append("\n## ").append(s.title()).append("\n\n").append(s.markdown());
    }
    return md.toString();
  }

  /** Exactly what {@code dvc params/metrics diff <rev> --md} prints, or "No changes." for an empty diff. */
  private static String diff(MetricsParams.Result result) {
    return result.rows().isEmpty() ? "No changes.\n\n" : result.output(MetricsParams.Format.MD);
  }

  private static void plotLinks(Report r, StringBuilder md) {
    String sep = "";
    for (PlotsRenderer.Rendered p : r.plots()) {
      md.append(sep).append("### ").append(p.id()).append("\n\n");
      sep = "\n";
      if (p.outputs().isEmpty()) {
        md.append("*(no data)*\n");
        continue;
      }
      if (p.type().equals("vega")) {
        md.append("Revisions: ").append(String.join(", ", p.revisions())).append("\n\n");
      }
      for (int i = 0; i < p.outputs().size(); i++) {
        String alt = p.type().equals("image") ? p.id() + " (" + p.revisions().get(i) + ")" : p.id();
        md.append("![").append(alt.replace("[", "\\[").replace("]", "\\]")).append("](")
            .append(imagePath(p.outputs().get(i))).append(")\n");
      }
    }
  }

  private static void plotsNote(Report r, StringBuilder md) {
    int images = r.plots().stream().mapToInt(p -> p.outputs().size()).sum();
    md.append(images).append(" image(s) of ").append(r.plots().size()).append(" plot(s) are in ")
        .append(code(plotsLocation(r) + "/")).append(", not shown here: a job summary cannot display local"
            + " files and this build uploads nothing. To see them, upload that directory as a workflow artifact"
            + " (`actions/upload-artifact`); `report.md` next to it links them.\n\n");
    for (PlotsRenderer.Rendered p : r.plots()) {
      md.append("- ").append(p.id()).append(": ");
      md.append(p.outputs().isEmpty() ? "*(no data)*"
          : String.join(", ", p.outputs().stream().map(ReportWriter::code).toList()));
      md.append("\n");
    }
  }

  /** The plots directory, relative to the repository root when it is inside it. */
  static String plotsLocation(Report r) {
    Path dir = r.output().resolve(Report.PLOTS_DIR);
    return dir.startsWith(r.root()) ? PathUtil.posix(r.root().relativize(dir)) : dir.toString();
  }

  private static String imagePath(String output) {
    return Report.PLOTS_DIR + "/" + output.replace(" ", "%20");
  }

  private static String code(String s) {
    return "`" + s.replace("`", "'") + "`";
  }

  /**
   * {@code report.json}: {@code revisions}, {@code params} and {@code metrics} (DVC's {@code params diff --json}
   * and {@code metrics diff --json}), {@code workspace_metrics} ({@code metrics show --json}'s files),
   * {@code plots} (id, type, template, files, revisions, images relative to the report directory), then the extra
   * sections.
   */
  public static String json(Report r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> revisions = new LinkedHashMap<>();
    revisions.put("baseline", revision(r.baseline()));
    revisions.put("workspace", revision(r.workspace()));
    doc.put("revisions", revisions);
    doc.put("params", Compare.diffJsonMap(r.params().rows()));
    doc.put("metrics", Compare.diffJsonMap(r.metrics().rows()));
    Map<String, Object> current = new LinkedHashMap<>();
    for (Map.Entry<String, FileResult> e : r.workspaceMetrics().results().entrySet()) {
      current.put(e.getKey(), e.getValue().toJsonMap());
    }
    doc.put("workspace_metrics", current);
    List<Object> plots = new ArrayList<>();
    for (PlotsRenderer.Rendered p : r.plots()) {
      plots.add(p.toJsonMap("images", Report.PLOTS_DIR + "/"));
    }
    doc.put("plots", plots);
    List<Object> sections = new ArrayList<>();
    for (Report.Section s : r.sections()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("title", s.title());
      m.put("data", s.json());
      sections.add(m);
    }
    doc.put("sections", sections);
    doc.put("markdown", MARKDOWN);
    return PyJson.dumpsInOrder(doc) + "\n";
  }

  private static Map<String, Object> revision(Report.Revision rev) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rev", rev.name());
    m.put("commit", rev.isWorkspace() ? null : rev.commit());
    m.put("short", rev.shortSha());
    return m;
  }

  /**
   * Appends to a job summary file, keeping what earlier steps wrote (separated by a blank line). Appending is how
   * GitHub Actions collects the summary, so this write is not atomic.
   */
  static void appendSummary(Path file, String markdown) {
    try {
      String prefix = "";
      if (Files.isRegularFile(file) && Files.size(file) > 0) {
        String existing = Files.readString(file, StandardCharsets.UTF_8);
        prefix = existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
      } else if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, prefix + markdown, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append the report to the job summary " + file
          + " (" + STEP_SUMMARY + ")", e);
    }
  }
}
