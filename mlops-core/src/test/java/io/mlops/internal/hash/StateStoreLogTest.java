package io.mlops.internal.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash state is an append-only log: a run writes what it hashed, a torn line is never trusted. */
class StateStoreLogTest {
  private static final String MD5_A = "0cc175b9c0f1b6a831c399e269772661";
  private static final String MD5_B = "92eb5ffee6ae2fec3ad71c777531578f";

  @TempDir Path dir;

  /** A run that hashed one file and saved the state. */
  private void saveOne(Path state, Path file, String md5) throws IOException {
    StateStore s = StateStore.open(state);
    s.put(file, attrs(file), "md5", md5);
    s.save();
  }

  private BasicFileAttributes attrs(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class);
  }

  @Test
  void aSaveAppendsOnlyWhatItHashed() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    saveOne(state, a, MD5_A);
    List<String> first = Files.readAllLines(state);
    assertEquals(2, first.size(), "header and one line: " + first);

    StateStore two = StateStore.open(state);
    assertEquals(MD5_A, two.get(a, attrs(a), "md5"));
    two.put(a, attrs(a), "md5", MD5_A); // unchanged: nothing to write
    two.put(b, attrs(b), "md5", MD5_B);
    two.save();
    List<String> second = Files.readAllLines(state);
    assertEquals(3, second.size(), "only b's line was added: " + second);
    assertEquals(first, second.subList(0, 2), "the earlier lines are left as they were");

    StateStore three = StateStore.open(state);
    assertEquals(MD5_A, three.get(a, attrs(a), "md5"));
    assertEquals(MD5_B, three.get(b, attrs(b), "md5"));
    three.save(); // nothing hashed: the file is not touched
    assertEquals(second, Files.readAllLines(state));
  }

  @Test
  void theLastLineForAFileWins() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    saveOne(state, a, MD5_B);
    saveOne(state, a, MD5_A);
    assertEquals(MD5_A, StateStore.open(state).get(a, attrs(a), "md5"));
  }

  @Test
  void aLineTornByACrashIsSkippedAndTheNextSaveStartsAFreshLine() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    saveOne(state, a, MD5_A);
    // a crash in the middle of appending b's line: its md5 is cut short and there is no newline
    Path other = dir.resolve("other");
    saveOne(other, b, MD5_B);
    String full = Files.readAllLines(other).get(1); // b's real line, with its inode, mtime and size
    String torn = full.substring(0, full.length() - 10);
    Files.write(state, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

    StateStore two = StateStore.open(state);
    assertEquals(MD5_A, two.get(a, attrs(a), "md5"));
    assertNull(two.get(b, attrs(b), "md5"), "a torn line is not trusted");
    two.put(b, attrs(b), "md5", MD5_B);
    two.save();

    StateStore three = StateStore.open(state);
    assertEquals(MD5_A, three.get(a, attrs(a), "md5"));
    assertEquals(MD5_B, three.get(b, attrs(b), "md5"));
    List<String> lines = Files.readAllLines(state);
    assertEquals(torn, lines.get(2), "the torn fragment stays alone on its line");
  }

  @Test
  void aLineWithACutMd5IsNotTrusted() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    saveOne(state, a, MD5_A);
    String line = Files.readAllLines(state).get(1);
    Files.writeString(state, "mlops-state 2\n" + line.substring(0, line.length() - 1) + "\n");
    assertNull(StateStore.open(state).get(a, attrs(a), "md5"));
  }

  @Test
  void aMostlyStaleLogIsRewritten() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    StringBuilder log = new StringBuilder("mlops-state 2\n");
    // 3000 earlier versions of a's file (same inode, older mtimes)
    for (int i = 0; i < 3000; i++) {
      log.append("md5\t").append(attrs(a).fileKey()).append('\t').append(i).append("\t1\t").append(MD5_B).append('\n');
    }
    Files.writeString(state, log);
    saveOne(state, a, MD5_A);
    List<String> lines = Files.readAllLines(state);
    assertEquals(2, lines.size(), "3000 lines for one file were compacted to one");
    assertTrue(lines.get(1).endsWith(MD5_A));
    assertEquals(MD5_A, StateStore.open(state).get(a, attrs(a), "md5"));
  }

  @Test
  void aRenamedFileKeepsItsHashLikeDvcsInodeKeyedState() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    saveOne(state, a, MD5_A);
    Path moved = Files.move(a, dir.resolve("moved.txt"));
    assertEquals(MD5_A, StateStore.open(state).get(moved, attrs(moved), "md5"));
  }

  @Test
  void aVersionOneLogIsReadAndRewrittenAsVersionTwo() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    BasicFileAttributes aa = attrs(a);
    long mtime = aa.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    Files.writeString(state, "mlops-state 1\n" + a + "\tmd5\t" + aa.fileKey() + "\t" + mtime + "\t1\t" + MD5_A + "\n");
    StateStore s = StateStore.open(state);
    assertEquals(MD5_A, s.get(a, aa, "md5"), "the hash an earlier version remembered");
    s.put(b, attrs(b), "md5", MD5_B);
    s.save();
    List<String> lines = Files.readAllLines(state);
    assertEquals("mlops-state 2", lines.get(0));
    assertEquals(3, lines.size(), "a's entry kept, b's added: " + lines);
    StateStore again = StateStore.open(state);
    assertEquals(MD5_A, again.get(a, aa, "md5"));
    assertEquals(MD5_B, again.get(b, attrs(b), "md5"));
  }

  @Test
  void aMillionEntriesSaveAndLoadInStreams() throws IOException {
    Path state = dir.resolve("state");
    StateStore s = StateStore.open(state);
    Path f = dir.resolve("f");
    for (int i = 1; i <= 1_000_000; i++) {
      s.put(f, "(dev=803,ino=" + i + ")", i, i % 4096, "md5", String.format("%032x", i));
    }
    s.save();
    StateStore again = StateStore.open(state);
    for (int i = 1; i <= 1_000_000; i += 9973) {
      assertEquals(String.format("%032x", i), again.get(f, "(dev=803,ino=" + i + ")", i, i % 4096, "md5"));
      assertNull(again.get(f, "(dev=803,ino=" + i + ")", i + 1, i % 4096, "md5"), "another mtime");
    }
    assertEquals(1_000_001, Files.readAllLines(state).size());
  }

  /** Attributes with a file key of another platform's form (or none), as the JDK gives elsewhere than on Linux. */
  private static BasicFileAttributes withKey(BasicFileAttributes real, Object key) {
    return new BasicFileAttributes() {
      @Override public java.nio.file.attribute.FileTime lastModifiedTime() { return real.lastModifiedTime(); }
      @Override public java.nio.file.attribute.FileTime lastAccessTime() { return real.lastAccessTime(); }
      @Override public java.nio.file.attribute.FileTime creationTime() { return real.creationTime(); }
      @Override public boolean isRegularFile() { return true; }
      @Override public boolean isDirectory() { return false; }
      @Override public boolean isSymbolicLink() { return false; }
      @Override public boolean isOther() { return false; }
      @Override public long size() { return real.size(); }
      @Override public Object fileKey() { return key; }
    };
  }

  @Test
  void entriesKeptAsNumbersReadBackAsTheSameLinesAndOtherFormsAsText() throws IOException {
    Path state = dir.resolve("state");
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    Path c = Files.writeString(dir.resolve("c.txt"), "c");
    StateStore s = StateStore.open(state);
    // an md5 starting with zeros, Linux's key; a key of another form; no key at all (null)
    String zeros = "000000000000000f00000000000000a0";
    s.put(a, attrs(a), "md5", zeros);
    s.put(b, withKey(attrs(b), "file-index 42 on volume 7"), "md5", MD5_B);
    s.put(c, withKey(attrs(c), null), "md5-dos2unix", MD5_A);
    s.save();
    String text = Files.readString(state);
    assertTrue(text.contains("\t" + zeros + "\n"), text);
    assertTrue(text.contains("\nmd5\tfile-index 42 on volume 7\t"), text);
    assertTrue(text.contains("\nmd5-dos2unix\tpath:" + c + "\t"), "no file key: the path is the key " + text);
    assertTrue(text.contains("\nmd5\t" + attrs(a).fileKey() + "\t"), "Linux's key printed back as read: " + text);

    StateStore again = StateStore.open(state);
    assertEquals(zeros, again.get(a, attrs(a), "md5"));
    assertEquals(MD5_B, again.get(b, withKey(attrs(b), "file-index 42 on volume 7"), "md5"));
    assertNull(again.get(b, withKey(attrs(b), "file-index 43 on volume 7"), "md5"), "another file");
    assertEquals(MD5_A, again.get(c, withKey(attrs(c), null), "md5-dos2unix"));
    assertNull(again.get(c, withKey(attrs(c), null), "md5"), "each hash name has its own entry");
    again.put(a, attrs(a), "md5", zeros);
    again.save(); // nothing changed: nothing appended
    assertEquals(text, Files.readString(state));
  }
}
