package io.mlops.harness;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs a project's Maven build in a <em>clean</em> container, the way a CI runner on a new machine would: the
 * container gets nothing but
 *
 * <ul>
 *   <li>a fresh {@code git clone} of the project at one commit (so no ignored file, no DVC cache, no {@code
 *       target/} from the host);
 *   <li>read-only Maven repositories holding the plugin under test and the build's dependencies, chained behind
 *       the container's own empty local repository ({@code maven.repo.local.tail}, Maven 3.9);
 *   <li>the environment variables given here (remote endpoint, credentials), secrets masked in the log it hands
 *       back.
 * </ul>
 *
 * <p>It runs {@code mvn <args>} (default {@code -B verify}) and returns a {@link BuildResult}: the exit code, the
 * log, and a copy of the work tree after the build (without {@code .git} and {@code .dvc/cache}), which holds the
 * plugin's {@code target/mlops/repro.json}.
 *
 * <p>The image defaults to {@value #DEFAULT_IMAGE} (any image with git, a JDK and Maven 3.9 on the {@code PATH}
 * works; system property {@value #IMAGE_PROPERTY} overrides it). It is never pulled: where no registry is
 * reachable, {@code scripts/build-images.sh runner} builds a local one under that name. The container uses the
 * host's network, so an emulator on 127.0.0.1 is reachable at the same address.
 *
 * <pre>{@code
 * BuildResult r = CleanBuild.of(projectDir)
 *     .withStagedRepository(CleanBuild.hostRepository())
 *     .withGcsEmulator(gcs)
 *     .run("-B", "verify");
 * ReproAssert.assertThat(r).succeeded().everyStageSkipped();
 * }</pre>
 */
public final class CleanBuild {

    /** The runner image unless {@value #IMAGE_PROPERTY} is set. */
    public static final String DEFAULT_IMAGE = "maven:3.9-eclipse-temurin-17";

    /** System property naming another runner image. */
    public static final String IMAGE_PROPERTY = "mlops.runner.image";

    static final String SOURCE = "/mlops/source";
    static final String OUT = "/mlops/out";
    static final String STAGED = "/mlops/staged/";

    // $1 = revision, $2 = mode: "mvn" (the rest = Maven arguments) or "sh" ($3 = a shell script).
    // Exit codes 90/91 mark a clone/checkout failure.
    private static final String SCRIPT = String.join("\n",
            "set -u",
            "rev=$1; mode=$2; shift 2",
            "git config --global --add safe.directory '*'",
            "git clone -q " + SOURCE + " /work/project || exit 90",
            "cd /work/project",
            "git -c advice.detachedHead=false checkout -q \"$rev\" || exit 91",
            "echo \"[clean-build] $(git log -1 --format='%h %s')\"",
            "if [ \"$mode\" = sh ]; then sh -e -c \"$1\"; else mvn \"$@\"; fi",
            "rc=$?",
            "mkdir -p " + OUT + "/workspace",
            "tar --exclude=./.git --exclude=./.dvc/cache -cf - . | tar -C " + OUT + "/workspace -xf -",
            "exit $rc");

    private final Path source;
    private String revision = "HEAD";
    private String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    private final List<Path> stagedRepositories = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private Duration timeout = Duration.ofMinutes(20);

    private CleanBuild(Path source) {
        this.source = source.toAbsolutePath().normalize();
    }

    /**
     * A clean build of the git repository at {@code gitRepository} (a working copy; only what is committed is
     * seen).
     *
     * @param gitRepository the project's directory
     * @return the build, not started
     */
    public static CleanBuild of(Path gitRepository) {
        if (!Files.isDirectory(gitRepository.resolve(".git")) && !Files.isRegularFile(gitRepository.resolve("HEAD"))) {
            throw new IllegalArgumentException(gitRepository + " is not a git repository: commit the project first"
                    + " (a clean build sees only committed files)");
        }
        return new CleanBuild(gitRepository);
    }

    /**
     * The local Maven repository of this JVM's build ({@code maven.repo.local} or {@code ~/.m2/repository}), where
     * {@code invoker:install} or {@code mvn install} staged the plugin under test.
     *
     * @return the repository directory
     */
    public static Path hostRepository() {
        String p = System.getProperty("maven.repo.local");
        return p != null && !p.isBlank()
                ? Paths.get(p)
                : Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * Builds this commit instead of {@code HEAD}.
     *
     * @param rev a commit, branch or tag of the repository
     * @return this
     */
    public CleanBuild at(String rev) {
        this.revision = rev;
        return this;
    }

    /**
     * Adds a read-only Maven repository (local-repository layout) that the build may resolve from.
     *
     * @param localRepository e.g. {@link #hostRepository()}
     * @return this
     */
    public CleanBuild withStagedRepository(Path localRepository) {
        stagedRepositories.add(localRepository.toAbsolutePath().normalize());
        return this;
    }

    /**
     * Sets an environment variable of the build.
     *
     * @param name variable name
     * @param value its value
     * @return this
     */
    public CleanBuild withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Sets an environment variable whose value is replaced by {@code ****} in the log this build returns, like a
     * CI secret.
     *
     * @param name variable name, e.g. {@code GOOGLE_SERVICE_ACCOUNT_KEY}
     * @param value the secret
     * @return this
     */
    public CleanBuild withSecret(String name, String value) {
        env.put(name, value);
        if (!value.isEmpty()) {
            secrets.add(value);
        }
        return this;
    }

    /**
     * Points Google Cloud Storage clients at the emulator ({@code STORAGE_EMULATOR_HOST}); no credentials are
     * passed.
     *
     * @param gcs a started emulator
     * @return this
     */
    public CleanBuild withGcsEmulator(GcsEmulator gcs) {
        return withEnv("STORAGE_EMULATOR_HOST", gcs.endpoint());
    }

    /**
     * Uses another runner image (must exist locally).
     *
     * @param name image name with tag
     * @return this
     */
    public CleanBuild withImage(String name) {
        this.image = name;
        return this;
    }

    /**
     * Limits the build's wall time (default 20 minutes).
     *
     * @param limit the limit
     * @return this
     */
    public CleanBuild withTimeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /**
     * Runs {@code mvn <mavenArgs>} (default {@code -B verify}) in a new container and waits for it to exit.
     *
     * @param mavenArgs Maven's arguments
     * @return the exit code, masked log and work tree of the build
     * @throws IllegalStateException if Docker or the image is missing, or the build exceeded its time limit
     */
    public BuildResult run(String... mavenArgs) {
        List<String> args = new ArrayList<>(mavenArgs.length == 0 ? List.of("-B", "verify") : Arrays.asList(mavenArgs));
        args.addAll(0, stagedRepositoryArgs());
        args.add(0, "mvn");
        return start(args, Map.of());
    }

    /**
     * Runs a shell script ({@code sh -e}: it stops at the first failing command) in the clone instead of one Maven
     * command, e.g. the steps of a CI job: {@code mvn -B verify} then {@code mvn -B mlops:report}. Every {@code mvn}
     * of the script sees the staged repositories (through {@code MAVEN_ARGS}, which Maven 3.9 reads).
     *
     * @param script shell commands, run in the project's work tree
     * @return the exit code of the script, the masked log and the work tree afterwards
     * @throws IllegalStateException if Docker or the image is missing, or the script exceeded its time limit
     */
    public BuildResult runScript(String script) {
        List<String> extra = stagedRepositoryArgs();
        Map<String, String> scriptEnv = extra.isEmpty() ? Map.of() : Map.of("MAVEN_ARGS", String.join(" ", extra));
        return start(List.of("sh", script), scriptEnv);
    }

    private List<String> stagedRepositoryArgs() {
        List<String> tails = new ArrayList<>();
        for (int i = 0; i < stagedRepositories.size(); i++) {
            tails.add(STAGED + i);
        }
        if (tails.isEmpty()) {
            return List.of();
        }
        return List.of("-Dmaven.repo.local.tail=" + String.join(",", tails),
                "-Dmaven.repo.local.tail.ignoreAvailability=true");
    }

    /** @param modeAndArgs "mvn" and Maven's arguments, or "sh" and a script */
    private BuildResult start(List<String> modeAndArgs, Map<String, String> extraEnv) {
        String commit = resolve(revision);
        requireLocalImage();
        Path out;
        try {
            out = Files.createTempDirectory("mlops-clean-build-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCRIPT, "clean-build", commit));
        command.addAll(modeAndArgs);
        Map<String, String> containerEnv = new LinkedHashMap<>(env);
        containerEnv.putAll(extraEnv);
        long start = System.nanoTime();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))) {
            c.withImagePullPolicy(name -> false)
                    .withNetworkMode("host")
                    .withWorkingDirectory("/work")
                    .withFileSystemBind(source.toString(), SOURCE, BindMode.READ_ONLY)
                    .withFileSystemBind(out.toString(), OUT, BindMode.READ_WRITE)
                    .withEnv(containerEnv)
                    .withStartupCheckStrategy(new UntilExited().withTimeout(timeout))
                    .withCommand(command.toArray(String[]::new));
            for (int i = 0; i < stagedRepositories.size(); i++) {
                c.withFileSystemBind(stagedRepositories.get(i).toString(), STAGED + i, BindMode.READ_ONLY);
            }
            try {
                c.start();
            } catch (RuntimeException e) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                String what = took.compareTo(timeout) >= 0
                        ? "did not finish within " + timeout
                        : "could not be started (after " + took.toSeconds() + " s)";
                throw new IllegalStateException("clean build of " + source + " " + what + ": " + e.getMessage()
                        + "\n" + mask(logsOf(c)), e);
            }
            InspectContainerResponse info = DockerClientFactory.instance().client()
                    .inspectContainerCmd(c.getContainerId()).exec();
            int exit = info.getState().getExitCodeLong().intValue();
            String log = mask(c.getLogs());
            if (exit == 90 || exit == 91) {
                throw new IllegalStateException("the clean container could not clone " + source + " at " + commit
                        + ":\n" + log);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new BuildResult(exit, log, out.resolve("workspace"), commit, millis);
        }
    }

    private static String logsOf(GenericContainer<?> c) {
        try {
            return c.getContainerId() == null ? "" : c.getLogs();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private String mask(String log) {
        String masked = log;
        for (String s : secrets) {
            masked = masked.replace(s, "****");
        }
        return masked;
    }

    private String resolve(String rev) {
        Processes.Result r = Processes.run(List.of("git", "rev-parse", "--verify", rev + "^{commit}"), source,
                Map.of(), Duration.ofMinutes(1));
        if (r.exitCode() != 0) {
            throw new IllegalArgumentException("no commit '" + rev + "' in " + source + ": " + r.output().strip());
        }
        return r.output().strip();
    }


    private void requireLocalImage() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("runner image " + image + " is not present locally and is never pulled."
                    + " Build a local one with scripts/build-images.sh runner, run `docker pull " + image + "` where a"
                    + " registry is reachable, or name another image with -D" + IMAGE_PROPERTY + "=...", e);
        }
    }

    /** Start-up is complete when the container has exited, whatever its exit code. */
    static final class UntilExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(com.github.dockerjava.api.DockerClient client, String id) {
            InspectContainerResponse.ContainerState state = getCurrentState(client, id);
            return Boolean.TRUE.equals(state.getRunning()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }
}
