package io.mlops.internal.plots;

import io.mlops.api.MlopsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a definition and its parsed data into a {@link Chart} with DVC's inference rules
 * ({@code dvc/render/converter/vega.py}): without {@code y} the last column of the plot file is plotted;
 * without {@code x} the row index {@code step}; a string {@code x} is paired with every y file; labels default
 * to the single field name, else {@code x}/{@code y}.
 */
public final class PlotConverter {
  static final String INDEX = "step";

  private PlotConverter() {}

  /**
   * @param definition the plot
   * @param data revision → data file → parsed content (see {@link PlotFiles#parse}); revisions in order
   */
  public static Chart convert(PlotDefinition definition, Map<String, Map<String, Object>> data) {
    Map<String, Object> props = definition.props();
    String template = definition.template();
    String title = props.get("title") == null ? definition.id() : str(props.get("title"));
    List<Chart.Series> series = new ArrayList<>();
    List<String> revisions = new ArrayList<>();
    String xField = INDEX;
    String yField = null;
    String xLabel = null;
    String yLabel = null;
    for (Map.Entry<String, Map<String, Object>> rev : data.entrySet()) {
      Rev r = convertRev(definition, rev.getKey(), rev.getValue());
      if (r.series.isEmpty()) {
        continue;
      }
      if (revisions.isEmpty()) {
        xField = r.xField;
        yField = r.yField;
        xLabel = r.xLabel;
        yLabel = r.yLabel;
      }
      revisions.add(rev.getKey());
      series.addAll(r.series);
    }
    return new Chart(definition.id(), template, title, xField, yField,
        xLabel == null ? xField : xLabel, yLabel == null ? String.valueOf(yField) : yLabel,
        List.copyOf(revisions), List.copyOf(series));
  }

  private record Rev(String xField, String yField, String xLabel, String yLabel, List<Chart.Series> series) {}

  private record FileField(String file, String field) {}

  private static Rev convertRev(PlotDefinition def, String rev, Map<String, Object> files) {
    String plotId = def.innerId();
    Map<String, Object> properties = new LinkedHashMap<>(def.props());
    Object x = properties.get("x");
    Object y = properties.get("y");
    Map<String, List<Map<String, Object>>> file2datapoints = new LinkedHashMap<>();
    files.forEach((file, content) -> file2datapoints.put(file, PlotFiles.datapoints(content)));

    // _infer_x_y
    if (x instanceof String xs) {
      Map<String, Object> inferred = new LinkedHashMap<>();
      if (y instanceof Map<?, ?> ym) {
        ym.forEach((file, fields) -> inferred.put(String.valueOf(file),
            fields instanceof List<?> l ? java.util.Collections.nCopies(l.size(), xs) : xs));
      } else {
        inferred.put(plotId, xs);
      }
      properties.put("x", inferred);
    }
    if (y == null) {
      String last = lastField(files.get(plotId));
      properties.put("y", last == null ? null : Map.of(plotId, last));
    } else if (!(y instanceof Map<?, ?>)) {
      properties.put("y", Map.of(plotId, y));
    }

    List<FileField> xsList = fileFields(properties.get("x"));
    List<FileField> ysList = fileFields(properties.get("y"));
    for (FileField ff : xsList) {
      verify(def, file2datapoints, ff);
    }
    for (FileField ff : ysList) {
      verify(def, file2datapoints, ff);
    }
    String xFile = null;
    String xField = INDEX;
    if (!xsList.isEmpty()) {
      xFile = xsList.get(0).file();
      xField = xsList.get(0).field();
    }
    boolean multipleX = xsList.size() > 1 && xsList.stream().map(FileField::field).distinct().count() > 1;
    if (xsList.size() > 1 && xsList.size() != ysList.size()) {
      throw new MlopsException("plot '" + def.id() + "': Cannot have different number of x and y data sources."
          + " Found " + xsList.size() + " x and " + ysList.size() + " y data sources.", null, 0,
          "Give one x column per y column, or a single x.");
    }
    Set<String> yFields = new LinkedHashSet<>();
    Set<String> yFiles = new LinkedHashSet<>();
    ysList.forEach(ff -> {
      yFiles.add(ff.file());
      yFields.add(ff.field());
    });
    int prefix = yFiles.size() > 1 ? commonPath(new ArrayList<>(yFiles)).length() : 0;
    List<Chart.Series> series = new ArrayList<>();
    for (int i = 0; i < ysList.size(); i++) {
      FileField yff = ysList.get(i);
      if (xsList.size() > 1) {
        xFile = xsList.get(i).file();
        xField = xsList.get(i).field();
      }
      List<Map<String, Object>> points = file2datapoints.getOrDefault(yff.file(), List.of());
      List<Object> xs = new ArrayList<>();
      List<Object> ys = new ArrayList<>();
      List<Map<String, Object>> xPoints = xFile == null ? null : file2datapoints.getOrDefault(xFile, List.of());
      if (xPoints != null && xPoints.size() != points.size()) {
        throw new MlopsException("plot '" + def.id() + "': Cannot join '" + xField + "' from '" + xFile
            + "' and '" + yff.field() + "' from '" + yff.file() + "'. They have to have same length.",
            null, 0, "Give both files the same number of rows.");
      }
      for (int p = 0; p < points.size(); p++) {
        xs.add(xPoints == null ? (Object) (long) p : xPoints.get(p).get(xField));
        ys.add(points.get(p).get(yff.field()));
      }
      String shortFile = yff.file().substring(prefix).replaceAll("^[/\\\\]+|[/\\\\]+$", "");
      if (!xs.isEmpty()) {
        series.add(new Chart.Series(rev, shortFile, yff.field(), List.copyOf(xs), java.util.Collections
            .unmodifiableList(ys)));
      }
    }
    String yField = yFields.size() > 1 ? "dvc_inferred_y_value" : yFields.stream().findFirst().orElse(null);
    String xFieldName = multipleX ? "dvc_inferred_x_value" : xField;
    return new Rev(xFieldName, yField, xLabel(properties), yLabel(properties), series);
  }

  private static String lastField(Object content) {
    if (content == null) {
      return null;
    }
    for (List<?> list : PlotFiles.lists(content)) {
      if (!list.isEmpty() && list.stream().allMatch(i -> i instanceof Map<?, ?>)) {
        String last = null;
        for (Object k : ((Map<?, ?>) list.get(0)).keySet()) {
          last = String.valueOf(k);
        }
        return last;
      }
    }
    return null;
  }

  /** DVC's {@code _file_field}: (file, field) pairs of an axis mapping. */
  private static List<FileField> fileFields(Object axis) {
    List<FileField> out = new ArrayList<>();
    if (axis instanceof Map<?, ?> m) {
      m.forEach((file, val) -> {
        if (val instanceof String s) {
          out.add(new FileField(String.valueOf(file), s));
        } else if (val instanceof List<?> l) {
          l.forEach(f -> out.add(new FileField(String.valueOf(file), str(f))));
        }
      });
    }
    return out;
  }

  private static void verify(PlotDefinition def, Map<String, List<Map<String, Object>>> data, FileField ff) {
    List<Map<String, Object>> points = data.get(ff.file());
    if (points == null) {
      return;
    }
    if (points.isEmpty()) {
      throw new MlopsException("plot '" + def.id() + "': no records in '" + ff.file() + "' to take column '"
          + ff.field() + "' from", null, 0,
          "A plot file is a CSV/TSV with a header row, or a JSON/YAML list of records (or a mapping holding one).");
    }
    if (!points.get(0).containsKey(ff.field())) {
      throw new MlopsException("plot '" + def.id() + "': Could not find provided field ('" + ff.field()
          + "') in data fields ('" + String.join(", ", points.get(0).keySet()) + "') of '" + ff.file() + "'",
          null, 0, "Fix the column name in the plot's x/y in dvc.yaml.");
    }
  }

  private static String xLabel(Map<String, Object> properties) {
    if (properties.get("x_label") != null) {
      return str(properties.get("x_label"));
    }
    if (!(properties.get("x") instanceof Map<?, ?>)) {
      return INDEX;
    }
    Set<String> fields = new LinkedHashSet<>();
    fileFields(properties.get("x")).forEach(ff -> fields.add(ff.field()));
    return fields.size() == 1 ? fields.iterator().next() : "x";
  }

  private static String yLabel(Map<String, Object> properties) {
    if (properties.get("y_label") != null) {
      return str(properties.get("y_label"));
    }
    Object y = properties.get("y");
    if (y instanceof String s) {
      return s;
    }
    if (y instanceof List<?>) {
      return "y";
    }
    if (!(y instanceof Map<?, ?>)) {
      return null;
    }
    Set<String> fields = new LinkedHashSet<>();
    fileFields(y).forEach(ff -> fields.add(ff.field()));
    return fields.size() == 1 ? fields.iterator().next() : "y";
  }

  private static String commonPath(List<String> paths) {
    String[] first = paths.get(0).split("/");
    int n = first.length;
    for (String p : paths) {
      String[] parts = p.split("/");
      int i = 0;
      while (i < Math.min(n, parts.length) && parts[i].equals(first[i])) {
        i++;
      }
      n = i;
    }
    return String.join("/", java.util.Arrays.asList(first).subList(0, n));
  }

  static String str(Object v) {
    return v instanceof String s ? s : io.mlops.internal.yaml.PyStr.str(v);
  }
}
