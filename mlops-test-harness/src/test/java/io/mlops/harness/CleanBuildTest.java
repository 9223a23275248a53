package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean builds in the runner image (scripts/build-images.sh runner): only committed files reach the container,
 * staged repositories resolve offline, the environment arrives with secrets masked, exit codes come back.
 * The projects are plugin-free POMs, so these tests need no network.
 */
@RequiresDocker
class CleanBuildTest {
    @TempDir Path project;
    @TempDir Path staged;

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> "git " + String.join(" ", args) + ": " + out);
    }

    private void commitPom(String nameExpression, String parent) throws Exception {
        Files.writeString(project.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + parent
                + "  <groupId>io.test</groupId><artifactId>clean</artifactId><version>1.0</version>\n"
                + "  <packaging>pom</packaging>\n"
                + "  <name>" + nameExpression + "</name>\n"
                + "</project>\n");
        Files.writeString(project.resolve("committed.txt"), "in git\n");
        Files.writeString(project.resolve(".gitignore"), "ignored.txt\n");
        git(project, "init", "-q");
        git(project, "add", "-A");
        git(project, "commit", "-q", "-m", "project");
        Files.writeString(project.resolve("ignored.txt"), "ignored\n");
        Files.writeString(project.resolve("untracked.txt"), "not committed\n");
    }

    @Test
    void onlyCommittedFilesReachTheBuildAndSecretsAreMasked() throws Exception {
        commitPom("built with ${env.MLOPS_SECRET} and ${env.PLAIN}", "");
        BuildResult r = CleanBuild.of(project)
                .withSecret("MLOPS_SECRET", "s3cr3t-value-42")
                .withEnv("PLAIN", "plain-value")
                .run("-B", "-o", "validate");
        ReproAssert.assertThat(r).succeeded()
                .logContains("built with **** and plain-value")
                .logDoesNotContain("s3cr3t-value-42");
        assertTrue(Files.isRegularFile(r.workspace().resolve("committed.txt")));
        assertFalse(Files.exists(r.workspace().resolve("untracked.txt")), "untracked files stay on the host");
        assertFalse(Files.exists(r.workspace().resolve("ignored.txt")), "ignored files stay on the host");
        assertFalse(Files.exists(r.workspace().resolve(".git")), "the copy leaves out .git");
        assertTrue(r.log().contains("[clean-build] "), r.log());
    }

    @Test
    void aStagedRepositoryResolvesWithoutNetworkAndOldCommitsCanBeBuilt() throws Exception {
        Path parentDir = staged.resolve("io/test/staged-parent/1.0");
        Files.createDirectories(parentDir);
        Files.writeString(parentDir.resolve("staged-parent-1.0.pom"),
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                        + "<groupId>io.test</groupId><artifactId>staged-parent</artifactId><version>1.0</version>"
                        + "<packaging>pom</packaging><properties><greeting>from the staged parent</greeting>"
                        + "</properties></project>");
        commitPom("${greeting}", "  <parent><groupId>io.test</groupId><artifactId>staged-parent</artifactId>"
                + "<version>1.0</version><relativePath/></parent>\n");
        String first = new String(new ProcessBuilder("git", "rev-parse", "HEAD").directory(project.toFile())
                .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Files.writeString(project.resolve("committed.txt"), "second\n");
        git(project, "commit", "-q", "-am", "second");

        BuildResult r = CleanBuild.of(project).at(first).withStagedRepository(staged).run("-B", "-o", "validate");
        ReproAssert.assertThat(r).succeeded().logContains("from the staged parent");
        assertEquals(first, r.commit());
        assertEquals("in git\n", r.read("committed.txt"), "the requested commit, not HEAD");

        BuildResult without = CleanBuild.of(project).run("-B", "-o", "validate");
        assertEquals(1, without.exitCode(), without.log());
        AssertionError e = assertThrows(AssertionError.class,
                () -> ReproAssert.assertThat(without).succeeded());
        assertTrue(e.getMessage().contains("staged-parent"), "the failure shows the log tail: " + e.getMessage());
    }

    @Test
    void aScriptRunsSeveralCommandsStopsAtTheFirstFailureAndEveryMvnSeesTheStagedRepository() throws Exception {
        Path parentDir = staged.resolve("io/test/staged-parent/1.0");
        Files.createDirectories(parentDir);
        Files.writeString(parentDir.resolve("staged-parent-1.0.pom"),
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                        + "<groupId>io.test</groupId><artifactId>staged-parent</artifactId><version>1.0</version>"
                        + "<packaging>pom</packaging><properties><greeting>staged</greeting></properties></project>");
        commitPom("${greeting}", "  <parent><groupId>io.test</groupId><artifactId>staged-parent</artifactId>"
                + "<version>1.0</version><relativePath/></parent>\n");
        BuildResult ok = CleanBuild.of(project).withStagedRepository(staged).withEnv("STEP", "two")
                .runScript("mvn -B -o validate\necho \"step $STEP\" > step.txt\nmvn -B -o validate -q");
        ReproAssert.assertThat(ok).succeeded().logContains("Building staged");
        assertEquals("step two\n", Files.readString(ok.workspace().resolve("step.txt")));

        BuildResult failed = CleanBuild.of(project).runScript("echo first > first.txt\nfalse\necho never > never.txt");
        assertEquals(1, failed.exitCode(), failed.log());
        assertTrue(Files.isRegularFile(failed.workspace().resolve("first.txt")));
        assertFalse(Files.exists(failed.workspace().resolve("never.txt")), "sh -e stops at the failing command");
    }

    @Test
    void clearErrorsForAMissingRepositoryCommitOrImage(@TempDir Path notGit) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> CleanBuild.of(notGit));
        commitPom("x", "");
        IllegalArgumentException noCommit = assertThrows(IllegalArgumentException.class,
                () -> CleanBuild.of(project).at("no-such-branch").run());
        assertTrue(noCommit.getMessage().contains("no-such-branch"), noCommit.getMessage());
        IllegalStateException noImage = assertThrows(IllegalStateException.class,
                () -> CleanBuild.of(project).withImage("local/not-there:1").run());
        assertTrue(noImage.getMessage().contains("scripts/build-images.sh runner"), noImage.getMessage());
    }

    @Test
    void reportAndLockAssertions(@TempDir Path ws) throws Exception {
        String lock = "schema: '2.0'\nstages:\n  train:\n    cmd: t\n    outs:\n    - path: model.bin\n"
                + "      hash: md5\n      md5: 0123456789abcdef0123456789abcdef\n      size: 3\n";
        Path report = ws.resolve(ReproReport.DEFAULT_PATH);
        Files.createDirectories(report.getParent());
        Files.writeString(report, "{\"version\":1,\"lockUpdated\":false,\"stages\":["
                + "{\"stage\":\"data.dvc\",\"outcome\":\"skipped\",\"outs\":{\"data\":\"ffff.dir\"}},"
                + "{\"stage\":\"train\",\"outcome\":\"ran\",\"outs\":{\"model.bin\":\"0123456789abcdef0123456789abcdef\"}}"
                + "]}");
        BuildResult r = new BuildResult(0, "log line\n", ws, "abc", 1);
        assertEquals(List.of("data.dvc", "train"), List.copyOf(r.repro().outcomes().keySet()));
        ReproAssert.assertThat(r).succeeded().ran("train").skipped("data.dvc").outputsMatchLock(lock);
        AssertionError notSkipped = assertThrows(AssertionError.class, () -> ReproAssert.assertThat(r).everyStageSkipped());
        assertTrue(notSkipped.getMessage().contains("stage 'train' was ran"), notSkipped.getMessage());
        AssertionError differs = assertThrows(AssertionError.class,
                () -> ReproAssert.assertThat(r).outputsMatchLock(lock.replace("0123", "9999")));
        assertTrue(differs.getMessage().contains("train model.bin: built 0123"), differs.getMessage());
    }
}
