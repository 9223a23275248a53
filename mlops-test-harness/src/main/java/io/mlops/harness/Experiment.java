package io.mlops.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The workflow of "A guide to MLOps", chapter 2.3, as a test API: a copy of an experiment's repository on this
 * machine is pointed at a fake GCS bucket, reproduced and pushed there with the plugin, committed, and then
 * reproduced from scratch in a clean container.
 *
 * <pre>{@code
 * Experiment exp = Experiment.copyOf(Path.of("."), tempDir)   // the git-tracked files, in a new git repository
 *     .withCacheOf(Path.of("."))                            // the data this machine already has
 *     .withRemote(gcs, "bucket", "experiment");             // core.remote -> gs://bucket/experiment (committed)
 * exp.reproduceAndPush();                                   // mvn -B verify, then mlops:push, here
 * exp.commit("reproduced");                                 // dvc.lock and .dvc files as CI would see them
 * ReproAssert.assertThat(exp.cleanBuild().run("-B", "verify"))
 *     .succeeded().everyStageSkipped().fileEquals("evaluation/metrics.json", exp.read("evaluation/metrics.json"));
 * }</pre>
 *
 * <p>Maven on this machine is found through the {@code maven.home} system property, then {@code MAVEN_HOME}, then
 * {@code mvn} on the {@code PATH}. The plugin version used for {@code mlops:push} is {@value #VERSION_PROPERTY}
 * if set, else this harness's own version (they are released together).
 */
public final class Experiment {
    /** System property naming the plugin version for the goals this class runs. */
    public static final String VERSION_PROPERTY = "mlops.version";

    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private GcsEmulator gcs;

    private Experiment(Path dir) {
        this.dir = dir;
    }

    /**
     * Copies the git-tracked files of {@code project} (a directory inside a git work tree; ignored and untracked
     * files stay behind, as they would on a clean machine) to {@code workDir/<project's name>}, and makes that
     * a git repository with one commit.
     *
     * @param siblings directories next to the project to copy too (their tracked files), relative to it, e.g.
     *     {@code "../data-remote"} for a local remote that {@code .dvc/config} names by a relative path
     */
    public static Experiment copyOf(Path project, Path workDir, String... siblings) {
        Path src = project.toAbsolutePath().normalize();
        Path target = workDir.toAbsolutePath().normalize().resolve(src.getFileName().toString());
        copyTracked(src, target);
        for (String s : siblings) {
            copyTracked(src.resolve(s).normalize(), target.resolve(s).normalize());
        }
        if (!Files.isDirectory(target.resolve(".dvc"))) {
            throw new IllegalArgumentException(src + " has no committed .dvc directory: it is not a DVC repository");
        }
        Experiment e = new Experiment(target);
        e.git("init", "-q");
        e.commit("copy of " + src.getFileName());
        return e;
    }

    private static void copyTracked(Path src, Path target) {
        String listing = run(List.of("git", "ls-files", "-z", "--", "."), src, Map.of(), "list the files of " + src);
        try {
            for (String f : listing.split("\0")) {
                if (f.isBlank()) {
                    continue;
                }
                Path from = src.resolve(f);
                if (!Files.isRegularFile(from)) {
                    continue; // a deleted but still indexed file, or a submodule
                }
                Path to = target.resolve(f);
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + src + " to " + target, e);
        }
    }

    /** An existing git working copy, used as it is. */
    public static Experiment at(Path gitWorkingCopy) {
        Path d = gitWorkingCopy.toAbsolutePath().normalize();
        if (!Files.isDirectory(d.resolve(".git"))) {
            throw new IllegalArgumentException(d + " is not a git working copy");
        }
        return new Experiment(d);
    }

    /** The repository on this machine. */
    public Path dir() {
        return dir;
    }

    /**
     * Makes {@code gs://bucket/prefix} on {@code gcs} the default remote ({@code .dvc/config}, committed, so the
     * clean build sees it too); the plugin reaches the emulator through {@code STORAGE_EMULATOR_HOST}, here and in
     * {@link #cleanBuild()}. Other remotes of the config are kept.
     */
    public Experiment withRemote(GcsEmulator emulator, String bucket, String prefix) {
        this.gcs = emulator;
        Path config = dir.resolve(".dvc/config");
        try {
            String text = Files.exists(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
            text = text.replaceAll("(?m)^\\s*remote\\s*=.*\\n?", "");
            if (!text.contains("[core]")) {
                text = "[core]\n" + text;
            }
            text = text.replaceFirst("\\[core\\]\\n", "[core]\n    remote = fake-gcs\n");
            text = text.replaceAll("(?s)\\['remote \"fake-gcs\"'\\]\\n(\\s+.*?\\n)*", "");
            if (!text.endsWith("\n")) {
                text += "\n";
            }
            text += "['remote \"fake-gcs\"']\n    url = gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "\n";
            Files.writeString(config, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        env.put("STORAGE_EMULATOR_HOST", emulator.endpoint());
        commit("remote: gs://" + bucket + "/" + prefix + " on the fake GCS server");
        return this;
    }

    /**
     * Uses the DVC cache of another repository on this machine (e.g. the project the copy was made from), through
     * {@code .dvc/config.local} ({@code cache.dir}; git ignores that file, so the clean build never sees it): data
     * the developer already has is pushed to the fake bucket without reaching the real remote.
     */
    public Experiment withCacheOf(Path repository) {
        Path cache = repository.toAbsolutePath().normalize().resolve(".dvc/cache");
        Path local = dir.resolve(".dvc/config.local");
        try {
            String text = Files.exists(local) ? Files.readString(local, StandardCharsets.UTF_8) : "";
            Files.writeString(local, text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
                    + "[cache]\n    dir = " + cache + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + local, e);
        }
        return this;
    }

    /** An environment variable for the Maven runs on this machine (not for the clean build). */
    public Experiment withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs {@code mvn -B <args>} on this machine in the repository; fails with the log tail unless it succeeds. */
    public String mvn(String... args) {
        List<String> cmd = new ArrayList<>(List.of(maven(), "-B", "-ntp", "-D" + VERSION_PROPERTY + "=" + pluginVersion()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, dir, env, "mvn " + String.join(" ", args));
    }

    /** {@code mvn -B verify} (pull, reproduce, check), then {@link #push()}. */
    public Experiment reproduceAndPush() {
        mvn("verify");
        return push();
    }

    /** {@code mlops:push} of every tracked output to the default remote. */
    public Experiment push() {
        mvn("io.mlops:mlops-maven-plugin:" + pluginVersion() + ":push");
        return this;
    }

    /** Commits every change (a clean build sees commits only). */
    public Experiment commit(String message) {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    /** Writes a file of the repository (not committed). */
    public Experiment write(String rel, String text) {
        try {
            Path f = dir.resolve(rel);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Reads a file of the repository. */
    public String read(String rel) {
        try {
            return Files.readString(dir.resolve(rel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs git in the repository; fails with its output unless it succeeds. */
    public String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=mlops-harness",
                "-c", "user.email=mlops-harness@example.invalid"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, dir, Map.of(), "git " + String.join(" ", args));
    }

    /**
     * A clean build of the committed repository: the host's local repository staged (so the plugin under test,
     * installed or staged by {@code invoker:install}, resolves), and the fake GCS endpoint when
     * {@link #withRemote} was used.
     */
    public CleanBuild cleanBuild() {
        CleanBuild b = CleanBuild.of(dir).withStagedRepository(CleanBuild.hostRepository());
        return gcs == null ? b : b.withGcsEmulator(gcs);
    }

    /** {@value #VERSION_PROPERTY}, else the version this harness was built as. */
    public static String pluginVersion() {
        String v = System.getProperty(VERSION_PROPERTY);
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (InputStream in = Experiment.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String own = p.getProperty("version");
            if (own == null || own.isBlank() || own.startsWith("${")) {
                throw new IllegalStateException("set -D" + VERSION_PROPERTY + " to the plugin version under test");
            }
            return own;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("MAVEN_HOME");
        }
        if (home != null && !home.isBlank() && Files.isExecutable(Paths.get(home, "bin", "mvn"))) {
            return Paths.get(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static String run(List<String> cmd, Path dir, Map<String, String> env, String what) {
        Processes.Result r = Processes.run(cmd, dir, env, Duration.ofMinutes(30));
        if (r.exitCode() != 0) {
            throw new AssertionError(what + " failed in " + dir + " (exit " + r.exitCode() + "):\n"
                    + BuildResult.tail(r.output(), 60));
        }
        return r.output();
    }

}
