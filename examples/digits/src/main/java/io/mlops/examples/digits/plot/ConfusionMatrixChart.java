package io.mlops.examples.digits.plot;

import java.util.List;

/** The confusion matrix as a heat map: a row per true label, a column per prediction, counts in the cells. */
public final class ConfusionMatrixChart {
  private static final int CELL = 24;
  private static final int LEFT = 44;
  private static final int TOP = 30;

  private ConfusionMatrixChart() {}

  /** @param counts {@code counts[t][p]}: test digits of label {@code t} predicted as {@code p} */
  public static Canvas render(List<String> labels, int[][] counts) {
    int n = labels.size();
    int grid = n * CELL;
    Canvas c = new Canvas(LEFT + grid + 14, TOP + grid + 34);
    c.textCentred(c.width() / 2, 10, "CONFUSION MATRIX (TEST SET)", Canvas.BLACK, 1);
    for (int t = 0; t < n; t++) {
      int rowTotal = 0;
      for (int p = 0; p < n; p++) {
        rowTotal += counts[t][p];
      }
      for (int p = 0; p < n; p++) {
        int x = LEFT + p * CELL;
        int y = TOP + t * CELL;
        int count = counts[t][p];
        // shade 1..SHADES-1 by the share of the row, rounded up so any error shows
        int shade = count == 0 ? 0 : (count * (Canvas.SHADES - 1) + rowTotal - 1) / rowTotal;
        c.fill(x, y, CELL, CELL, count == 0 ? Canvas.WHITE : (byte) (Canvas.FIRST_SHADE + shade));
        if (count > 0) {
          c.textCentred(x + CELL / 2 + 1, y + (CELL - PixelFont.HEIGHT) / 2, Integer.toString(count),
              shade >= 5 ? Canvas.WHITE : Canvas.BLACK, 1);
        }
      }
      c.textCentred(LEFT - 10, TOP + t * CELL + (CELL - PixelFont.HEIGHT) / 2, labels.get(t), Canvas.BLACK, 1);
      c.textCentred(LEFT + t * CELL + CELL / 2 + 1, TOP + grid + 5, labels.get(t), Canvas.BLACK, 1);
    }
    for (int k = 1; k < n; k++) {
      c.fill(LEFT + k * CELL, TOP, 1, grid, Canvas.LIGHT_GRAY);
      c.fill(LEFT, TOP + k * CELL, grid, 1, Canvas.LIGHT_GRAY);
    }
    c.frame(LEFT - 1, TOP - 1, grid + 2, grid + 2, Canvas.GRAY);
    c.textCentred(LEFT + grid / 2, TOP + grid + 19, "PREDICTED", Canvas.BLACK, 1);
    c.textUp(10, TOP + grid / 2, "TRUE", Canvas.BLACK);
    return c;
  }
}
