package io.mlops.internal.metrics;

import java.util.List;

/**
 * A table of strings as DVC builds it ({@code dvc.compare.TabularData}) before printing.
 *
 * @param headers column titles
 * @param rows cells, one list per row, as wide as {@code headers}
 */
public record Table(List<String> headers, List<List<String>> rows) {
  public Table {
    headers = List.copyOf(headers);
    rows = rows.stream().map(List::copyOf).toList();
  }

  /** tabulate's {@code plain} layout, no trailing newline. */
  public String plain() {
    return Tabulate.plain(headers, rows);
  }

  /** tabulate's {@code github} layout (GitHub Markdown pipe table), no trailing newline. */
  public String markdown() {
    return Tabulate.github(headers, rows);
  }

  /**
   * Exactly what DVC writes to standard output for this table: nothing for a plain table without rows, the plain
   * table and a newline, or the Markdown table followed by a blank line ({@code --md}).
   */
  public String dvcOutput(boolean md) {
    if (md) {
      return markdown() + "\n\n";
    }
    return rows.isEmpty() ? "" : plain() + "\n";
  }
}
