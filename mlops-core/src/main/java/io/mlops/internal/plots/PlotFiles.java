package io.mlops.internal.plots;

import io.mlops.api.MlopsException;
import io.mlops.internal.pipeline.ParamsFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads plot data files like DVC's {@code dvc.repo.plots.parse}: CSV and TSV with Python's csv rules (a
 * header row, or columns named {@code 0, 1, …} with {@code header: false}), JSON, TOML and YAML (any other
 * data extension DVC knows), and DVC's {@code get_datapoints}, which finds the lists of records in a document.
 *
 * <p>Unlike Python's lenient csv module, a row with a different number of fields than the header and an
 * unterminated quote are errors naming the file and line.
 */
public final class PlotFiles {
  private PlotFiles() {}

  /**
   * Parses the content of {@code path}.
   *
   * @param header {@code header:} of the plot (CSV/TSV only)
   * @return a list of records (CSV/TSV) or the parsed document
   */
  public static Object parse(String path, byte[] content, boolean header) {
    String ext = PlotDefinition.extension(path);
    if (!Set.of(".csv", ".tsv", ".json", ".yaml", ".yml", ".toml", ".py").contains(ext)) {
      throw new MlopsException(
          "'" + path + "' - file type error\nOnly JSON, YAML, CSV and TSV formats are supported.",
          null, 0, "Plot a .csv, .tsv, .json or .yaml file, or an image (.png .jpg .jpeg .gif .svg).");
    }
    String text = utf8(path, content);
    if (ext.equals(".csv") || ext.equals(".tsv")) {
      return readSeparated(path, text, ext.equals(".tsv") ? '\t' : ',', header);
    }
    return ParamsFile.parse(text, Path.of(path));
  }

  private static String utf8(String path, byte[] content) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MlopsException("unable to read: '" + path + "', is not valid utf-8", null, 0,
          "Save the file with UTF-8 encoding.");
    }
  }

  /** csv.DictReader: one map per non-empty row, values as strings. */
  static List<Map<String, Object>> readSeparated(String path, String text, char delimiter, boolean header) {
    List<Row> rows = splitRows(path, text, delimiter);
    List<Map<String, Object>> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out;
    }
    List<String> names;
    int start;
    if (header) {
      names = rows.get(0).fields();
      start = 1;
    } else {
      names = new ArrayList<>();
      for (int i = 0; i < rows.get(0).fields().size(); i++) {
        names.add(String.valueOf(i));
      }
      start = 0;
    }
    for (int r = start; r < rows.size(); r++) {
      Row row = rows.get(r);
      if (row.fields().size() != names.size()) {
        throw new MlopsException(
            "malformed " + (delimiter == '\t' ? "TSV" : "CSV") + " in '" + path + "': line " + row.line()
                + " has " + row.fields().size() + " field(s), the header has " + names.size()
                + " (" + String.join(", ", names) + ")",
            null, 0, "Give every row one value per column, or quote values that contain '"
                + (delimiter == '\t' ? "\\t" : ",") + "'.");
      }
      Map<String, Object> record = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        record.put(names.get(i), row.fields().get(i));
      }
      out.add(record);
    }
    return out;
  }

  private record Row(int line, List<String> fields) {}

  /** Python csv (excel dialect) tokenising; blank lines are skipped like DictReader does. */
  private static List<Row> splitRows(String path, String text, char delimiter) {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean inQuotes = false;
    boolean rowStarted = false;
    int line = 1;
    int rowLine = 1;
    int quoteLine = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            inQuotes = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (rowStarted) {
          fields.add(field.toString());
          rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        quoted = false;
        rowStarted = false;
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        line++;
        rowLine = line;
        continue;
      }
      rowStarted = true;
      if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        quoted = false;
      } else if (c == '"' && field.length() == 0 && !quoted) {
        inQuotes = true;
        quoted = true;
        quoteLine = line;
      } else {
        field.append(c);
      }
    }
    if (inQuotes) {
      throw new MlopsException(
          "malformed CSV in '" + path + "': the quote opened on line " + quoteLine + " is never closed",
          null, 0, "Close the quoted value with '\"' (write \"\" for a quote inside it).");
    }
    if (rowStarted) {
      fields.add(field.toString());
      rows.add(new Row(rowLine, List.copyOf(fields)));
    }
    return rows;
  }

  /**
   * DVC's {@code get_datapoints}: every list in the document (the document itself, or lists reached through
   * nested mappings) whose items are mappings with the same keys is a list of records; several such lists are
   * merged record by record.
   */
  public static List<Map<String, Object>> datapoints(Object content) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (List<?> list : lists(content)) {
      if (!isDatapoints(list)) {
        continue;
      }
      for (int i = 0; i < list.size(); i++) {
        if (result.size() <= i) {
          result.add(new LinkedHashMap<>());
        }
        Map<String, Object> target = result.get(i);
        ((Map<?, ?>) list.get(i)).forEach((k, v) -> target.put(String.valueOf(k), v));
      }
    }
    return result;
  }

  /** DVC's {@code _lists}: the document if it is a list, else the lists reached through nested mappings. */
  static List<List<?>> lists(Object blob) {
    List<List<?>> out = new ArrayList<>();
    if (blob instanceof List<?> l) {
      out.add(l);
    } else if (blob instanceof Map<?, ?> m) {
      for (Object v : m.values()) {
        if (v instanceof Map<?, ?>) {
          out.addAll(lists(v));
        } else if (v instanceof List<?> l) {
          out.add(l);
        }
      }
    }
    return out;
  }

  private static boolean isDatapoints(List<?> list) {
    if (list.isEmpty()) {
      return false;
    }
    Set<Object> firstKeys = null;
    Set<Object> all = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> m)) {
        return false;
      }
      if (firstKeys == null) {
        firstKeys = new LinkedHashSet<>(m.keySet());
      }
      all.addAll(m.keySet());
    }
    return firstKeys.equals(all);
  }
}
