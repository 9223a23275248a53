package io.mlops.examples.digits.plot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * A PNG encoder whose bytes depend only on the pixels: an indexed-colour image (4 bits a pixel, up to 16
 * colours) whose zlib stream uses stored (uncompressed) deflate blocks, so no zlib version or compression
 * setting can change the output. CRC32 and Adler32 come from {@code java.util.zip}; no chunk carries a
 * time or any other metadata.
 */
final class Png {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int MAX_STORED = 65535;

  private Png() {}

  /**
   * @param pixels palette indices, row by row, {@code width * height} of them
   * @param palette 0xRRGGBB colours, at most 16
   */
  static byte[] encode(int width, int height, byte[] pixels, int[] palette) {
    if (palette.length == 0 || palette.length > 16) {
      throw new IllegalArgumentException("1 to 16 colours, got " + palette.length);
    }
    if (pixels.length != width * height) {
      throw new IllegalArgumentException("pixels do not match " + width + "x" + height);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(SIGNATURE);

    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    int32(ihdr, width);
    int32(ihdr, height);
    ihdr.write(4); // bit depth
    ihdr.write(3); // colour type: indexed
    ihdr.write(0); // compression: deflate
    ihdr.write(0); // filter method 0
    ihdr.write(0); // no interlace
    chunk(png, "IHDR", ihdr.toByteArray());

    ByteArrayOutputStream plte = new ByteArrayOutputStream();
    for (int c : palette) {
      plte.write(c >> 16 & 0xff);
      plte.write(c >> 8 & 0xff);
      plte.write(c & 0xff);
    }
    chunk(png, "PLTE", plte.toByteArray());

    int rowBytes = (width + 1) / 2;
    byte[] raw = new byte[height * (1 + rowBytes)];
    int k = 0;
    for (int y = 0; y < height; y++) {
      raw[k++] = 0; // filter type None
      for (int x = 0; x < width; x += 2) {
        int hi = pixels[y * width + x] & 0x0f;
        int lo = x + 1 < width ? pixels[y * width + x + 1] & 0x0f : 0;
        raw[k++] = (byte) (hi << 4 | lo);
      }
    }
    chunk(png, "IDAT", zlibStored(raw));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00). */
  static byte[] zlibStored(byte[] data) {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    z.write(0x78); // deflate, 32K window
    z.write(0x01); // no dictionary, fastest; (0x7801 % 31 == 0)
    int off = 0;
    do {
      int len = Math.min(MAX_STORED, data.length - off);
      boolean last = off + len == data.length;
      z.write(last ? 1 : 0);
      z.write(len & 0xff);
      z.write(len >> 8 & 0xff);
      z.write(~len & 0xff);
      z.write(~len >> 8 & 0xff);
      z.write(data, off, len);
      off += len;
    } while (off < data.length);
    Adler32 adler = new Adler32();
    adler.update(data);
    int32(z, (int) adler.getValue());
    return z.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    int32(png, data.length);
    png.writeBytes(t);
    png.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    int32(png, (int) crc.getValue());
  }

  private static void int32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24 & 0xff);
    out.write(v >>> 16 & 0xff);
    out.write(v >>> 8 & 0xff);
    out.write(v & 0xff);
  }
}
