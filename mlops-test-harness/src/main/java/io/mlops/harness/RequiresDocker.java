package io.mlops.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a Docker engine: registers {@link DockerRequirement} (fail
 * in CI, skip elsewhere when Docker is missing) and tags the tests {@value #TAG}, so a build that
 * cannot run containers (e.g. the inner build of a clean-container check) can exclude them with
 * {@code -DexcludedGroups=docker}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(RequiresDocker.TAG)
@ExtendWith(DockerRequirement.class)
public @interface RequiresDocker {

    /** The JUnit tag carried by annotated tests. */
    String TAG = "docker";
}
