package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.core.Principal;
import fr.coffre.core.StorageFailureException;
import fr.coffre.core.TenantRecord;
import fr.coffre.metadata.MetadataStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which chains an action is recorded in. */
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
}
