package io.mlops.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link CleanBuild} left: its exit code, its log (secrets masked) and a copy of its work tree taken after
 * Maven exited (without {@code .git} and {@code .dvc/cache}).
 */
public final class BuildResult {
    private final int exitCode;
    private final String log;
    private final Path workspace;
    private final String commit;
    private final long millis;

    BuildResult(int exitCode, String log, Path workspace, String commit, long millis) {
        this.exitCode = exitCode;
        this.log = log;
        this.workspace = workspace;
        this.commit = commit;
        this.millis = millis;
    }

    /** @return Maven's exit code */
    public int exitCode() {
        return exitCode;
    }

    /** @return whether Maven exited with 0 */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** @return the whole log of the container, secrets replaced by {@code ****} */
    public String log() {
        return log;
    }

    /**
     * @param lines how many
     * @return the last lines of the log, for failure messages
     */
    public String tail(int lines) {
        return tail(log, lines);
    }

    /** The last {@code lines} lines of {@code text}. */
    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** @return the copy of the build's work tree */
    public Path workspace() {
        return workspace;
    }

    /** @return the commit that was built */
    public String commit() {
        return commit;
    }

    /** @return the wall time of the container run */
    public long millis() {
        return millis;
    }

    /**
     * @param relative a path in the work tree
     * @return the file's text (UTF-8)
     * @throws AssertionError if the build left no such file
     */
    public String read(String relative) {
        Path p = workspace.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("the clean build left no " + relative + "; its log ends with:\n" + tail(60));
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The plugin's record of the repro ({@code target/mlops/repro.json}).
     *
     * @return the parsed report
     * @throws AssertionError if the build wrote none
     */
    public ReproReport repro() {
        return ReproReport.parse(read(ReproReport.DEFAULT_PATH), this);
    }

    @Override
    public String toString() {
        return "clean build of " + commit.substring(0, Math.min(12, commit.length())) + ": exit " + exitCode + " in "
                + millis + " ms";
    }
}
