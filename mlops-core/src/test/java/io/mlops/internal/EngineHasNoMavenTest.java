package io.mlops.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine must stay usable without Maven: only io.mlops.maven may touch Maven's API. */
class EngineHasNoMavenTest {
  @Test
  void enginePackagesDoNotDependOnMaven() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mlops.internal", "io.mlops.api");
    org.junit.jupiter.api.Assertions.assertTrue(classes.size() > 20, "engine classes were not found");
    noClasses()
        .that()
        .resideInAnyPackage("io.mlops.internal..", "io.mlops.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..", "io.mlops.maven..")
        .check(classes);
  }
}
