package io.mlops.internal.pipeline;

import java.util.List;

/**
 * Parameters a stage depends on, from one params file.
 *
 * @param file the params file as written (relative to the stage wdir); {@code params.yaml} for bare keys
 * @param keys the keys as written (dotted keys address nested values), in declaration order; empty if whole
 * @param whole true when the whole file is tracked ({@code - file.yaml:} or {@code - file.yaml: []})
 */
public record ParamsDep(String file, List<String> keys, boolean whole) {
  public static final String DEFAULT_FILE = "params.yaml";
}
