package io.mlops.api;

/**
 * What {@link Mlops#checkout} changed in the workspace.
 *
 * @param added outputs created
 * @param modified outputs replaced
 */
public record CheckoutResult(int added, int modified) {
  public int changed() {
    return added + modified;
  }
}
