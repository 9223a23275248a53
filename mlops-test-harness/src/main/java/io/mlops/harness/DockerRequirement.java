package io.mlops.harness;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit 5 extension (and helper) for tests that need a Docker engine, which never skips silently in
 * CI.
 *
 * <p>When Docker is not usable, the tests it guards
 *
 * <ul>
 *   <li><b>fail</b> with the reason if Docker is <em>required</em>: the environment variable {@code
 *       CI} is set (to anything but {@code false}, {@code 0} or the empty string), or system property
 *       {@value #REQUIRE_PROPERTY} is {@code true};
 *   <li>are <b>skipped</b> (a JUnit assumption) otherwise, with the reason and how to enable them.
 * </ul>
 *
 * <p>{@code -D}{@value #REQUIRE_PROPERTY}{@code =false} explicitly allows skipping even when {@code
 * CI} is set. Unlike {@code @Testcontainers(disabledWithoutDocker = true)}, the reason Docker is
 * unusable (no socket, API version, Ryuk image pull…) is always reported.
 *
 * <p>Skipping is done by disabling the tests (an {@link ExecutionCondition}, so they are counted
 * as skipped, with the reason); failing by throwing from {@code beforeAll}/{@code beforeEach}.
 *
 * <p>Use it through {@link RequiresDocker}, {@code @ExtendWith(DockerRequirement.class)}, or call
 * {@link #check()} from a {@code @BeforeAll} method. The same strict/lenient policy is available for
 * other prerequisites of the harness (a built image or binary) through {@link #unavailable(String,
 * String)}.
 */
public final class DockerRequirement implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

    /** System property that makes Docker required ({@code true}) or optional ({@code false}). */
    public static final String REQUIRE_PROPERTY = "mlops.requireDocker";

    /** Environment variable whose presence makes Docker required. */
    public static final String CI_VARIABLE = "CI";

    static final String HOW_TO_ENABLE =
            "to run them, start a Docker engine (as root: scripts/docker-setup.sh, then"
                    + " scripts/build-images.sh) and run with TESTCONTAINERS_RYUK_DISABLED=true"
                    + " (TESTCONTAINERS_HOST_OVERRIDE=localhost if /.dockerenv exists)";

    private static volatile Optional<String> cachedProblem;

    /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
    public DockerRequirement() {}

    /**
     * Disables (skips, with the reason) the annotated tests when Docker is unusable and not required.
     * Disabling rather than aborting in {@code beforeAll} keeps the skip visible in Surefire's
     * counts and keeps the class's own {@code @BeforeAll} methods from running.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> problem = dockerProblem();
        if (problem.isEmpty()) {
            return ConditionEvaluationResult.enabled("Docker is available");
        }
        if (isRequired()) {
            return ConditionEvaluationResult.enabled("Docker is required; the tests will fail: " + problem.get());
        }
        return ConditionEvaluationResult.disabled(skipMessage("Docker is not available: " + problem.get(), HOW_TO_ENABLE));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        check();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        check();
    }

    /**
     * Fails or skips the current test (per the policy above) unless a Docker engine is usable.
     *
     * @throws AssertionFailedError if Docker is unusable and required
     * @throws TestAbortedException if Docker is unusable and not required
     */
    public static void check() {
        dockerProblem().ifPresent(problem -> unavailable("Docker is not available: " + problem, HOW_TO_ENABLE));
    }

    /**
     * Tells whether a Docker engine is usable through Testcontainers. Checked once per JVM.
     *
     * @return {@code true} if a Docker client could be created and reached the engine
     */
    public static boolean isDockerAvailable() {
        return dockerProblem().isEmpty();
    }

    /**
     * Tells whether missing test prerequisites must fail the build rather than skip tests.
     *
     * @return {@code true} if system property {@value #REQUIRE_PROPERTY} or the {@code CI} variable
     *     asks for it
     */
    public static boolean isRequired() {
        return isRequired(System.getenv(), System.getProperties());
    }

    static boolean isRequired(Map<String, String> env, Properties properties) {
        String property = properties.getProperty(REQUIRE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Boolean.parseBoolean(property.trim());
        }
        String ci = env.get(CI_VARIABLE);
        if (ci == null) {
            return false;
        }
        String value = ci.trim().toLowerCase(Locale.ROOT);
        return !(value.isEmpty() || value.equals("false") || value.equals("0"));
    }

    /**
     * Reports a missing prerequisite: fails the current test if prerequisites are {@linkplain
     * #isRequired() required}, otherwise skips it.
     *
     * @param problem what is missing and why
     * @param howToEnable what a developer does to run the test
     * @throws AssertionFailedError if required
     * @throws TestAbortedException otherwise
     */
    public static void unavailable(String problem, String howToEnable) {
        unavailable(problem, howToEnable, isRequired());
    }

    static void unavailable(String problem, String howToEnable, boolean required) {
        if (required) {
            throw new AssertionFailedError(problem + ". This run requires it (environment variable "
                    + CI_VARIABLE + " is set or -D" + REQUIRE_PROPERTY + "=true), so the test fails instead of"
                    + " being skipped; " + howToEnable + ".");
        }
        throw new TestAbortedException(skipMessage(problem, howToEnable));
    }

    private static String skipMessage(String problem, String howToEnable) {
        return problem + ". Skipping; " + howToEnable + ". Set -D" + REQUIRE_PROPERTY
                + "=true (or CI=true) to make this a failure.";
    }

    private static Optional<String> dockerProblem() {
        Optional<String> problem = cachedProblem;
        if (problem == null) {
            synchronized (DockerRequirement.class) {
                problem = cachedProblem;
                if (problem == null) {
                    problem = probe();
                    cachedProblem = problem;
                }
            }
        }
        return problem;
    }

    private static Optional<String> probe() {
        try {
            DockerClientFactory.instance().client();
            return Optional.empty();
        } catch (Throwable e) { // Testcontainers reports an unusable engine in many ways
            StringBuilder reason = new StringBuilder(String.valueOf(e));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                reason.append("; caused by ").append(c);
            }
            return Optional.of(reason.toString());
        }
    }
}
