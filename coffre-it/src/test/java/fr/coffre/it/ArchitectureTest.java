package fr.coffre.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layers of DESIGN.md, checked: arrows point down only. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("fr.coffre");
  }

  @Test
  void layers_dependOnlyDownward() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy("fr.coffre.cli..")
        .layer("migrate")
        .definedBy("fr.coffre.migrate..")
        .layer("server")
        .definedBy("fr.coffre.server..")
        .layer("s3")
        .definedBy("fr.coffre.s3..")
        .layer("admin")
        .definedBy("fr.coffre.admin..")
        .layer("console")
        .definedBy("fr.coffre.console..")
        .layer("web")
        .definedBy("fr.coffre.web..")
        .layer("service")
        .definedBy("fr.coffre.service..")
        .layer("crypto")
        .definedBy("fr.coffre.crypto..")
        .layer("policy")
        .definedBy("fr.coffre.policy..")
        .layer("audit")
        .definedBy("fr.coffre.audit..")
        .layer("cluster")
        .definedBy("fr.coffre.cluster..")
        .layer("storage")
        .definedBy("fr.coffre.storage..")
        .layer("metadata")
        .definedBy("fr.coffre.metadata..")
        .layer("core")
        .definedBy("fr.coffre.core..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("migrate")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("server")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("s3")
        .mayOnlyBeAccessedByLayers("server")
        .whereLayer("admin")
        .mayOnlyBeAccessedByLayers("server")
        .whereLayer("console")
        .mayOnlyBeAccessedByLayers("server")
        .whereLayer("web")
        .mayOnlyBeAccessedByLayers("admin", "console", "server")
        .whereLayer("service")
        .mayOnlyBeAccessedByLayers("s3", "admin", "console", "server")
        .whereLayer("crypto")
        .mayOnlyBeAccessedByLayers("service", "server")
        .whereLayer("policy")
        .mayOnlyBeAccessedByLayers("service", "server")
        .whereLayer("audit")
        .mayOnlyBeAccessedByLayers("service", "server", "cli")
        .whereLayer("cluster")
        .mayOnlyBeAccessedByLayers("service", "server")
        .whereLayer("storage")
        .mayOnlyBeAccessedByLayers("service", "server", "cluster")
        .whereLayer("metadata")
        .mayOnlyBeAccessedByLayers("service", "server")
        .check(classes);
  }

  @Test
  void core_usesOnlyTheJdk() {
    noClasses()
        .that()
        .resideInAPackage("fr.coffre.core..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("fr.coffre.core..", "java..")
        .check(classes);
  }

  @Test
  void migrate_isAPureS3Client() {
    // export/import speak S3 to any server: they use nothing of Coffre's insides.
    noClasses()
        .that()
        .resideInAPackage("fr.coffre.migrate..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("fr.coffre..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.resideInAPackage("fr.coffre.migrate.."))))
        .check(classes);
  }

  @Test
  void protocol_neverTouchesStorageOrMetadata() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "fr.coffre.s3..", "fr.coffre.admin..", "fr.coffre.console..", "fr.coffre.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "fr.coffre.storage..",
            "fr.coffre.metadata..",
            "fr.coffre.crypto..",
            "fr.coffre.policy..",
            "fr.coffre.audit..")
        .check(classes);
  }

  @Test
  void s3_onlyItsJettyAdapterKnowsJetty() {
    // The pipeline is tested without sockets: S3Handler alone adapts it to Jetty.
    noClasses()
        .that()
        .resideInAPackage("fr.coffre.s3..")
        .and()
        .doNotHaveFullyQualifiedName("fr.coffre.s3.S3Handler")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jetty..")
        .check(classes);
  }

  @Test
  void onlyTheEdgeKnowsJetty() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "fr.coffre.core..",
            "fr.coffre.service..",
            "fr.coffre.storage..",
            "fr.coffre.metadata..",
            "fr.coffre.crypto..",
            "fr.coffre.audit..",
            "fr.coffre.s3.handlers..",
            "fr.coffre.s3.xml..",
            "fr.coffre.s3.auth..",
            "fr.coffre.s3.chunked..",
            "fr.coffre.s3.checksum..",
            "fr.coffre.s3.post..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jetty..")
        .check(classes);
  }

  @Test
  void jetty_knownOnlyByTheEdges() {
    noClasses()
        .that()
        .resideInAPackage("fr.coffre..")
        .and()
        .resideOutsideOfPackages(
            "fr.coffre.web..",
            "fr.coffre.admin..",
            "fr.coffre.cluster..",
            "fr.coffre.console..",
            "fr.coffre.s3..",
            "fr.coffre.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jetty..")
        .check(classes);
  }

  @Test
  void onlyTheCliWritesToStandardOutput() {
    noClasses()
        .that()
        .resideOutsideOfPackage("fr.coffre.cli..")
        .should()
        .accessField(System.class, "out")
        .check(classes);
  }
}
