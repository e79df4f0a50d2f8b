package fr.coffre.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Placement by sensitivity class through a real server and the AWS SDK: a class that no configured
 * volume satisfies refuses writes and writes nothing anywhere; once qualified sites are declared,
 * writes land on them only; a lost volume does not lose a copied object.
 */
class PlacementIT {
  private static final String CLASS_HEADER = "x-coffre-sensitivity-class";

  private static String location(
      String site, String country, String qualifications, String volume, Path dir) {
    return "    - site: "
        + site
        + "\n      country: "
        + country
        + "\n      jurisdiction: EU\n      operator: other\n"
        + "      qualifications: ["
        + qualifications
        + "]\n      volumes:\n        - name: "
        + volume
        + "\n          path: "
        + dir.resolve(volume)
        + "\n";
  }

  private static long blobsIn(Path volume) throws IOException {
    if (!Files.isDirectory(volume.resolve("blobs"))) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(volume.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static void createBucket(S3Client s3, String bucket, String sensitivityClass) {
    s3.createBucket(
        r ->
            r.bucket(bucket)
                .overrideConfiguration(o -> o.putHeader(CLASS_HEADER, sensitivityClass)));
  }

  @Test
  void aSensitiveBucketIsWrittenOnlyToQualifiedSites(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("coffre.yaml");
    Files.writeString(
        config, "placement:\n  locations:\n" + location("frankfurt", "DE", "iso27001", "fra", dir));
    Path passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "correct horse battery staple placement");
    // "sensitive" refuses the development key file: a passphrase-sealed root key, unsealed at
    // start.
    ServerProcess server =
        ServerProcess.create("--config", config.toString())
            .withEnv(Map.of("COFFRE_ROOT_PASSPHRASE_FILE", passphrase.toString()));
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        waitUnsealed(s3);
        // A class no volume here can ever satisfy is refused at bucket creation, as a permanent
        // refusal (409: clients do not retry it as they retry a 503).
        assertThatThrownBy(() -> createBucket(s3, "dossiers", "sensitive"))
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(409);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PlacementNotSatisfiable");
                  assertThat(e.awsErrorDetails().errorMessage())
                      .contains("secnumcloud")
                      .contains("frankfurt");
                });
        assertThatThrownBy(() -> s3.headBucket(r -> r.bucket("dossiers")))
            .isInstanceOf(S3Exception.class);
        assertThat(blobsIn(dir.resolve("fra"))).isZero();
        // An unknown class is the client's mistake.
        assertThatThrownBy(() -> createBucket(s3, "nowhere", "top-secret"))
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(400);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSensitivityClass");
                });
      }
      server.terminate();
      assertThat(server.waitForExit(Duration.ofSeconds(30))).isNotEqualTo(-1);

      // The operator declares two SecNumCloud sites in France.
      Files.writeString(
          config,
          "placement:\n  locations:\n"
              + location("frankfurt", "DE", "iso27001", "fra", dir)
              + location("paris-1", "FR", "secnumcloud, hds", "par1", dir)
              + location("paris-2", "FR", "secnumcloud", "par2", dir));
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        waitUnsealed(s3);
        createBucket(s3, "dossiers", "sensitive");
        s3.putObject(r -> r.bucket("dossiers").key("a.txt"), RequestBody.fromString("secret"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("dossiers").key("a.txt")).asUtf8String())
            .isEqualTo("secret");
        assertThat(blobsIn(dir.resolve("par1"))).isEqualTo(1);
        assertThat(blobsIn(dir.resolve("par2"))).isEqualTo(1);
        assertThat(blobsIn(dir.resolve("fra"))).isZero();
        // An "internal" bucket (the default class) may use any site: one copy.
        s3.createBucket(r -> r.bucket("notes"));
        s3.putObject(r -> r.bucket("notes").key("n.txt"), RequestBody.fromString("note"));
        assertThat(
                blobsIn(dir.resolve("fra"))
                    + blobsIn(dir.resolve("par1"))
                    + blobsIn(dir.resolve("par2")))
            .isEqualTo(3);
      }
    } finally {
      server.close();
    }
  }

  @Test
  void aLostVolumeIsRepairedOntoAnAllowedOne_andTheSignedReportShowsIt(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("coffre.yaml");
    Files.writeString(
        config,
        "placement:\n  default-class: twice\n  classes:\n    - name: twice\n      countries: [FR]\n"
            + "      copies: 2\n      sites: 2\n  locations:\n"
            + location("a", "FR", "", "va", dir)
            + location("b", "FR", "", "vb", dir)
            + location("c", "FR", "", "vc", dir)
            + location("d", "DE", "", "vd", dir));
    try (ServerProcess server = ServerProcess.start("512m", "--config", config.toString());
        S3Client s3 = S3Clients.modern(server.endpoint())) {
      s3.createBucket(r -> r.bucket("archives"));
      s3.putObject(
          r -> r.bucket("archives").key("acte.pdf"), RequestBody.fromString("acte de naissance"));
      assertThat(blobsIn(dir.resolve("vd"))).as("DE is not allowed").isZero();
      String lost =
          blobsIn(dir.resolve("va")) == 1 ? "va" : blobsIn(dir.resolve("vb")) == 1 ? "vb" : "vc";
      // A volume holding a copy is lost, directory and all: reads use the other copy.
      try (Stream<Path> files = Files.walk(dir.resolve(lost))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      assertThat(s3.getObjectAsBytes(r -> r.bucket("archives").key("acte.pdf")).asUtf8String())
          .isEqualTo("acte de naissance");
      ServerProcess.Admin before = server.admin("GET", "buckets/archives/residency", null);
      assertThat(before.status()).isEqualTo(200);
      assertThat(before.body()).contains("\"compliant\" : false").contains("acte.pdf");

      ServerProcess.Admin scrub = server.admin("POST", "scrub", null);
      assertThat(scrub.status()).as(scrub.body()).isEqualTo(200);
      assertThat(scrub.body()).contains("\"repaired\" : 1");
      long copies =
          blobsIn(dir.resolve("va")) + blobsIn(dir.resolve("vb")) + blobsIn(dir.resolve("vc"));
      assertThat(copies).isEqualTo(2);
      assertThat(blobsIn(dir.resolve("vd"))).as("never repaired onto a forbidden volume").isZero();

      Path report = dir.resolve("report.json");
      ServerProcess.Admin after = server.admin("GET", "buckets/archives/residency", null);
      Files.writeString(report, after.body());
      assertThat(after.body()).contains("\"compliant\" : true").contains("\"country\" : \"FR\"");
      Path key = server.dataDir().resolve("keys/signing.pub");
      ServerProcess.Admin ok =
          ServerProcess.cli(
              Map.of(), "residency", "verify", report.toString(), "--public-key", key.toString());
      assertThat(ok.status()).as(ok.body()).isZero();
      Files.writeString(report, after.body().replace("\"FR\"", "\"DE\""));
      ServerProcess.Admin forged =
          ServerProcess.cli(
              Map.of(), "residency", "verify", report.toString(), "--public-key", key.toString());
      assertThat(forged.status()).as(forged.body()).isEqualTo(1);
      assertThat(forged.body()).contains("changed after signing");
      // The repair is in the tenant's audit trail.
      assertThat(server.admin("GET", "audit/default", null).body()).contains("RepairCopies");

      // Bit rot on one copy: reads still serve the right bytes (from the other copy), the scrubber
      // finds the copy that fails its integrity check and rewrites it.
      Path rotten = firstBlob(dir, lost.equals("va") ? "vb" : "va", "vc");
      byte[] bytes = Files.readAllBytes(rotten);
      bytes[bytes.length - 5] ^= 0x40;
      Files.write(rotten, bytes);
      for (int i = 0; i < 3; i++) {
        assertThat(s3.getObjectAsBytes(r -> r.bucket("archives").key("acte.pdf")).asUtf8String())
            .isEqualTo("acte de naissance");
      }
      ServerProcess.Admin rescrub = server.admin("POST", "scrub", null);
      assertThat(rescrub.body()).contains("\"repaired\" : 1");
      assertThat(server.admin("GET", "audit/default", null).body())
          .contains("fails the integrity check");
      assertThat(Files.readAllBytes(rotten)).isNotEqualTo(bytes);
      assertThat(server.admin("POST", "scrub", null).body()).contains("\"repaired\" : 0");
    }
  }

  @Test
  void aLockedOldVersionIsRepairedLikeAnyOther_andStaysLocked(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("coffre.yaml");
    Files.writeString(
        config,
        "placement:\n  default-class: twice\n  classes:\n    - name: twice\n      countries: [FR]\n"
            + "      copies: 2\n      sites: 2\n  locations:\n"
            + location("a", "FR", "", "va", dir)
            + location("b", "FR", "", "vb", dir)
            + location("c", "FR", "", "vc", dir));
    try (ServerProcess server = ServerProcess.start("512m", "--config", config.toString());
        S3Client s3 = S3Clients.modern(server.endpoint())) {
      s3.createBucket(r -> r.bucket("registres").objectLockEnabledForBucket(true));
      Instant until = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
      String old =
          s3.putObject(
                  r ->
                      r.bucket("registres")
                          .key("registre.pdf")
                          .objectLockMode(ObjectLockMode.COMPLIANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromString("registre 1900"))
              .versionId();
      s3.putObject(
          r -> r.bucket("registres").key("registre.pdf"), RequestBody.fromString("registre 1901"));
      String lost = blobsIn(dir.resolve("va")) > 0 ? "va" : "vb";
      long onLost = blobsIn(dir.resolve(lost));
      try (Stream<Path> files = Files.walk(dir.resolve(lost))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      ServerProcess.Admin scrub = server.admin("POST", "scrub", null);
      assertThat(scrub.status()).as(scrub.body()).isEqualTo(200);
      assertThat(scrub.body()).contains("\"repaired\" : " + onLost);
      assertThat(
              blobsIn(dir.resolve("va")) + blobsIn(dir.resolve("vb")) + blobsIn(dir.resolve("vc")))
          .as("two copies of each version again")
          .isEqualTo(4);
      var head = s3.headObject(r -> r.bucket("registres").key("registre.pdf").versionId(old));
      assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
      assertThat(head.objectLockRetainUntilDate()).isEqualTo(until);
      assertThat(
              s3.getObjectAsBytes(r -> r.bucket("registres").key("registre.pdf").versionId(old))
                  .asUtf8String())
          .isEqualTo("registre 1900");
      S3Exception refused =
          catchThrowableOfType(
              S3Exception.class,
              () ->
                  s3.deleteObject(
                      r ->
                          r.bucket("registres")
                              .key("registre.pdf")
                              .versionId(old)
                              .bypassGovernanceRetention(true)));
      assertThat(refused.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void reclassificationIsRefusedWhileDataIsOutOfClass_andAMigrationMovesItFirst(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("coffre.yaml");
    String classes =
        "  classes:\n    - name: france\n      countries: [FR]\n      copies: 2\n      sites: 2\n";
    Files.writeString(
        config,
        "placement:\n" + classes + "  locations:\n" + location("frankfurt", "DE", "", "fra", dir));
    ServerProcess server = ServerProcess.create("--config", config.toString());
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(r -> r.bucket("dossiers"));
        for (int i = 0; i < 3; i++) {
          int n = i;
          s3.putObject(
              r -> r.bucket("dossiers").key("d" + n), RequestBody.fromString("dossier " + n));
        }
      }
      assertThat(blobsIn(dir.resolve("fra"))).isEqualTo(3);
      server.terminate();
      server.waitForExit(Duration.ofSeconds(30));
      Files.writeString(
          config,
          "placement:\n"
              + classes
              + "  locations:\n"
              + location("frankfurt", "DE", "", "fra", dir)
              + location("paris-1", "FR", "", "par1", dir)
              + location("paris-2", "FR", "", "par2", dir));
      server.launch();
      ServerProcess.Admin refused =
          server.admin("PUT", "buckets/dossiers/class", "{\"class\": \"france\"}");
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.body())
          .contains("ReclassificationRefused")
          .contains("d0")
          .contains("frankfurt");
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        assertThat(
                s3.headBucket(r -> r.bucket("dossiers"))
                    .sdkHttpResponse()
                    .firstMatchingHeader(CLASS_HEADER))
            .contains("internal");
      }
      ServerProcess.Admin migrated =
          server.admin(
              "PUT", "buckets/dossiers/class", "{\"class\": \"france\", \"migrate\": true}");
      assertThat(migrated.status()).as(migrated.body()).isEqualTo(200);
      assertThat(migrated.body()).contains("\"migrated\" : 3").contains("\"offending\" : [ ]");
      assertThat(blobsIn(dir.resolve("fra"))).isZero();
      assertThat(blobsIn(dir.resolve("par1"))).isEqualTo(3);
      assertThat(blobsIn(dir.resolve("par2"))).isEqualTo(3);
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        assertThat(
                s3.headBucket(r -> r.bucket("dossiers"))
                    .sdkHttpResponse()
                    .firstMatchingHeader(CLASS_HEADER))
            .contains("france");
        assertThat(s3.getObjectAsBytes(r -> r.bucket("dossiers").key("d1")).asUtf8String())
            .isEqualTo("dossier 1");
      }
      assertThat(server.admin("GET", "buckets/dossiers/residency", null).body())
          .contains("\"compliant\" : true");
      // Before and after are in the tenant's audit trail.
      assertThat(server.admin("GET", "audit/default", null).body())
          .contains("PUT /admin/v1/buckets/dossiers/class")
          .contains("\"sensitivityClass\":\"france\"");
    } finally {
      server.close();
    }
  }

  @Test
  void aConfigurationChangeThatPutsDataOutOfClassStopsTheStart_unlessAccepted(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("coffre.yaml");
    String head =
        "placement:\n  default-class: france\n  classes:\n    - name: france\n      countries: [FR]\n"
            + "      copies: 2\n      sites: 2\n";
    Files.writeString(
        config,
        head
            + "  locations:\n"
            + location("paris-1", "FR", "", "par1", dir)
            + location("paris-2", "FR", "", "par2", dir));
    ServerProcess server = ServerProcess.create("--config", config.toString());
    try {
      server.launch();
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        s3.createBucket(r -> r.bucket("etat-civil"));
        s3.putObject(r -> r.bucket("etat-civil").key("acte"), RequestBody.fromString("acte"));
      }
      server.terminate();
      server.waitForExit(Duration.ofSeconds(30));
      // The operator declares that paris-2 is in fact in Germany, and adds a third French site.
      String moved =
          "  locations:\n"
              + location("paris-1", "FR", "", "par1", dir)
              + location("paris-2", "DE", "", "par2", dir)
              + location("lyon", "FR", "", "lyon", dir);
      Files.writeString(config, head + moved);
      assertThatThrownBy(server::launch)
          .hasMessageContaining("puts existing data where its class forbids")
          .hasMessageContaining("etat-civil/acte")
          .hasMessageContaining("par2");
      Files.writeString(config, head + "  accept-out-of-policy: true\n" + moved);
      server.launch();
      // The scrubber's first pass (at start) moves the copy off the site that left France.
      String report = "";
      for (int i = 0; i < 50 && !report.contains("\"compliant\" : true"); i++) {
        Thread.sleep(200);
        report = server.admin("GET", "buckets/etat-civil/residency", null).body();
      }
      assertThat(report).contains("\"compliant\" : true");
      assertThat(server.admin("GET", "audit/default", null).body())
          .contains("RepairCopies")
          .contains("removed from par2");
      assertThat(blobsIn(dir.resolve("par2"))).isZero();
      assertThat(blobsIn(dir.resolve("par1")) + blobsIn(dir.resolve("lyon"))).isEqualTo(2);
      assertThat(server.admin("GET", "buckets/etat-civil/residency", null).body())
          .contains("\"compliant\" : true");
      try (S3Client s3 = S3Clients.modern(server.endpoint())) {
        assertThat(s3.getObjectAsBytes(r -> r.bucket("etat-civil").key("acte")).asUtf8String())
            .isEqualTo("acte");
      }
    } finally {
      server.close();
    }
  }

  /** The blob file on the first of these volumes that holds one. */
  private static Path firstBlob(Path dir, String... volumes) throws IOException {
    for (String v : volumes) {
      if (blobsIn(dir.resolve(v)) > 0) {
        try (Stream<Path> files = Files.walk(dir.resolve(v).resolve("blobs"))) {
          return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
      }
    }
    throw new AssertionError("no blob on " + java.util.Arrays.toString(volumes));
  }

  private static void waitUnsealed(S3Client s3) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try {
        s3.listBuckets();
        return;
      } catch (S3Exception e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the server did not unseal");
  }
}
