package io.mlops.internal.ignore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DvcIgnoreTest {
  @TempDir Path root;

  @Test
  void builtInDirectoriesAreIgnoredAtAnyDepth() {
    DvcIgnore ig = new DvcIgnore(root);
    assertTrue(ig.isIgnored(".git", true));
    assertTrue(ig.isIgnored("sub/.git/HEAD", false));
    assertTrue(ig.isIgnored(".dvc/cache", true));
    assertTrue(ig.isIgnored("a/.hg", true));
    assertFalse(ig.isIgnored("data/train.csv", false));
  }

  @Test
  void gitwildmatchPatterns() throws IOException {
    Files.writeString(root.resolve(".dvcignore"),
        "# comment\n*.log\n/build/\ndocs/**/*.tmp\n!keep.log\nlogs/\n**/cache-*\n");
    DvcIgnore ig = new DvcIgnore(root);
    assertTrue(ig.isIgnored("a.log", false));
    assertTrue(ig.isIgnored("deep/down/b.log", false));
    assertFalse(ig.isIgnored("keep.log", false), "negation re-includes");
    assertTrue(ig.isIgnored("build", true));
    assertTrue(ig.isIgnored("build/x.class", false), "inside an ignored directory");
    assertFalse(ig.isIgnored("sub/build", true), "anchored pattern only matches at the root");
    assertTrue(ig.isIgnored("docs/a/b/c.tmp", false));
    assertTrue(ig.isIgnored("docs/c.tmp", false));
    assertFalse(ig.isIgnored("logs", false), "dir-only pattern does not match a file");
    assertTrue(ig.isIgnored("x/logs", true));
    assertTrue(ig.isIgnored("a/b/cache-1", false));
  }

  @Test
  void nestedIgnoreFilesApplyBelowTheirDirectory() throws IOException {
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/.dvcignore"), "*.bak\n");
    DvcIgnore ig = new DvcIgnore(root);
    assertTrue(ig.isIgnored("data/x.bak", false));
    assertFalse(ig.isIgnored("x.bak", false));
  }
}
