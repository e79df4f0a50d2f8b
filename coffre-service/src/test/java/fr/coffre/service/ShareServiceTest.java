package fr.coffre.service;

import static fr.coffre.service.ServiceFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Principal;
import fr.coffre.core.ShareLinkException;
import fr.coffre.core.ShareLinkException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareServiceTest {
  private static final Map<String, List<String>> NO_CONDITIONS = Map.of();

  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private BucketName bucket;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    bucket = f.bucket("partages");
    f.put(bucket, "compte-rendu.pdf", utf8("compte rendu du conseil"));
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private ShareService.Created share(Principal caller, String password, Integer maxDownloads) {
    return f.shares.create(
        caller,
        bucket,
        "compte-rendu.pdf",
        Duration.ofDays(1),
        password,
        maxDownloads,
        NO_CONDITIONS);
  }

  private byte[] download(String token, String password) {
    return ServiceFixture.drain(f.shares.open(token, password, NO_CONDITIONS).object().content());
  }

  private static void assertShareRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ShareLinkException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void passwordsAreSaltedPbkdf2AndCheckedExactly() {
    String a = ShareService.hashPassword("correct horse");
    String b = ShareService.hashPassword("correct horse");
    assertThat(a)
        .startsWith("pbkdf2-sha256$" + ShareService.PBKDF2_ITERATIONS + "$")
        .isNotEqualTo(b);
    assertThat(a).doesNotContain("correct horse");
    assertThat(ShareService.checkPassword("correct horse", a)).isTrue();
    assertThat(ShareService.checkPassword("correct horse", b)).isTrue();
    assertThat(ShareService.checkPassword("correct hors", a)).isFalse();
    assertThat(ShareService.checkPassword("Correct horse", a)).isFalse();
    assertThat(ShareService.checkPassword("correct horse", "sha1$1$AA==$AA==")).isFalse();
  }

  @Test
  void tokensAreStoredAsTheirSha256() {
    assertThat(ShareService.hashToken("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void open_aFreshLink_servesTheObject_andCountsTheDownload() {
    ShareService.Created link = share(f.root(), null, null);

    assertThat(link.link().tokenHash()).isEqualTo(ShareService.hashToken(link.token()));
    assertThat(f.shares.size(f.shares.resolve(link.token()), NO_CONDITIONS)).isEqualTo(23);
    ShareService.Download d = f.shares.open(link.token(), null, NO_CONDITIONS);
    assertThat(ServiceFixture.drain(d.object().content()))
        .isEqualTo(utf8("compte rendu du conseil"));
    assertThat(d.link().downloads()).isEqualTo(1);
    assertThat(f.shares.active(f.root(), NO_CONDITIONS))
        .extracting(l -> l.id())
        .containsExactly(link.link().id());
  }

  @Test
  void open_pastTheDownloadLimit_usedUp() {
    ShareService.Created link = share(f.root(), null, 2);
    download(link.token(), null);
    download(link.token(), null);

    assertShareRefused(() -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.USED_UP);
    assertThat(f.shares.active(f.root(), NO_CONDITIONS)).isEmpty();
  }

  @Test
  void open_onceTheClockPassesTheExpiry_expired_andPurgedLater() {
    ShareService.Created link = share(f.root(), null, null);
    f.advance(Duration.ofDays(1).minusSeconds(1));
    download(link.token(), null);

    f.advance(Duration.ofSeconds(1));
    assertShareRefused(() -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.EXPIRED);
    assertThat(f.shares.purge(Duration.ofDays(30))).isZero();
    f.advance(Duration.ofDays(30).plusSeconds(1));
    assertThat(f.shares.purge(Duration.ofDays(30))).isEqualTo(1);
    assertShareRefused(() -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.NOT_FOUND);
  }

  @Test
  void open_afterTheObjectIsReplacedOrDeleted_objectChanged() {
    ShareService.Created link = share(f.root(), null, null);

    f.put(bucket, "compte-rendu.pdf", utf8("version corrigée"));
    assertShareRefused(
        () -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.OBJECT_CHANGED);
    f.objects.delete(bucket, new ObjectKey("compte-rendu.pdf"));
    assertShareRefused(
        () -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.OBJECT_CHANGED);
  }

  @Test
  void revoke_endsTheLink_onceOnly() {
    ShareService.Created link = share(f.root(), null, null);

    f.shares.revoke(f.root(), link.link().id(), NO_CONDITIONS);

    assertShareRefused(() -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.REVOKED);
    assertShareRefused(
        () -> f.shares.revoke(f.root(), link.link().id(), NO_CONDITIONS), Reason.REVOKED);
    assertShareRefused(
        () -> f.shares.revoke(f.root(), "sh-inconnu", NO_CONDITIONS), Reason.NOT_FOUND);
  }

  @Test
  void open_withAPassword_requiresTheRightOne() {
    ShareService.Created link = share(f.root(), "mot de passe", null);

    assertShareRefused(
        () -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.PASSWORD_REQUIRED);
    assertShareRefused(
        () -> f.shares.open(link.token(), "mauvais", NO_CONDITIONS), Reason.WRONG_PASSWORD);
    assertThat(download(link.token(), "mot de passe")).isEqualTo(utf8("compte rendu du conseil"));
    assertThat(f.shares.resolve(link.token()).downloads()).isEqualTo(1);
  }

  @Test
  void create_outOfBounds_orAnonymous_refused() {
    assertThatThrownBy(
            () ->
                f.shares.create(
                    f.root(),
                    bucket,
                    "compte-rendu.pdf",
                    Duration.ofDays(31),
                    null,
                    null,
                    NO_CONDITIONS))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> share(f.root(), null, 0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> share(Principal.anonymous(), null, null))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aUsersLink_needsReadRights_andDiesWhenTheUserIsDisabled() {
    String tenant = ServiceFixture.defaultTenant();
    f.identities.createUser(tenant, "alice");
    String accessKey = f.identities.createAccessKey(tenant, "alice").accessKeyId();
    Principal alice = f.identities.principal(accessKey).orElseThrow();
    assertThatThrownBy(() -> share(alice, null, null)).isInstanceOf(AccessDeniedException.class);

    f.identities.putUserPolicy(
        tenant,
        "alice",
        "lecture",
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::partages/*"}]}""");
    ShareService.Created link = share(f.identities.principal(accessKey).orElseThrow(), null, null);
    assertThat(link.link().creator()).isEqualTo("alice");
    download(link.token(), null);

    f.identities.setUserEnabled(tenant, "alice", false);
    assertShareRefused(() -> f.shares.open(link.token(), null, NO_CONDITIONS), Reason.REVOKED);
  }
}
