package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.audit.AuditLog;
import fr.coffre.audit.AuditPeer;
import fr.coffre.audit.AuditVerifier;
import fr.coffre.audit.BundleReport;
import fr.coffre.audit.Signer;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.Principal;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.TenantRecord;
import fr.coffre.metadata.MetadataStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which chains an action is recorded in, and what an export holds on a server and a cluster. */
class AuditServiceTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static final Principal ROOT =
      new Principal(
          TenantRecord.DEFAULT, TenantRecord.DEFAULT_ACCOUNT, null, ServiceFixture.ROOT_ACCESS_KEY);

  @Test
  void chains_bucketOfAnotherTenant_areTheOwnersAndTheCallers() {
    f.identities.createTenant("town-a", null);
    f.buckets.create(new fr.coffre.core.BucketName("archives"), ServiceFixture.REGION, "town-a");
    AuditService audit = new AuditService(null, f.metadata, f.identities, true);
    assertThat(audit.chains("archives", ROOT, null))
        .containsExactly("town-a", TenantRecord.DEFAULT);
    assertThat(audit.chains("no-such-bucket", null, null))
        .containsExactly(AuditService.SYSTEM_CHAIN);
  }

  @Test
  void chains_metadataDatabaseDown_stillRecordedInTheCallersChainAndSystem() {
    MetadataStore down =
        (MetadataStore)
            Proxy.newProxyInstance(
                MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class},
                (proxy, method, args) -> {
                  throw new StorageFailureException("metadata database unreachable", null);
                });
    IdentityService identities =
        new IdentityService(
            down,
            f.rootKey,
            f.clock,
            ServiceFixture.ROOT_ACCESS_KEY,
            () -> ServiceFixture.ROOT_SECRET);
    AuditService audit = new AuditService(null, down, identities, true);
    assertThat(audit.chains("archives", ROOT, null))
        .containsExactly(TenantRecord.DEFAULT, AuditService.SYSTEM_CHAIN);
    assertThat(audit.chains("archives", null, "AKSOMEUSER"))
        .containsExactly(AuditService.SYSTEM_CHAIN);
  }

  @Test
  void export_singleServer_isItsOwnExport_cluster_isABundleOfEveryNode() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    Signer signer =
        new Signer() {
          @Override
          public byte[] sign(byte[] message) {
            try {
              Signature s = Signature.getInstance("Ed25519");
              s.initSign(pair.getPrivate());
              s.update(message);
              return s.sign();
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(e);
            }
          }

          @Override
          public String publicKeyBase64() {
            return publicKey;
          }
        };
    try (AuditLog log =
        AuditLog.open(dir.resolve("audit"), AuditLog.Options.defaults(), () -> signer, f.clock)) {
      AuditService audit = new AuditService(log, f.metadata, f.identities, true);
      audit.recordFor(
          "acme",
          new AuditEvent(
              f.clock.instant(),
              "R1",
              "admin",
              new AuditEvent.Actor("operator", null, null, null, null, "ops"),
              null,
              false,
              "Test",
              null,
              null,
              null,
              200,
              null,
              0,
              0,
              null));
      ByteArrayOutputStream single = new ByteArrayOutputStream();
      audit.export("acme", single);
      assertThat(single.toString(StandardCharsets.UTF_8)).startsWith("{\"type\":\"export\"");

      AuditPeer down =
          new AuditPeer() {
            @Override
            public String node() {
              return "node-2";
            }

            @Override
            public void export(String chain, OutputStream out) throws IOException {
              throw new ConnectException("node node-2 is down");
            }
          };
      audit.inCluster("node-1", () -> List.of(down));
      ByteArrayOutputStream bundle = new ByteArrayOutputStream();
      audit.export("acme", bundle);
      BundleReport r =
          AuditVerifier.verifyBundle(
              new ByteArrayInputStream(bundle.toByteArray()), List.of(publicKey));
      assertThat(r.ok()).as(r.describe()).isTrue();
      assertThat(r.complete()).isFalse();
      assertThat(r.parts()).extracting(BundleReport.Part::node).containsExactly("node-1", "node-2");
      assertThat(r.parts().get(0).report().records()).isEqualTo(1);
      assertThat(r.parts().get(1).missing()).isEqualTo("unreachable: node node-2 is down");

      // Nodes that cannot be listed (the database is down): refused, never a bundle that
      // leaves one out.
      audit.inCluster(
          "node-1",
          () -> {
            throw new StorageFailureException("metadata database unreachable", null);
          });
      assertThatThrownBy(() -> audit.export("acme", new ByteArrayOutputStream()))
          .isInstanceOf(AuditUnavailableException.class)
          .hasMessageContaining("could miss");

      // What a peer asks of this node stays this node's own export.
      ByteArrayOutputStream local = new ByteArrayOutputStream();
      audit.exportLocal("acme", local);
      assertThat(local.toString(StandardCharsets.UTF_8)).startsWith("{\"type\":\"export\"");
    }
  }
}
