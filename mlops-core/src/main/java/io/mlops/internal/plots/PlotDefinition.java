package io.mlops.internal.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One plot as DVC names and configures it ({@code dvc plots show}).
 *
 * @param id the plot id DVC reports: the top-level id, or the data file path; prefixed with
 *     {@code <dvc.yaml path>::} when the same id is declared in more than one place
 * @param configFile the dvc.yaml that declares it at the top level, or "" for a stage's {@code plots:} output
 * @param innerId the id as declared (a file path relative to the repository root for path-like ids)
 * @param props DVC's plot properties (x, y, x_label, y_label, title, template, header), with the files in
 *     {@code x}/{@code y} mappings made relative to the repository root
 */
public record PlotDefinition(String id, String configFile, String innerId, Map<String, Object> props) {
  /** File extensions DVC shows as images, passed through unchanged (dvc-render's ImageRenderer). */
  public static final Set<String> IMAGE_EXTENSIONS = Set.of(".png", ".jpg", ".jpeg", ".gif", ".svg");

  /** True for image plots (by the extension of the declared id, case-sensitive like DVC). */
  public boolean isImage() {
    return IMAGE_EXTENSIONS.contains(extension(innerId));
  }

  /** {@code template:}, default {@code linear}. */
  public String template() {
    Object t = props.get("template");
    return t == null ? "linear" : String.valueOf(t);
  }

  /**
   * The data files the plot reads, as DVC's {@code infer_data_sources}: the files of a {@code y} mapping (else
   * the id itself), then the first file of an {@code x} mapping.
   */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    if (props.get("y") instanceof Map<?, ?> y) {
      y.keySet().forEach(k -> out.add(String.valueOf(k)));
    } else {
      out.add(innerId);
    }
    if (props.get("x") instanceof Map<?, ?> x && !x.isEmpty()) {
      out.add(String.valueOf(x.keySet().iterator().next()));
    }
    return out.stream().distinct().toList();
  }

  /** Python's {@code pathlib.PurePath(name).suffix}. */
  static String extension(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot);
  }
}
