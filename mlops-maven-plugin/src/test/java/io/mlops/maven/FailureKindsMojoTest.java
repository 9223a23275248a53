package io.mlops.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlops.testing.Fields;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors keep their kind through the adapter: something to fix in the repository is a build failure
 * ({@link MojoFailureException}), a failing environment a build error ({@link MojoExecutionException}); both are one
 * message that says what to do.
 */
class FailureKindsMojoTest {
  @TempDir Path root;

  private Path repo(String dvcYaml) throws Exception {
    Files.createDirectories(root.resolve(".dvc"));
    Files.writeString(root.resolve(".dvc/config"), "[core]\n    no_scm = True\n");
    Files.writeString(root.resolve("dvc.yaml"), dvcYaml);
    return root;
  }

  @Test
  void aBrokenDvcYamlIsABuildFailureNamingFileAndLine() throws Exception {
    repo("stages:\n  train:\n    cmd: echo hi\n    outs: [a.txt]\n    depz: [x]\n");
    ReproMojo m = new ReproMojo();
    Fields.set(m, "root", root.toFile());
    MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
    assertTrue(e.getMessage().contains("dvc.yaml:5"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
  }

  @Test
  void aRemoteThatCannotBeWrittenIsABuildError() throws Exception {
    repo("stages:\n  make:\n    cmd: echo data > a.txt\n    outs: [a.txt]\n");
    ReproMojo repro = new ReproMojo();
    Fields.set(repro, "root", root.toFile());
    repro.execute();
    Path blocker = Files.writeString(root.resolve("not-a-directory"), "a file where the remote's directory should be");
    PushMojo push = new PushMojo();
    Fields.set(push, "root", root.toFile());
    Fields.set(push, "remoteUrl", blocker.resolve("store").toString());
    MojoExecutionException e = assertThrows(MojoExecutionException.class, push::execute);
    assertTrue(e.getMessage().contains("failed to push"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"),
        "no exception class in the message: " + e.getMessage());
  }
}
