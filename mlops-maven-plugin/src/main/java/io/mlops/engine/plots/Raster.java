package io.mlops.engine.plots;

import java.util.Arrays;

/** An RGB image in memory with the few drawing operations the charts need (integer arithmetic only). */
final class Raster {
  final int width;
  final int height;
  private final int[] pixels;

  Raster(int width, int height, int background) {
    this.width = width;
    this.height = height;
    this.pixels = new int[width * height];
    Arrays.fill(pixels, background);
  }

  int get(int x, int y) {
    return pixels[y * width + x];
  }

  void set(int x, int y, int rgb) {
    if (x >= 0 && y >= 0 && x < width && y < height) {
      pixels[y * width + x] = rgb;
    }
  }

  void fillRect(int x, int y, int w, int h, int rgb) {
    for (int yy = Math.max(0, y); yy < Math.min(height, y + h); yy++) {
      for (int xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) {
        pixels[yy * width + xx] = rgb;
      }
    }
  }

  void strokeRect(int x, int y, int w, int h, int rgb) {
    fillRect(x, y, w, 1, rgb);
    fillRect(x, y + h - 1, w, 1, rgb);
    fillRect(x, y, 1, h, rgb);
    fillRect(x + w - 1, y, 1, h, rgb);
  }

  /** A filled disc of radius {@code r} centred on ({@code cx}, {@code cy}). */
  void fillDisc(int cx, int cy, int r, int rgb) {
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        if (dx * dx + dy * dy <= r * r + r) {
          set(cx + dx, cy + dy, rgb);
        }
      }
    }
  }

  /**
   * A line {@code thickness} pixels wide (Bresenham, square pen). With {@code dash > 0} it is drawn as
   * dashes of {@code dash} steps separated by gaps of the same length, counted from {@code phase}; returns the
   * phase after the last step so that a polyline keeps its dash pattern.
   */
  int line(int x0, int y0, int x1, int y1, int rgb, int thickness, int dash, int phase) {
    int dx = Math.abs(x1 - x0);
    int dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    int step = phase;
    int half = (thickness - 1) / 2;
    while (true) {
      if (dash <= 0 || (step / dash) % 2 == 0) {
        fillRect(x0 - half, y0 - half, thickness, thickness, rgb);
      }
      step++;
      if (x0 == x1 && y0 == y1) {
        return step;
      }
      int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  /** PNG bytes of this image. */
  byte[] toPng() {
    return PngEncoder.encode(width, height, pixels);
  }
}
