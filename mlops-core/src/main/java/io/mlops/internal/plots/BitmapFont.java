package io.mlops.internal.plots;

/**
 * A 5x8 bitmap font for printable ASCII, drawn pixel by pixel so that chart text needs no installed font and
 * is the same on every machine. Cells are 5 columns by 8 rows (the last row holds descenders); characters
 * advance by 6 pixels per scale unit. Characters outside ASCII 32-126 are drawn as '?'.
 */
final class BitmapFont {
  static final int GLYPH_WIDTH = 5;
  static final int GLYPH_HEIGHT = 8;
  static final int ADVANCE = GLYPH_WIDTH + 1;
  private static final int FIRST = 32;
  private static final int LAST = 126;

  /**
   * Glyphs of ' ' to '~' in order, 8 rows each as two hex digits (bit 4 is the leftmost column); the
   * comments list the characters on each line.
   */
  private static final String GLYPHS =
      "000000000000000004040404040004000a0a0000000000000a0a1f0a1f0a0a00040f140e051e04001819020408130300" + //  !"#$%
      "0c12140815120d000404000000000000020408080804020008040202020408000004150e150400000004041f04040000" + // &'()*+
      "00000000000c04080000001f0000000000000000000c0c0000010204081000000e11131519110e00040c140404041f00" + // ,-./01
      "0e11010608101f001e01010e01011e001212121f020202001f101e0101110e000e10101e11110e001f01020404040400" + // 234567
      "0e11110e11110e000e11110f01010e00000c0c000c0c0000000c0c000c040800010204080402010000001f001f000000" + // 89:;<=
      "10080402040810000e110102040004000e11171517100f00040a11111f1111001e11111e11111e000f10101010100f00" + // >?@ABC
      "1c12111111121c001f10101c10101f001f10101c101010000f10101311110e001111111f111111001f04040404041f00" + // DEFGHI
      "0101010111110e0011121418141211001010101010101f00111b15151111110011191915131311000e11111111110e00" + // JKLMNO
      "1e11111e101010000e11111115120d001e11111e141211000f10100e01011e001f040404040404001111111111110e00" + // PQRSTU
      "1111110a0a0404001111111515150a0011110a040a11110011110a04040404001f01020408101f000e08080808080e00" + // VWXYZ[
      "00100804020100000e02020202020e00040a110000000000000000000000001f080400000000000000000e010f110f00" + // \\]^_`a
      "10101e1111111e0000000f1010100f0001010f1111110f0000000e111f100f0006081e080808080000000f11110f010e" + // bcdefg
      "10101e111111110004000c0404040e00020006020202120c10101214181412000c04040404040e0000001a1515151500" + // hijklm
      "00001e111111110000000e1111110e0000001e11111e101000000f11110f0101000016191010100000000f100e011e00" + // nopqrs
      "08081e08080806000000111111110f00000011110a0a04000000111515150a000000110a040a110000001111110f010e" + // tuvwxy
      "00001f0204081f000304040804040300040404040404040018040402040418000000081502000000"; // z{|}~

  private BitmapFont() {}

  /** True when pixel ({@code col}, {@code row}) of the glyph of {@code c} is set. */
  static boolean pixel(char c, int col, int row) {
    int index = (c < FIRST || c > LAST ? '?' : c) - FIRST;
    int at = (index * GLYPH_HEIGHT + row) * 2;
    int bits = Integer.parseInt(GLYPHS.substring(at, at + 2), 16);
    return (bits >> (GLYPH_WIDTH - 1 - col) & 1) != 0;
  }

  /** Width in pixels of {@code text} at {@code scale} (without the trailing gap). */
  static int width(String text, int scale) {
    return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
  }

  /** Height in pixels of a line at {@code scale}. */
  static int height(int scale) {
    return GLYPH_HEIGHT * scale;
  }

  /** Draws {@code text} with its top-left corner at ({@code x}, {@code y}). */
  static void draw(Raster r, int x, int y, String text, int rgb, int scale) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int left = x + i * ADVANCE * scale;
      for (int row = 0; row < GLYPH_HEIGHT; row++) {
        for (int col = 0; col < GLYPH_WIDTH; col++) {
          if (pixel(c, col, row)) {
            r.fillRect(left + col * scale, y + row * scale, scale, scale, rgb);
          }
        }
      }
    }
  }

  /**
   * Draws {@code text} turned 90 degrees counter-clockwise (reading bottom to top), with the bottom-left of the
   * first character at ({@code x}, {@code y}); the text occupies {@code x .. x + height} and
   * {@code y - width .. y}.
   */
  static void drawUp(Raster r, int x, int y, String text, int rgb, int scale) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int bottom = y - i * ADVANCE * scale;
      for (int row = 0; row < GLYPH_HEIGHT; row++) {
        for (int col = 0; col < GLYPH_WIDTH; col++) {
          if (pixel(c, col, row)) {
            r.fillRect(x + row * scale, bottom - (col + 1) * scale, scale, scale, rgb);
          }
        }
      }
    }
  }
}
