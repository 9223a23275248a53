package io.mlops.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's {@code target/mlops/repro.json}: one record per planned stage, with what happened to it ({@code
 * ran}, {@code skipped}, {@code restored}, {@code verified}, {@code failed}, {@code not_run}) and the hashes of its
 * outputs afterwards.
 */
public final class ReproReport {
    /** Where {@code mlops:repro} writes the report by default, relative to the project. */
    public static final String DEFAULT_PATH = "target/mlops/repro.json";

    /**
     * One stage.
     *
     * @param name the stage's address ({@code train}, {@code sub/dvc.yaml:train}, {@code data/raw.dvc})
     * @param outcome what happened
     * @param outs output path to hash ({@code md5}, {@code .dir} for directories)
     * @param error the failure, or null
     */
    public record Stage(String name, String outcome, Map<String, String> outs, String error) {}

    private final List<Stage> stages;
    private final boolean lockUpdated;

    ReproReport(List<Stage> stages, boolean lockUpdated) {
        this.stages = List.copyOf(stages);
        this.lockUpdated = lockUpdated;
    }

    /**
     * Reads the report a build on this machine wrote in {@code project} ({@value #DEFAULT_PATH}).
     *
     * @throws AssertionError when it is missing or unreadable
     */
    public static ReproReport read(Path project) {
        Path file = project.resolve(DEFAULT_PATH);
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new AssertionError("no readable " + file + ": did mlops:repro run? (" + e.getMessage() + ")", e);
        }
    }

    static ReproReport parse(String json, Object from) {
        try {
            JsonNode doc = new ObjectMapper().readTree(json);
            List<Stage> stages = new ArrayList<>();
            for (JsonNode s : doc.path("stages")) {
                Map<String, String> outs = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("outs").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    outs.put(e.getKey(), e.getValue().asText());
                }
                stages.add(new Stage(s.path("stage").asText(), s.path("outcome").asText(), outs,
                        s.hasNonNull("error") ? s.get("error").asText() : null));
            }
            return new ReproReport(stages, doc.path("lockUpdated").asBoolean());
        } catch (IOException e) {
            throw new AssertionError("unreadable " + DEFAULT_PATH + " (" + e.getMessage() + ") in " + from, e);
        }
    }

    /** @return every stage, in plan order */
    public List<Stage> stages() {
        return stages;
    }

    /**
     * @param name a stage address
     * @return that stage, if it was planned
     */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return stage address to outcome, in plan order */
    public Map<String, String> outcomes() {
        Map<String, String> m = new LinkedHashMap<>();
        stages.forEach(s -> m.put(s.name(), s.outcome()));
        return m;
    }

    /** @return whether the repro wrote a lock or .dvc file */
    public boolean lockUpdated() {
        return lockUpdated;
    }

    @Override
    public String toString() {
        return outcomes().toString();
    }
}
