package io.mlops.internal.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.internal.ignore.DvcIgnore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File and directory hashes against the vectors asserted in DVC's and dvc-data's own test suites. */
class HashingTest {
  @TempDir Path tmp;

  private Path write(Map<String, String> files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("d" + System.nanoTime()));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
    }
    return dir;
  }

  private HashedObject hashDir(Map<String, String> files, int jobs) throws IOException {
    Path dir = write(files);
    try (WorkspaceHasher h = new WorkspaceHasher(tmp, new DvcIgnore(tmp), StateStore.inMemory(), jobs)) {
      return h.hash(dir, HashInfo.MD5);
    }
  }

  @Test
  void fileVectors() throws IOException {
    Map<String, String> v = Map.of(
        "foo", "acbd18db4cc2f85cedef654fccc4a4d8",
        "bar", "37b51d194a7513e45b56f6524f2d51f2",
        "data", "8d777f385d3dfec8815d20f7496026dc",
        "foo\n", "d3b07384d113edec49eaa6238ad5ff00",
        "363", "00411460f7c92d2124a67ea0f4cb5f85",
        "jk8ssl", "0000000018e6137ac2caab16074784a6",
        "", "d41d8cd98f00b204e9800998ecf8427e");
    for (Map.Entry<String, String> e : v.entrySet()) {
      Path f = tmp.resolve("f");
      Files.writeString(f, e.getKey());
      assertEquals(e.getValue(), FileHasher.md5(f), "md5 of '" + e.getKey() + "'");
    }
  }

  @Test
  void legacyDos2UnixHash() throws IOException {
    Path f = tmp.resolve("crlf");
    Files.write(f, "foo\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("2145971cf82058b108229a3a2e3bff35", FileHasher.md5(f));
    assertEquals("d3b07384d113edec49eaa6238ad5ff00", FileHasher.dos2unixMd5(f));
    Files.write(f, new byte[] {0, '\r', '\n'});
    assertEquals(FileHasher.md5(f), FileHasher.dos2unixMd5(f), "binary files are not normalised");
  }

  @Test
  void directoryVectors() throws IOException {
    assertDir("5ea40360f5b4ec688df672a4db9c17d1.dir", 6, 2, Map.of("foo", "foo", "bar", "bar"));
    assertDir("8761c4e9acad696bee718615e23e22db.dir", 10, 3,
        Map.of("foo", "foo", "bar", "bar", "subdir/data", "data"));
    assertDir("af314506f1622d107e0ed3f14ec1a3b5.dir", 4, 1, Map.of("data", "data"));
    assertDir("5fb6b29836c388e093ca0715c872fe2a.dir", 2, 2, Map.of("1", "1", "2", "2"));
    assertDir("9b5faf37366b3370fd98e3e60ca439c1.dir", 5, 3, Map.of("1", "1", "2", "two", "3", "3"));
    assertDir("cb58ee07cb01044db229e4d6121a0dfc.dir", 10, 2, Map.of("file", "text1", "subdir/file2", "text2"));
    assertDir("6b18131dc289fd37006705affe961ef8.dir", 6, 2, Map.of("one", "one", "two", "two"));
    assertDir("d28c9e28591aeb7e303dc6772ffa6f6b.dir", 4, 1, Map.of("subdir/file", "file"));
    assertDir("1f69c66028c35037e8bf67e5bc4ceb6a.dir", 8, 2, Map.of("bar", "bar\n", "baz", "baz\n"));
    assertDir("b6dcab6ccd17ca0a8bf4a215a37d14cc.dir", 11, 2, Map.of("file", "file", "subdir/subfile", "subfile"));
    assertDir("55d05978954d1b2cd7b06aedda9b9e43.dir", 17, 3,
        Map.of("foo", "foo", "bar", "bar", "sub_dir/baz", "sub_dir/baz"));
    assertDir("85a522cfa174daa4c6ea674319a3d1eb.dir", 16, 2,
        Map.of("train.csv", "a,b\n1,2\n", "sub/labels.txt", "cat\ndog\n"));
  }

  @Test
  void emptyDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    try (WorkspaceHasher h = new WorkspaceHasher(tmp, new DvcIgnore(tmp), StateStore.inMemory(), 1)) {
      HashedObject o = h.hash(dir, HashInfo.MD5);
      assertEquals("d751713988987e9331980363e24189ce.dir", o.hash().value());
      assertEquals(0, o.meta().size());
      assertEquals(0, o.meta().nfiles());
    }
  }

  @Test
  void unicodeNamesSortByCodePointAndEscape() throws IOException {
    Map<String, String> files = new TreeMap<>();
    String[] names = {"a/b", "a-b", "a0", "naïve.txt", "q\"uote\\.txt", "\uFFFD.txt", "\uD83D\uDE00.bin"};
    for (int i = 0; i < names.length; i++) {
      files.put(names[i], String.valueOf(i + 1));
    }
    // expected value: Python json.dumps(sorted entries, sort_keys=True) over the same files, contents "1".."7"
    // in the order of the array above; a backslash is an ordinary file name character on POSIX
    assertEquals("2ddbb617f3dbecf14660bd2d8fddeadb.dir", hashDir(files, 1).hash().value());
  }

  @Test
  void parallelHashingGivesTheSameTree() throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 500; i++) {
      files.put("part" + (i % 7) + "/f" + i + ".txt", "content " + i);
    }
    assertEquals(hashDir(files, 1), hashDir(files, 4));
  }

  @Test
  void dvcignoreAndBuiltInsAreLeftOut() throws IOException {
    Files.writeString(tmp.resolve(".dvcignore"), "*.tmp\n");
    Path dir = write(Map.of("foo", "foo", "bar", "bar", "x.tmp", "ignored", ".git/HEAD", "ref"));
    try (WorkspaceHasher h = new WorkspaceHasher(tmp, new DvcIgnore(tmp), StateStore.inMemory(), 1)) {
      assertEquals("5ea40360f5b4ec688df672a4db9c17d1.dir", h.hash(dir, HashInfo.MD5).hash().value());
    }
  }

  @Test
  void stateStoreSkipsUnchangedFilesAndSeesChanges() throws IOException {
    Path f = tmp.resolve("file");
    Files.writeString(f, "foo");
    Path stateFile = tmp.resolve("state");
    try (WorkspaceHasher h = new WorkspaceHasher(tmp, new DvcIgnore(tmp), StateStore.open(stateFile), 1)) {
      assertEquals("acbd18db4cc2f85cedef654fccc4a4d8", h.hash(f, HashInfo.MD5).hash().value());
      h.state().save();
    }
    assertTrue(Files.readString(stateFile).contains("acbd18db4cc2f85cedef654fccc4a4d8"));
    StateStore reopened = StateStore.open(stateFile);
    var attrs = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
    assertEquals("acbd18db4cc2f85cedef654fccc4a4d8", reopened.get(f.toAbsolutePath(), attrs, HashInfo.MD5));
    Files.writeString(f, "bar!");
    var changed = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
    assertEquals(null, reopened.get(f.toAbsolutePath(), changed, HashInfo.MD5));
  }

  @Test
  void treeParseRejectsPathsLeavingTheDirectory() {
    byte[] bad = "[{\"md5\": \"acbd18db4cc2f85cedef654fccc4a4d8\", \"relpath\": \"../evil\"}]"
        .getBytes(StandardCharsets.UTF_8);
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        io.mlops.api.MlopsException.class, () -> Tree.parse(bad, HashInfo.MD5, "x.dir"));
    assertTrue(e.getMessage().contains("../evil"));
    byte[] abs = "[{\"md5\": \"acbd18db4cc2f85cedef654fccc4a4d8\", \"relpath\": \"/etc/passwd\"}]"
        .getBytes(StandardCharsets.UTF_8);
    assertFalse(abs.length == 0);
    org.junit.jupiter.api.Assertions.assertThrows(
        io.mlops.api.MlopsException.class, () -> Tree.parse(abs, HashInfo.MD5, "x.dir"));
  }

  private void assertDir(String expected, long size, int nfiles, Map<String, String> files) throws IOException {
    HashedObject o = hashDir(files, 1);
    assertEquals(expected, o.hash().value(), "tree of " + files.keySet());
    assertEquals(size, o.meta().size());
    assertEquals(nfiles, o.meta().nfiles());
  }
}
