package io.mlops.examples.digits.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small raster of palette colours with the few drawing operations the charts need. Integer
 * coordinates only, and text from {@link PixelFont}: nothing depends on AWT, fonts or the platform.
 */
public final class Canvas {
  /** The palette (0xRRGGBB); the constants below are indices into it. */
  static final int[] PALETTE = {
      0xffffff, 0x000000, 0xdddddd, 0x777777, 0x1f77b4, 0xff7f0e,
      // ten shades from light to dark blue for the confusion matrix
      0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b, 0x041c45};
  static final byte WHITE = 0;
  static final byte BLACK = 1;
  static final byte LIGHT_GRAY = 2;
  static final byte GRAY = 3;
  static final byte BLUE = 4;
  static final byte ORANGE = 5;
  static final int FIRST_SHADE = 6;
  static final int SHADES = 10;

  private final int width;
  private final int height;
  private final byte[] pixels;

  Canvas(int width, int height) {
    this.width = width;
    this.height = height;
    this.pixels = new byte[width * height];
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  byte get(int x, int y) {
    return pixels[y * width + x];
  }

  void set(int x, int y, byte colour) {
    if (x >= 0 && x < width && y >= 0 && y < height) {
      pixels[y * width + x] = colour;
    }
  }

  void fill(int x, int y, int w, int h, byte colour) {
    for (int j = y; j < y + h; j++) {
      for (int i = x; i < x + w; i++) {
        set(i, j, colour);
      }
    }
  }

  void frame(int x, int y, int w, int h, byte colour) {
    fill(x, y, w, 1, colour);
    fill(x, y + h - 1, w, 1, colour);
    fill(x, y, 1, h, colour);
    fill(x + w - 1, y, 1, h, colour);
  }

  /** A straight line from (x0, y0) to (x1, y1), both ends included (Bresenham). */
  void line(int x0, int y0, int x1, int y1, byte colour) {
    int dx = Math.abs(x1 - x0);
    int dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1;
    int sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    while (true) {
      set(x0, y0, colour);
      if (x0 == x1 && y0 == y1) {
        return;
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

  /** {@code text} with its top-left corner at (x, y), each font cell {@code scale} pixels wide. */
  void text(int x, int y, String text, byte colour, int scale) {
    for (int k = 0; k < text.length(); k++) {
      int cx = x + k * PixelFont.ADVANCE * scale;
      for (int gy = 0; gy < PixelFont.HEIGHT; gy++) {
        for (int gx = 0; gx < PixelFont.WIDTH; gx++) {
          if (PixelFont.ink(text.charAt(k), gx, gy)) {
            fill(cx + gx * scale, y + gy * scale, scale, scale, colour);
          }
        }
      }
    }
  }

  /** {@code text} centred horizontally on {@code cx}. */
  void textCentred(int cx, int y, String text, byte colour, int scale) {
    text(cx - PixelFont.width(text, scale) / 2, y, text, colour, scale);
  }

  /** {@code text} read from bottom to top, centred vertically on {@code cy}, its left edge at {@code x}. */
  void textUp(int x, int cy, String text, byte colour) {
    int bottom = cy + PixelFont.width(text, 1) / 2;
    for (int k = 0; k < text.length(); k++) {
      int base = bottom - k * PixelFont.ADVANCE;
      for (int gy = 0; gy < PixelFont.HEIGHT; gy++) {
        for (int gx = 0; gx < PixelFont.WIDTH; gx++) {
          if (PixelFont.ink(text.charAt(k), gx, gy)) {
            set(x + gy, base - gx, colour);
          }
        }
      }
    }
  }

  byte[] toPng() {
    return Png.encode(width, height, pixels, PALETTE);
  }

  public void writePng(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, toPng());
  }
}
