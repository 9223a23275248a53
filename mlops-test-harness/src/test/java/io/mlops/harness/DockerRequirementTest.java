package io.mlops.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The fail-in-CI / skip-elsewhere policy; needs no Docker. */
class DockerRequirementTest {

    private static Properties props(String value) {
        Properties p = new Properties();
        if (value != null) {
            p.setProperty(DockerRequirement.REQUIRE_PROPERTY, value);
        }
        return p;
    }

    @Test
    void requiredWhenCiIsSet() {
        assertTrue(DockerRequirement.isRequired(Map.of("CI", "true"), props(null)));
        assertTrue(DockerRequirement.isRequired(Map.of("CI", "1"), props(null)));
        assertTrue(DockerRequirement.isRequired(Map.of("CI", "yes"), props(null)));
    }

    @Test
    void notRequiredWithoutCi() {
        assertFalse(DockerRequirement.isRequired(Map.of(), props(null)));
        assertFalse(DockerRequirement.isRequired(Map.of("CI", ""), props(null)));
        assertFalse(DockerRequirement.isRequired(Map.of("CI", "false"), props(null)));
        assertFalse(DockerRequirement.isRequired(Map.of("CI", "0"), props(null)));
    }

    @Test
    void propertyWinsOverEnvironment() {
        assertTrue(DockerRequirement.isRequired(Map.of(), props("true")));
        assertFalse(DockerRequirement.isRequired(Map.of("CI", "true"), props("false")));
    }

    @Test
    void requiredMeansFailure() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> DockerRequirement.unavailable("Docker is not available: x", "do y", true));
        assertTrue(e.getMessage().contains("Docker is not available: x"), e.getMessage());
        assertTrue(e.getMessage().contains("do y"), e.getMessage());
    }

    @Test
    void optionalMeansSkipWithHowToEnable() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> DockerRequirement.unavailable("Docker is not available: x", "do y", false));
        assertTrue(e.getMessage().contains("do y"), e.getMessage());
        assertTrue(e.getMessage().contains("-D" + DockerRequirement.REQUIRE_PROPERTY + "=true"), e.getMessage());
    }
}
