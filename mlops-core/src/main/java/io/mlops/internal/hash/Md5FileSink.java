package io.mlops.internal.hash;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A download's destination: writes the bytes to a file and computes their md5 as they pass, so that a downloaded
 * object is verified without reading it again. The first {@value #INLINE_BYTES} bytes are hashed by the writing
 * thread; beyond that (a large object) the bytes are handed in blocks to a hashing thread of their own, so that
 * MD5 (about 700 MB/s on one core) runs beside the network instead of after it. At most {@value #BLOCKS} blocks of
 * {@value #BLOCK_BYTES} bytes are in flight; a writer that gets ahead waits.
 *
 * <p>Not thread-safe: one writer. {@link #md5()} ends the stream and returns the hex digest; {@link #close()} closes
 * the file (and stops the hashing thread if {@link #md5()} was not called).
 */
public final class Md5FileSink extends OutputStream {
  static final int INLINE_BYTES = 1 << 20;
  static final int BLOCK_BYTES = 1 << 20;
  static final int BLOCKS = 8;
  private static final byte[] END = new byte[0];

  private final FileChannel out;
  private final MessageDigest md = FileHasher.md5();
  private long written;
  private BlockingQueue<byte[]> full;
  private BlockingQueue<byte[]> free;
  private Thread hasher;
  private volatile Throwable hasherFailure;
  private byte[] block;
  private int fill;
  private String digest;

  private Md5FileSink(FileChannel out) {
    this.out = out;
  }

  /** Creates (or truncates) {@code target} and returns a sink writing to it. */
  public static Md5FileSink create(Path target) throws IOException {
    return new Md5FileSink(FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING));
  }

  /** The number of bytes written so far. */
  public long written() {
    return written;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (digest != null) {
      throw new IOException("write after md5()");
    }
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    hash(b, off, len);
    written += len;
  }

  private void hash(byte[] b, int off, int len) throws IOException {
    if (hasher == null && written + len <= INLINE_BYTES) {
      md.update(b, off, len);
      return;
    }
    if (hasher == null) {
      startHasher();
    }
    while (len > 0) {
      int n = Math.min(len, BLOCK_BYTES - fill);
      System.arraycopy(b, off, block, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == BLOCK_BYTES) {
        handOff(block, fill);
        block = take(free);
        fill = 0;
      }
    }
  }

  private void startHasher() {
    full = new ArrayBlockingQueue<>(BLOCKS + 1);
    free = new ArrayBlockingQueue<>(BLOCKS);
    for (int i = 1; i < BLOCKS; i++) {
      free.add(new byte[BLOCK_BYTES]);
    }
    block = new byte[BLOCK_BYTES];
    fill = 0;
    hasher = new Thread(this::hashBlocks, "mlops-md5");
    hasher.setDaemon(true);
    hasher.start();
  }

  /** The hashing thread: digests full blocks in order; a block shorter than the others is the last one. */
  private void hashBlocks() {
    try {
      while (true) {
        byte[] b = full.take();
        if (b == END) {
          return;
        }
        md.update(b, 0, b.length);
        if (b.length == BLOCK_BYTES) {
          free.put(b);
        }
      }
    } catch (InterruptedException e) {
      // closed early
    } catch (Throwable t) {
      hasherFailure = t;
    }
  }

  private void handOff(byte[] b, int n) throws IOException {
    checkHasher();
    byte[] item = n == BLOCK_BYTES ? b : java.util.Arrays.copyOf(b, n);
    try {
      full.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing a download");
    }
  }

  private byte[] take(BlockingQueue<byte[]> q) throws IOException {
    try {
      return q.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing a download");
    }
  }

  private void checkHasher() throws IOException {
    Throwable t = hasherFailure;
    if (t != null) {
      throw new IOException("hashing the download failed: " + t, t);
    }
  }

  /** Ends the stream: the md5 (lower-case hex) of every byte written. */
  public String md5() throws IOException {
    if (digest != null) {
      return digest;
    }
    if (hasher != null) {
      if (fill > 0) {
        handOff(block, fill);
      }
      try {
        full.put(END);
        hasher.join();
      } catch (InterruptedException e) {
        hasher.interrupt();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing a download");
      }
      checkHasher();
    }
    digest = FileHasher.hex(md.digest());
    return digest;
  }

  @Override
  public void close() throws IOException {
    if (hasher != null && digest == null) {
      hasher.interrupt();
    }
    out.close();
  }
}
