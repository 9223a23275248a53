package io.mlops.internal.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download sink: the file holds exactly the bytes written and md5() is theirs, inline and on its thread. */
class Md5FileSinkTest {
  @TempDir Path dir;

  @Test
  void theFileAndTheMd5AreThoseOfTheBytesWrittenWhateverTheSizesAndWrites() throws IOException {
    Random rnd = new Random(11);
    int block = Md5FileSink.BLOCK_BYTES;
    int[] sizes = {0, 1, 4096, Md5FileSink.INLINE_BYTES, Md5FileSink.INLINE_BYTES + 1, 3 * block - 1, 3 * block,
        3 * block + 17, (Md5FileSink.BLOCKS + 5) * block + 12345};
    for (int size : sizes) {
      byte[] data = new byte[size];
      rnd.nextBytes(data);
      Path target = dir.resolve("o" + size);
      Files.write(target, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9}); // a failed attempt's leftover: truncated
      String md5;
      try (Md5FileSink sink = Md5FileSink.create(target)) {
        int off = 0;
        while (off < size) {
          int n = Math.min(size - off, rnd.nextInt(3) == 0 ? 1 : 1 + rnd.nextInt(300_000));
          if (n == 1) {
            sink.write(data[off]);
          } else {
            sink.write(data, off, n);
          }
          off += n;
        }
        assertEquals(size, sink.written());
        md5 = sink.md5();
        assertEquals(md5, sink.md5(), "md5() may be asked again");
        assertThrows(IOException.class, () -> sink.write(1), "nothing is written after md5()");
      }
      assertEquals(FileHasher.md5Hex(data), md5, "size " + size);
      assertArrayEquals(data, Files.readAllBytes(target), "size " + size);
    }
  }

  @Test
  void closingWithoutMd5StopsTheHashingThread() throws Exception {
    byte[] data = new byte[5 * Md5FileSink.BLOCK_BYTES];
    new Random(3).nextBytes(data);
    try (Md5FileSink sink = Md5FileSink.create(dir.resolve("x"))) {
      sink.write(data); // a download that breaks off: the caller closes the sink and retries
    }
    for (int i = 0; i < 100 && hasherAlive(); i++) {
      Thread.sleep(20);
    }
    assertFalse(hasherAlive(), "the mlops-md5 thread ended");
  }

  private static boolean hasherAlive() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("mlops-md5") && t.isAlive());
  }
}
