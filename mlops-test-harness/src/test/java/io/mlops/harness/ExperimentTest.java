package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing an experiment's copy: tracked files only, the fake remote committed, a local cache not committed. */
class ExperimentTest {
    @TempDir Path src;
    @TempDir Path work;

    private Path project() throws Exception {
        Path p = src.resolve("exp");
        Files.createDirectories(p.resolve(".dvc"));
        Files.writeString(p.resolve(".dvc/config"), "[core]\n    remote = store\n    autostage = true\n"
                + "['remote \"store\"']\n    url = ../exp-remote\n");
        Files.writeString(p.resolve(".dvc/.gitignore"), "/config.local\n/tmp\n/cache\n"); // as dvc init writes it
        Files.writeString(p.resolve("dvc.yaml"), "stages: {}\n");
        Files.writeString(p.resolve(".gitignore"), "ignored.txt\n");
        Files.createDirectories(src.resolve("exp-remote/files/md5/ac"));
        Files.writeString(src.resolve("exp-remote/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8"), "foo");
        Experiment.at(initGit(src)).commit("source");
        Files.writeString(p.resolve("ignored.txt"), "ignored\n");
        Files.writeString(p.resolve("untracked.txt"), "untracked\n");
        return p;
    }

    private static Path initGit(Path dir) throws Exception {
        Process git = new ProcessBuilder("git", "init", "-q").directory(dir.toFile()).start();
        assertEquals(0, git.waitFor());
        return dir;
    }

    @Test
    void aCopyHasTheTrackedFilesAndTheNamedSiblingsInANewRepository() throws Exception {
        Experiment exp = Experiment.copyOf(project(), work, "../exp-remote");
        assertEquals(work.resolve("exp"), exp.dir());
        assertTrue(Files.isRegularFile(exp.dir().resolve("dvc.yaml")));
        assertFalse(Files.exists(exp.dir().resolve("ignored.txt")), "ignored files stay behind");
        assertFalse(Files.exists(exp.dir().resolve("untracked.txt")), "untracked files stay behind");
        assertEquals("foo", Files.readString(work.resolve("exp-remote/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8")));
        assertEquals("", exp.git("status", "--porcelain"), "everything committed");
        assertTrue(exp.git("log", "--format=%s").contains("copy of exp"));
    }

    @Test
    void aCacheElsewhereIsUsedThroughConfigLocalWhichIsNotCommitted() throws Exception {
        Path source = project();
        Experiment exp = Experiment.copyOf(source, work, "../exp-remote");
        exp.withCacheOf(source);
        assertEquals("[cache]\n    dir = " + source.resolve(".dvc/cache") + "\n", exp.read(".dvc/config.local"));
        assertEquals("", exp.git("status", "--porcelain"), "config.local is not committed (DVC's .gitignore)");
    }

    @Test
    void theRemoteSectionIsRewrittenOnceAndKeepsTheOthers() throws Exception {
        Experiment exp = Experiment.copyOf(project(), work);
        GcsEmulator fake = new GcsEmulator() {
            @Override
            public String endpoint() {
                return "http://127.0.0.1:4443";
            }

            @Override
            public com.google.cloud.storage.Storage storage() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void start() {}

            @Override
            public void stop() {}
        };
        exp.withRemote(fake, "bucket", "one").withRemote(fake, "bucket", "two");
        String config = exp.read(".dvc/config");
        assertEquals("[core]\n    remote = fake-gcs\n    autostage = true\n"
                + "['remote \"store\"']\n    url = ../exp-remote\n"
                + "['remote \"fake-gcs\"']\n    url = gs://bucket/two\n", config);
        assertEquals("", exp.git("status", "--porcelain"), "committed, so the clean build sees it");
        assertTrue(exp.git("log", "--format=%s").contains("remote: gs://bucket/two"));
    }

    @Test
    void thePluginVersionIsTheHarnessVersionUnlessSet() {
        String previous = System.getProperty(Experiment.VERSION_PROPERTY);
        try {
            System.clearProperty(Experiment.VERSION_PROPERTY);
            assertTrue(Experiment.pluginVersion().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Experiment.pluginVersion());
            System.setProperty(Experiment.VERSION_PROPERTY, "9.9.9");
            assertEquals("9.9.9", Experiment.pluginVersion());
        } finally {
            if (previous == null) {
                System.clearProperty(Experiment.VERSION_PROPERTY);
            } else {
                System.setProperty(Experiment.VERSION_PROPERTY, previous);
            }
        }
    }
}
