package io.mlops.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Assertions on a {@link CleanBuild}, in the words of the reproducibility promise: which stages ran, which were
 * skipped, and whether the outputs equal what the committed {@code dvc.lock} records. Every failure shows the
 * stage outcomes and the tail of the container's log.
 *
 * <pre>{@code
 * ReproAssert.assertThat(result)
 *     .succeeded()
 *     .skipped("prepare")
 *     .ran("train", "evaluate")
 *     .outputsMatchLock(committedLock);
 * }</pre>
 */
public final class ReproAssert {
    private static final Set<String> UNCHANGED = Set.of("skipped", "verified");

    private final BuildResult result;

    private ReproAssert(BuildResult result) {
        this.result = result;
    }

    /**
     * @param result a finished clean build
     * @return assertions on it
     */
    public static ReproAssert assertThat(BuildResult result) {
        return new ReproAssert(result);
    }

    private AssertionError fail(String what) {
        String outcomes;
        try {
            outcomes = result.repro().outcomes().toString();
        } catch (AssertionError e) {
            outcomes = "(no " + ReproReport.DEFAULT_PATH + ")";
        }
        return new AssertionError(what + "\nstages: " + outcomes + "\n" + result + "; log tail:\n" + result.tail(80));
    }

    /** The build exited with 0. */
    public ReproAssert succeeded() {
        if (!result.succeeded()) {
            throw fail("the clean build failed (exit " + result.exitCode() + ")");
        }
        return this;
    }

    /**
     * The build failed and its log says so in these words.
     *
     * @param text expected in the log
     */
    public ReproAssert failedWith(String text) {
        if (result.succeeded()) {
            throw fail("the clean build succeeded; expected it to fail with \"" + text + "\"");
        }
        return logContains(text);
    }

    /** @param text expected in the log */
    public ReproAssert logContains(String text) {
        if (!result.log().contains(text)) {
            throw fail("the log does not contain \"" + text + "\"");
        }
        return this;
    }

    /** @param text that must not appear in the log (a secret, for instance; not echoed in the message) */
    public ReproAssert logDoesNotContain(String text) {
        if (result.log().contains(text)) {
            throw fail("the log contains a forbidden text (" + text.length() + " characters)");
        }
        return this;
    }

    private ReproAssert outcome(String expected, String... stages) {
        ReproReport r = result.repro();
        for (String s : stages) {
            String actual = r.stage(s).map(ReproReport.Stage::outcome).orElse("(not planned)");
            if (!actual.equals(expected)) {
                throw fail("stage '" + s + "' was " + actual + ", expected " + expected);
            }
        }
        return this;
    }

    /** @param stages each ran its command */
    public ReproAssert ran(String... stages) {
        return outcome("ran", stages);
    }

    /** @param stages each was unchanged and skipped */
    public ReproAssert skipped(String... stages) {
        return outcome("skipped", stages);
    }

    /** @param stages each was restored from the run-cache */
    public ReproAssert restored(String... stages) {
        return outcome("restored", stages);
    }

    /** Nothing ran: every stage was skipped (data sources verified or skipped). */
    public ReproAssert everyStageSkipped() {
        ReproReport r = result.repro();
        if (r.stages().isEmpty()) {
            throw fail("the report lists no stage");
        }
        for (ReproReport.Stage s : r.stages()) {
            if (!UNCHANGED.contains(s.outcome())) {
                throw fail("stage '" + s.name() + "' was " + s.outcome() + ", expected every stage skipped");
            }
        }
        return this;
    }

    /**
     * Every output hash in the report equals the one recorded for the same stage and path in {@code lockText}
     * (the committed root {@code dvc.lock}): the experiment reproduced bit for bit. Stages of {@code .dvc} files
     * and of other {@code dvc.yaml} files are not in that lock and are not compared.
     *
     * @param lockText the committed dvc.lock
     */
    public ReproAssert outputsMatchLock(String lockText) {
        Map<String, Map<String, String>> lock = lockOuts(lockText);
        List<String> diffs = new ArrayList<>();
        int compared = 0;
        for (ReproReport.Stage s : result.repro().stages()) {
            if (s.name().endsWith(".dvc") || s.name().contains(":")) {
                continue;
            }
            Map<String, String> recorded = lock.get(s.name());
            if (recorded == null) {
                diffs.add(s.name() + ": not in the committed dvc.lock");
                continue;
            }
            for (Map.Entry<String, String> o : s.outs().entrySet()) {
                compared++;
                String want = recorded.get(o.getKey());
                if (!o.getValue().equals(want)) {
                    diffs.add(s.name() + " " + o.getKey() + ": built " + o.getValue() + ", committed " + want);
                }
            }
        }
        if (compared == 0) {
            throw fail("no output of a dvc.yaml stage in the report to compare with the lock");
        }
        if (!diffs.isEmpty()) {
            throw fail("outputs differ from the committed dvc.lock:\n  " + String.join("\n  ", diffs));
        }
        return this;
    }

    /**
     * The build left these files with the same bytes as {@code expected} (e.g. the committed metrics).
     *
     * @param relative a path in the work tree
     * @param expected its expected text
     */
    public ReproAssert fileEquals(String relative, String expected) {
        String actual = result.read(relative);
        if (!actual.equals(expected)) {
            throw fail(relative + " differs:\n--- expected\n" + expected + "\n--- built\n" + actual);
        }
        return this;
    }

    /** stage name to (out path to md5), from a dvc.lock (schema 2.0). */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, String>> lockOuts(String lockText) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(lockText);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (!(doc instanceof Map<?, ?> m) || !(m.get("stages") instanceof Map<?, ?> stages)) {
            throw new IllegalArgumentException("not a dvc.lock (schema 2.0): no 'stages' mapping");
        }
        for (Map.Entry<?, ?> e : stages.entrySet()) {
            Map<String, String> outs = new LinkedHashMap<>();
            Object list = ((Map<String, Object>) e.getValue()).get("outs");
            if (list instanceof List<?> l) {
                for (Object o : l) {
                    Map<String, Object> entry = (Map<String, Object>) o;
                    outs.put(String.valueOf(entry.get("path")), String.valueOf(entry.get("md5")));
                }
            }
            out.put(String.valueOf(e.getKey()), outs);
        }
        return out;
    }
}
