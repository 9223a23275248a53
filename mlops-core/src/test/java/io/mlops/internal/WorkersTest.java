package io.mlops.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One pool per kind of work, sized on its own, with named daemon threads. */
class WorkersTest {
  @Test
  void eachKindRunsOnItsOwnNamedDaemonThreadsWithinItsLimit() {
    List<Integer> items = IntStream.range(0, 200).boxed().toList();
    try (Workers w = new Workers(2, 1, 8)) {
      Set<String> names = ConcurrentHashMap.newKeySet();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger peak = new AtomicInteger();
      List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      w.forEach(Workers.Kind.TRANSFER, items, 5, i -> {
        int now = running.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        names.add(Thread.currentThread().getName());
        assertTrue(Thread.currentThread().isDaemon());
        seen.add(i);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
      });
      assertEquals(200, seen.size(), "every item once");
      assertEquals(Set.copyOf(items), Set.copyOf(seen));
      assertTrue(peak.get() <= 5 && peak.get() >= 2, "at most the limit at a time: " + peak.get());
      assertTrue(names.stream().allMatch(n -> n.matches("mlops-transfer-\\d+")), names.toString());
      assertEquals(2, w.jobs(Workers.Kind.HASH));
      assertEquals(1, w.jobs(Workers.Kind.STAGE));
    }
  }

  @Test
  void theFirstFailureIsThrownAndTheRestStop() {
    try (Workers w = new Workers(1, 1, 4)) {
      AtomicInteger done = new AtomicInteger();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> w.forEach(Workers.Kind.HASH, IntStream.range(0, 10_000).boxed().toList(), 4, i -> {
            if (i == 10) {
              throw new IllegalStateException("item 10");
            }
            done.incrementAndGet();
          }));
      assertEquals("item 10", e.getMessage());
      assertTrue(done.get() < 9_999, "the queue is dropped after a failure: " + done.get());
    }
  }
}
