package io.mlops.internal;

import io.mlops.api.MlopsException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The thread policy of an open repository: one pool per kind of work, each sized on its own, created when first
 * used, with named daemon threads ({@code mlops-hash-1}, {@code mlops-stage-1}, {@code mlops-transfer-1}) that
 * never keep a JVM alive, and stopped when the repository closes. Work of one kind never waits for work of the
 * same kind, so the pools cannot deadlock each other: stages may hash and transfer, transfers may hash.
 */
public final class Workers implements AutoCloseable {
  /** A kind of work and its pool. */
  public enum Kind {
    /** hashing file contents: CPU and disk bound */
    HASH("mlops-hash"),
    /** running independent stages of repro */
    STAGE("mlops-stage"),
    /** copying objects to and from remotes: network bound */
    TRANSFER("mlops-transfer");

    private final String threadName;

    Kind(String threadName) {
      this.threadName = threadName;
    }
  }

  private final Map<Kind, Integer> sizes = new EnumMap<>(Kind.class);
  private final Map<Kind, ThreadPoolExecutor> pools = new EnumMap<>(Kind.class);

  public Workers(int hashJobs, int stageJobs, int transferJobs) {
    sizes.put(Kind.HASH, Math.max(1, hashJobs));
    sizes.put(Kind.STAGE, Math.max(1, stageJobs));
    sizes.put(Kind.TRANSFER, Math.max(1, transferJobs));
  }

  /** The configured parallelism of a kind. */
  public int jobs(Kind kind) {
    return sizes.get(kind);
  }

  /** The pool of a kind, with at least {@code threads} threads (more than configured when a caller asks). */
  public synchronized ExecutorService pool(Kind kind, int threads) {
    int n = Math.max(threads, 1);
    ThreadPoolExecutor pool = pools.get(kind);
    if (pool == null) {
      AtomicInteger count = new AtomicInteger();
      pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, kind.threadName + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      pool.allowCoreThreadTimeOut(true);
      pools.put(kind, pool);
    } else if (pool.getMaximumPoolSize() < n) {
      pool.setMaximumPoolSize(n);
      pool.setCorePoolSize(n);
    }
    return pool;
  }

  /** The pool of a kind at its configured size. */
  public ExecutorService pool(Kind kind) {
    return pool(kind, jobs(kind));
  }

  /** A list cut into batches for {@code jobs} workers: a few per worker, at least 64 items each. */
  public static <T> List<List<T>> batches(List<T> items, int jobs) {
    int batch = Math.max(64, items.size() / (Math.max(1, jobs) * 8));
    List<List<T>> parts = new ArrayList<>();
    for (int i = 0; i < items.size(); i += batch) {
      parts.add(items.subList(i, Math.min(items.size(), i + batch)));
    }
    return parts;
  }

  /**
   * Runs {@code task} on every item, at most {@code limit} at a time on the kind's pool (in the caller's thread when
   * the limit or the list is 1); the first runtime exception of a task is thrown once all have stopped.
   */
  public <T> void forEach(Kind kind, List<T> items, int limit, Consumer<T> task) {
    int n = Math.min(Math.max(1, limit), items.size());
    if (n <= 1) {
      items.forEach(task);
      return;
    }
    Queue<T> queue = new ConcurrentLinkedQueue<>(items);
    ExecutorService pool = pool(kind, n);
    List<Future<?>> runners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      runners.add(pool.submit(() -> {
        for (T item = queue.poll(); item != null; item = queue.poll()) {
          try {
            task.accept(item);
          } catch (RuntimeException | Error e) {
            queue.clear(); // the other runners stop after their current item
            throw e;
          }
        }
      }));
    }
    RuntimeException first = null;
    try {
      for (Future<?> f : runners) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException re ? re
                : new MlopsException(MlopsException.Kind.INTERNAL, kind.threadName + " task failed: " + e.getCause(),
                    e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runners.forEach(f -> f.cancel(true));
      throw new MlopsException(MlopsException.Kind.ENVIRONMENT, "interrupted", e);
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public synchronized void close() {
    pools.values().forEach(ExecutorService::shutdownNow);
    pools.clear();
  }
}
