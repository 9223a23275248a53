package io.mlops.internal.plots;

import io.mlops.api.EngineLog;
import io.mlops.api.MlopsException;
import io.mlops.internal.json.PyJson;
import io.mlops.internal.pipeline.Pipeline;
import io.mlops.internal.pipeline.PipelineParser;
import io.mlops.internal.util.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders every plot of a repository to local files, like {@code dvc plots show} / {@code dvc plots diff}
 * but as PNG images: {@code <out>/<safe id>.png} per data plot (all revisions in one chart), image plots copied
 * as they are ({@code <safe id>} for the workspace, {@code <rev>/<safe id>} for other revisions), an
 * {@code index.md} linking them and a {@code plots.json} describing each plot.
 *
 * <p>Definitions are those of the workspace's dvc.yaml files; only the data is read per revision.
 */
public final class PlotsRenderer {
  /**
   * What to render.
   *
   * @param root the repository root
   * @param pipelineFiles the dvc.yaml files to read (absolute or relative to root)
   * @param output the directory to write into (created)
   * @param revisions revisions to show, in order; {@link PlotData#WORKSPACE} is the working tree
   * @param data where file contents come from
   * @param log progress and warnings
   */
  public record Request(
      Path root, List<Path> pipelineFiles, Path output, List<String> revisions, PlotData data, EngineLog log) {}

  /**
   * One written plot.
   *
   * @param id DVC's plot id
   * @param type {@code vega} for rendered data, {@code image} for copied images
   * @param template the template (null for images)
   * @param files the data files read
   * @param revisions the revisions that had data
   * @param outputs the written files, relative to the output directory (one for vega, one per revision for
   *     images)
   */
  public record Rendered(
      String id, String type, String template, List<String> files, List<String> revisions, List<String> outputs) {
    /**
     * The plot as JSON: id, type, template, files, revisions, then the output files under {@code outputsKey}, each
     * prefixed by {@code outputPrefix} (e.g. the directory they are in, relative to the document).
     */
    public Map<String, Object> toJsonMap(String outputsKey, String outputPrefix) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("type", type);
      m.put("template", template);
      m.put("files", files);
      m.put("revisions", revisions);
      m.put(outputsKey, outputs.stream().map(o -> outputPrefix + o).toList());
      return m;
    }
  }

  private PlotsRenderer() {}

  /** The plot definitions of {@code pipelineFiles}. */
  public static List<PlotDefinition> definitions(Path root, List<Path> pipelineFiles) {
    List<Pipeline> pipelines = new ArrayList<>();
    for (Path p : pipelineFiles) {
      pipelines.add(PipelineParser.parse(root, p));
    }
    return new PlotCollector(root).collect(pipelines);
  }

  /**
   * A plot with its data: the chart for data plots, null for images.
   *
   * @param definition the plot
   * @param chart the converted data of all revisions, or null for an image plot
   */
  public record Prepared(PlotDefinition definition, Chart chart) {}

  /** Collects the definitions and reads and converts their data, without drawing anything. */
  public static List<Prepared> prepare(Request request) {
    List<PlotDefinition> defs = definitions(request.root(), request.pipelineFiles());
    Map<String, Boolean> headers = new LinkedHashMap<>();
    for (PlotDefinition d : defs) {
      if (d.configFile().isEmpty() && d.props().get("header") instanceof Boolean b) {
        headers.put(d.innerId(), b);
      }
    }
    List<Prepared> out = new ArrayList<>();
    for (PlotDefinition def : defs) {
      out.add(new Prepared(def, def.isImage() ? null : chart(request, def, headers)));
    }
    return out;
  }

  /** Renders all plots; see the class comment. */
  public static List<Rendered> render(Request request) {
    Set<String> names = new HashSet<>();
    List<Rendered> out = new ArrayList<>();
    for (Prepared p : prepare(request)) {
      PlotDefinition def = p.definition();
      String name = uniqueName(safeName(def.id()) + (def.isImage() ? "" : ".png"), names);
      out.add(def.isImage() ? copyImage(request, def, name) : writeChart(request, def, p.chart(), name));
    }
    AtomicFiles.writeString(request.output().resolve("index.md"), index(out));
    AtomicFiles.writeString(request.output().resolve("plots.json"), json(out));
    request.log().info("Wrote " + out.size() + " plot(s) to " + request.output());
    return out;
  }

  private static Chart chart(Request req, PlotDefinition def, Map<String, Boolean> headers) {
    Map<String, Map<String, Object>> data = new LinkedHashMap<>();
    for (String rev : req.revisions()) {
      Map<String, Object> files = new LinkedHashMap<>();
      for (String file : def.sources()) {
        Optional<byte[]> bytes = read(req, def, rev, file);
        if (bytes.isEmpty()) {
          files = null;
          break;
        }
        boolean header = def.props().get("header") instanceof Boolean b ? b : headers.getOrDefault(file, true);
        files.put(file, PlotFiles.parse(file, bytes.get(), header));
      }
      if (files != null) {
        data.put(rev, files);
      }
    }
    return PlotConverter.convert(def, data);
  }

  private static Rendered writeChart(Request req, PlotDefinition def, Chart chart, String name) {
    if (chart.series().isEmpty()) {
      req.log().warn("plot '" + def.id() + "' has no data points in " + String.join(", ", def.sources())
          + "; nothing drawn");
      return new Rendered(def.id(), "vega", def.template(), def.sources(), List.of(), List.of());
    }
    AtomicFiles.write(req.output().resolve(name), ChartRenderer.render(chart));
    return new Rendered(def.id(), "vega", def.template(), def.sources(), chart.revisions(), List.of(name));
  }

  private static Rendered copyImage(Request req, PlotDefinition def, String name) {
    List<String> revs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (String rev : req.revisions()) {
      Optional<byte[]> bytes = read(req, def, rev, def.innerId());
      if (bytes.isPresent()) {
        String rel = PlotData.WORKSPACE.equals(rev) ? name : safeName(rev) + "/" + name;
        AtomicFiles.write(req.output().resolve(rel), bytes.get());
        revs.add(rev);
        outputs.add(rel);
      }
    }
    return new Rendered(def.id(), "image", null, List.of(def.innerId()), revs, outputs);
  }

  /** The file at a revision; missing in the workspace is an error, missing elsewhere a warning. */
  private static Optional<byte[]> read(Request req, PlotDefinition def, String rev, String file) {
    Optional<byte[]> bytes = req.data().read(rev, file);
    if (bytes.isEmpty()) {
      if (PlotData.WORKSPACE.equals(rev)) {
        throw new MlopsException("plot '" + def.id() + "': data file '" + file + "' does not exist in the workspace",
            req.root().resolve(file), 0,
            "Run the pipeline (mlops:repro, `mlops repro`) or pull its data (mlops:pull, `mlops pull`) to create it, "
                + "or fix the path in dvc.yaml.");
      }
      req.log().warn("plot '" + def.id() + "': '" + file + "' does not exist at revision '" + rev + "'");
    }
    return bytes;
  }

  /** A file name for a plot id: characters other than letters, digits, '.', '-' and '_' become '_'. */
  public static String safeName(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "_" + s : s;
  }

  private static String uniqueName(String name, Set<String> taken) {
    String candidate = name;
    int dot = name.lastIndexOf('.');
    for (int i = 2; !taken.add(candidate.toLowerCase(java.util.Locale.ROOT)); i++) {
      candidate = dot > 0 ? name.substring(0, dot) + "-" + i + name.substring(dot) : name + "-" + i;
    }
    return candidate;
  }

  private static String index(List<Rendered> plots) {
    StringBuilder md = new StringBuilder("# Plots\n");
    for (Rendered p : plots) {
      md.append("\n## ").append(p.id()).append("\n\n");
      if (p.outputs().isEmpty()) {
        md.append("(no data)\n");
      }
      for (int i = 0; i < p.outputs().size(); i++) {
        String label = p.type().equals("image") ? p.revisions().get(i) : String.join(", ", p.revisions());
        md.append("![").append(p.id()).append(" (").append(label).append(")](")
            .append(p.outputs().get(i).replace(" ", "%20")).append(")\n");
      }
    }
    return md.toString();
  }

  private static String json(List<Rendered> plots) {
    List<Object> list = new ArrayList<>();
    for (Rendered p : plots) {
      list.add(p.toJsonMap("outputs", ""));
    }
    return PyJson.dumps(list) + "\n";
  }
}
