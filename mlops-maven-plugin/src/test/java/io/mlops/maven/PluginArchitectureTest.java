package io.mlops.maven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The Mojos are adapters: of the engine they use its API package only, never its internals. */
class PluginArchitectureTest {
  @Test
  void mojosUseOnlyTheEngineApi() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.mlops.maven");
    assertTrue(classes.size() >= 18, "the Mojo classes were not found: " + classes.size());
    noClasses().that().resideInAPackage("io.mlops.maven..")
        .should().dependOnClassesThat().resideInAPackage("io.mlops.internal..")
        .because("Mojos map parameters to one call of io.mlops.api; engine internals may change in any release")
        .check(classes);
  }
}
