package io.mlops.internal.plots;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer: 8-bit RGB, no filtering, one IDAT chunk, no ancillary chunks (no timestamps or
 * gamma), so equal pixels give equal bytes. Compression is {@link Deflater} at level 9; its output is fixed
 * for a given zlib build (the JDK's bundled zlib on most platforms).
 */
final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

  private PngEncoder() {}

  static byte[] encode(int width, int height, int[] rgb) {
    byte[] raw = new byte[height * (1 + 3 * width)];
    int at = 0;
    for (int y = 0; y < height; y++) {
      raw[at++] = 0; // filter: none
      for (int x = 0; x < width; x++) {
        int p = rgb[y * width + x];
        raw[at++] = (byte) (p >> 16);
        raw[at++] = (byte) (p >> 8);
        raw[at++] = (byte) p;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    writeInt(header, width);
    writeInt(header, height);
    header.writeBytes(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter method, no interlace
    chunk(out, "IHDR", header.toByteArray());
    chunk(out, "IDAT", deflate(raw));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 8 + 64);
      byte[] buf = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    writeInt(out, data.length);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    writeInt(out, (int) crc.getValue());
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
