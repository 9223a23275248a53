package io.mlops.internal.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body of the JDK's HTTP client read from the connection's publisher as the caller reads it, each wait
 * for data bounded by the read timeout (a stalled transfer fails with an {@link HttpTimeoutException} instead of
 * hanging). Closing it before the end cancels the transfer (the connection is dropped).
 */
final class TimedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
  private static final List<ByteBuffer> END = List.of();
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final long timeoutNanos;
  private volatile Flow.Subscription subscription;
  private ByteBuffer current;
  private boolean done;
  private boolean closed;

  /** A body whose waits are bounded by {@code timeout}; null or zero waits without limit. */
  TimedBody(Flow.Publisher<List<ByteBuffer>> publisher, Duration timeout) {
    this.timeoutNanos = timeout == null ? 0 : timeout.toNanos();
    publisher.subscribe(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  private boolean fill() throws IOException {
    while (!done && (current == null || !current.hasRemaining())) {
      if (closed) {
        throw new IOException("the response body was closed");
      }
      Object next;
      try {
        next = timeoutNanos == 0 ? queue.take() : queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the response");
      }
      if (next == null) {
        cancel();
        throw new HttpTimeoutException("no response data for " + Duration.ofNanos(timeoutNanos).toSeconds()
            + " s");
      }
      if (next instanceof Throwable t) {
        done = true;
        throw t instanceof IOException io ? io : new IOException(t);
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> buffers = (List<ByteBuffer>) next;
      if (buffers == END) {
        done = true;
        break;
      }
      // one list at a time: the next is requested once this one is used up
      int size = 0;
      for (ByteBuffer bb : buffers) {
        size += bb.remaining();
      }
      ByteBuffer joined = ByteBuffer.allocate(size);
      for (ByteBuffer bb : buffers) {
        joined.put(bb);
      }
      joined.flip();
      current = joined;
      subscription.request(1);
    }
    return !done || (current != null && current.hasRemaining());
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (!done) {
        cancel();
      }
    }
  }
}
