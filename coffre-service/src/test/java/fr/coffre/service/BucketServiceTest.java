package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.BucketAlreadyOwnedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketNotEmptyException;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.PlacementRefusedException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buckets through the service, with the server's default placement (one undeclared site). */
class BucketServiceTest {
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

  private static void assertRefused(PlacementRefusedException.Reason reason, Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            PlacementRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void create_thenGetAndList_inTheDefaultClassAndTenant() {
    f.advance(java.time.Duration.ofMinutes(1));
    BucketRecord created = f.buckets.create(new BucketName("mairie"), ServiceFixture.REGION);

    assertThat(created.sensitivityClass()).isEqualTo(ServiceFixture.DEFAULT_CLASS);
    assertThat(created.tenant()).isEqualTo(ServiceFixture.defaultTenant());
    assertThat(f.buckets.get(new BucketName("mairie")))
        .satisfies(
            b -> {
              assertThat(b.created()).isEqualTo(ServiceFixture.START.plusSeconds(60));
              assertThat(b.region()).isEqualTo(ServiceFixture.REGION);
            });
    assertThat(f.buckets.list(ServiceFixture.defaultTenant()))
        .extracting(b -> b.name().value())
        .containsExactly("mairie");
    assertThatThrownBy(() -> f.buckets.get(new BucketName("absent")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void create_nameTaken_saysWhetherByTheCallerOrByAnotherTenant() {
    f.identities.createTenant("autre", null);
    f.bucket("pris");

    assertThatThrownBy(() -> f.bucket("pris"))
        .isInstanceOfSatisfying(
            BucketAlreadyOwnedException.class, e -> assertThat(e.byAnother()).isFalse());
    assertThatThrownBy(() -> f.bucket("pris", "autre"))
        .isInstanceOfSatisfying(
            BucketAlreadyOwnedException.class, e -> assertThat(e.byAnother()).isTrue());
    assertThat(f.buckets.list("autre")).isEmpty();
  }

  @Test
  void create_unknownClass_orAClassRefusingAFileRootKey_refused_andNothingCreated() {
    BucketName b = new BucketName("sante");

    assertRefused(
        PlacementRefusedException.Reason.UNKNOWN_CLASS,
        () ->
            f.buckets.create(
                b, ServiceFixture.REGION, ServiceFixture.defaultTenant(), "secret-defense"));
    assertRefused(
        PlacementRefusedException.Reason.KEY_MODE,
        () -> f.buckets.create(b, ServiceFixture.REGION, ServiceFixture.defaultTenant(), "health"));

    assertThat(f.buckets.list()).isEmpty();
  }

  @Test
  void create_inAClassNoVolumeCanEverSatisfy_refusedPermanently_noBucketNoByte() {
    // "personal" takes the file key mode but wants two copies in the EU: the undeclared site never
    // can.
    BucketName b = new BucketName("donnees-personnelles");
    assertRefused(
        PlacementRefusedException.Reason.NEVER_SATISFIABLE,
        () ->
            f.buckets.create(b, ServiceFixture.REGION, ServiceFixture.defaultTenant(), "personal"));
    assertThat(f.metadata.bucket(b)).isEmpty();
    assertThat(f.blobFiles()).isEmpty();
    assertThat(f.allFiles()).filteredOn(p -> p.startsWith(f.volume)).isEmpty();
  }

  @Test
  void delete_nonEmptyBucket_refused_emptyBucketDeleted() {
    BucketName b = f.bucket("a-vider");
    f.put(b, "k", utf8("x"));

    assertThatThrownBy(() -> f.buckets.delete(b)).isInstanceOf(BucketNotEmptyException.class);
    f.objects.delete(b, new ObjectKey("k"));
    f.buckets.delete(b);

    assertThatThrownBy(() -> f.buckets.get(b)).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> f.buckets.delete(b)).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void delete_withAnUploadInProgress_takesTheUploadAlong_andReclaimsItsParts() {
    BucketName b = f.bucket("uploads-en-cours");
    ObjectKey k = new ObjectKey("k");
    String id = f.multipart.create(b, k, ObjectAttributes.EMPTY, null, null);
    f.multipart.uploadPart(b, k, id, 1, new ByteArrayInputStream(utf8("partie")), null, null, null);
    assertThat(f.blobFiles()).hasSize(1);

    f.buckets.delete(b);

    assertThat(f.blobFiles()).isEmpty();
    f.bucket("uploads-en-cours");
    assertThat(f.multipart.uploads(b, "", null, null, 1000)).isEmpty();
  }

  @Test
  void settings_storedAsGiven_removedWithNull_missingBucketRefused() {
    BucketName b = f.bucket("reglages");
    String cors =
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>";

    f.buckets.setSetting(b, "cors", cors);
    assertThat(f.buckets.setting(b, "cors")).contains(cors);
    f.buckets.setSetting(b, "cors", null);
    assertThat(f.buckets.setting(b, "cors")).isEmpty();
    assertThatThrownBy(() -> f.buckets.setSetting(new BucketName("absent"), "cors", cors))
        .isInstanceOf(NoSuchBucketException.class);
  }
}
