package io.mlops.examples.digits.plot;

import io.mlops.examples.digits.common.Decimals;
import io.mlops.examples.digits.common.History;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Loss and accuracy per epoch, on the training rows (blue) and the test rows (orange), in two panels. */
public final class HistoryChart {
  private static final int WIDTH = 340;
  private static final int HEIGHT = 322;
  private static final int X0 = 54;
  private static final int X1 = 330;

  private HistoryChart() {}

  public static Canvas render(List<History.Epoch> history) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("no epochs");
    }
    Canvas c = new Canvas(WIDTH, HEIGHT);
    c.textCentred(WIDTH / 2, 6, "TRAINING HISTORY", Canvas.BLACK, 1);
    int legend = X1 - 110;
    c.fill(legend, 22, 14, 2, Canvas.BLUE);
    c.text(legend + 18, 19, "TRAIN", Canvas.BLACK, 1);
    c.fill(legend + 58, 22, 14, 2, Canvas.ORANGE);
    c.text(legend + 76, 19, "TEST", Canvas.BLACK, 1);
    panel(c, history, 36, 146, "LOSS", History.Epoch::trainLoss, History.Epoch::testLoss);
    panel(c, history, 180, 290, "ACCURACY", History.Epoch::trainAccuracy, History.Epoch::testAccuracy);

    int n = history.size();
    int[] ticks = n == 1 ? new int[] {0} : n == 2 ? new int[] {0, 1} : new int[] {0, (n - 1) / 2, n - 1};
    for (int i : ticks) {
      int x = xOf(i, n);
      c.fill(x, 291, 1, 3, Canvas.GRAY);
      c.textCentred(x + 1, 296, Integer.toString(history.get(i).epoch()), Canvas.BLACK, 1);
    }
    c.textCentred((X0 + X1) / 2, 310, "EPOCH", Canvas.BLACK, 1);
    return c;
  }

  private static void panel(Canvas c, List<History.Epoch> history, int top, int bottom, String name,
      ToDoubleFunction<History.Epoch> train, ToDoubleFunction<History.Epoch> test) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (History.Epoch e : history) {
      lo = Math.min(lo, Math.min(train.applyAsDouble(e), test.applyAsDouble(e)));
      hi = Math.max(hi, Math.max(train.applyAsDouble(e), test.applyAsDouble(e)));
    }
    // axis bounds on hundredths around the data
    lo = Math.floor(lo * 100) / 100;
    hi = Math.ceil(hi * 100) / 100;
    if (hi - lo < 0.01) {
      hi = lo + 0.01;
    }
    c.frame(X0 - 1, top - 1, X1 - X0 + 2, bottom - top + 2, Canvas.GRAY);
    int mid = (top + bottom) / 2;
    for (int x = X0; x < X1; x += 4) {
      c.fill(x, mid, 2, 1, Canvas.LIGHT_GRAY);
    }
    String hiText = Decimals.fixed(hi, 2);
    String loText = Decimals.fixed(lo, 2);
    c.text(X0 - 4 - PixelFont.width(hiText, 1), top, hiText, Canvas.BLACK, 1);
    c.text(X0 - 4 - PixelFont.width(loText, 1), bottom - PixelFont.HEIGHT + 1, loText, Canvas.BLACK, 1);
    c.textUp(6, (top + bottom) / 2, name, Canvas.BLACK);
    series(c, history, train, lo, hi, top, bottom, Canvas.BLUE);
    series(c, history, test, lo, hi, top, bottom, Canvas.ORANGE);
  }

  private static void series(Canvas c, List<History.Epoch> history, ToDoubleFunction<History.Epoch> value,
      double lo, double hi, int top, int bottom, byte colour) {
    int n = history.size();
    int px = -1;
    int py = -1;
    for (int i = 0; i < n; i++) {
      int x = xOf(i, n);
      int y = bottom - (int) Math.round((value.applyAsDouble(history.get(i)) - lo) / (hi - lo) * (bottom - top));
      if (i > 0) {
        c.line(px, py, x, y, colour);
      }
      c.fill(x - 1, y - 1, 3, 3, colour);
      px = x;
      py = y;
    }
  }

  private static int xOf(int i, int n) {
    int w = X1 - X0 - 1;
    return n == 1 ? X0 + w / 2 : X0 + (int) Math.round(i * (double) w / (n - 1));
  }
}
