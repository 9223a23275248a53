package io.mlops.internal.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes saving the hash state of one repository keep each other's entries. */
class StateStoreMergeTest {
  @Test
  void concurrentSavesLoseNoEntries(@TempDir Path dir) throws IOException {
    Path state = dir.resolve(".dvc/tmp/mlops-state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    BasicFileAttributes aa = Files.readAttributes(a, BasicFileAttributes.class);
    BasicFileAttributes ba = Files.readAttributes(b, BasicFileAttributes.class);

    StateStore one = StateStore.open(state);
    StateStore two = StateStore.open(state); // both read the same (empty) state
    one.put(a, aa, "md5", "0cc175b9c0f1b6a831c399e269772661");
    two.put(b, ba, "md5", "92eb5ffee6ae2fec3ad71c777531578f");
    one.save();
    two.save(); // before the merge, this overwrote one's entry

    StateStore reopened = StateStore.open(state);
    assertEquals("0cc175b9c0f1b6a831c399e269772661", reopened.get(a, aa, "md5"));
    assertEquals("92eb5ffee6ae2fec3ad71c777531578f", reopened.get(b, ba, "md5"));
  }
}
