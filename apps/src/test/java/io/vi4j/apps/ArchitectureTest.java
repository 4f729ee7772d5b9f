package io.vi4j.apps;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of vi4j's modules and packages, held by ArchUnit over the main code of every module (the
 * apps module's test class path holds them all): the API imports no core, the core names no plugin,
 * plugins import no core, and no two packages of the core import each other, directly or around a loop.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainCode() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")) // the core's test-jar (the test kits)
        .importPackages("io.vi4j", "com.example.vi4j");
  }

  @Test
  void theApiImportsNoCore() {
    noClasses().that().resideInAPackage("io.vi4j.api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vi4j.core..", "io.vi4j.plugins..", "io.vi4j.apps..")
        .check(main);
  }

  @Test
  void theCoreNamesNoPlugin() {
    noClasses().that().resideInAPackage("io.vi4j.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vi4j.plugins..", "com.example..", "io.vi4j.apps..")
        .check(main);
  }

  @Test
  void pluginsImportNoCore() {
    noClasses().that().resideInAnyPackage("io.vi4j.plugins..", "com.example..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vi4j.core..", "io.vi4j.apps..")
        .check(main);
  }

  @Test
  void theCoresPackagesHaveNoCycles() {
    slices().matching("io.vi4j.core.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void theApisPackagesHaveNoCycles() {
    slices().matching("io.vi4j.api.(**)").should().beFreeOfCycles().check(main);
  }
}
