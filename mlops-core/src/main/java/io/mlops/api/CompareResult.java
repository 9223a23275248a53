package io.mlops.api;

/**
 * What {@link Mlops#metrics} or {@link Mlops#params} found, printed as DVC prints it.
 *
 * @param text the table or JSON in the requested format, byte for byte as DVC; empty when there is nothing
 * @param rows the number of rows of the table (changed values of a diff)
 */
public record CompareResult(String text, int rows) {
  public boolean isEmpty() {
    return text.isEmpty();
  }
}
