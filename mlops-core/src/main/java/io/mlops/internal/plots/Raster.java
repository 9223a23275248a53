package io.mlops.internal.plots;

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
   * A line {@code thickness} pixels wide (square pen), stepped one pixel at a time along its longer axis with
   * the other coordinate rounded half up. With {@code dash > 0} it is drawn as dashes of {@code dash} steps
   * separated by gaps of the same length, counted from {@code phase}; returns the phase after the last step so
   * that a polyline keeps its dash pattern.
   */
  int line(int x0, int y0, int x1, int y1, int rgb, int thickness, int dash, int phase) {
    int steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
    int half = (thickness - 1) / 2;
    for (int i = 0; i <= steps; i++, phase++) {
      if (dash > 0 && (phase / dash) % 2 == 1) {
        continue;
      }
      int x = steps == 0 ? x0 : x0 + Math.floorDiv(2 * i * (x1 - x0) + steps, 2 * steps);
      int y = steps == 0 ? y0 : y0 + Math.floorDiv(2 * i * (y1 - y0) + steps, 2 * steps);
      fillRect(x - half, y - half, thickness, thickness, rgb);
    }
    return phase;
  }

  /** PNG bytes of this image. */
  byte[] toPng() {
    return PngEncoder.encode(width, height, pixels);
  }
}
