package io.mlops.internal.pipeline;

import java.util.List;

/**
 * One parsed dvc.yaml file.
 *
 * @param dvcfile the path relative to the repository root ('/' separators)
 * @param stages resolved stages in file order (generated stages in generation order)
 * @param params top-level {@code params:} entries (extra params files for params show/diff)
 * @param metrics top-level {@code metrics:} entries
 * @param plots top-level {@code plots:} entries, each a path string or a single-entry map id → definition
 */
public record Pipeline(
    String dvcfile, List<StageDef> stages, List<String> params, List<String> metrics, List<Object> plots) {}
