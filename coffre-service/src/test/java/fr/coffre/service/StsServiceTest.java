package fr.coffre.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.Quota;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StsServiceTest {
  @TempDir(factory = ServiceFixture.TempDirs.class)
  Path dir;

  private ServiceFixture f;
  private RoleService roles;
  private StsService sts;
  private String account;
  private Principal bob;
  private VerifiedWebIdentity identity;

  @BeforeEach
  void open() {
    f = ServiceFixture.open(dir);
    roles = new RoleService(f.metadata, f.identities, f.clock);
    sts =
        new StsService(
            f.metadata, f.identities, roles, f.rootKey, f.clock, (token, now) -> identity);
    account = f.identities.createTenant("mairie", Quota.NONE).accountId();
    f.identities.createUser("mairie", "bob");
    f.identities.putUserPolicy(
        "mairie",
        "bob",
        "assume",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    bob =
        f.identities
            .principal(f.identities.createAccessKey("mairie", "bob").accessKeyId())
            .orElseThrow();
    roles.createRole(
        "mairie",
        "uploader",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + account
            + ":user/bob\"},\"Action\":\"sts:AssumeRole\"},{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"https://idp.example/r\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"idp.example/r:aud\":\"coffre\"}}}]}",
        7200);
    roles.putRolePolicy(
        "mairie",
        "uploader",
        "depot",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::depot/*\"}]}");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private String roleArn() {
    return "arn:aws:iam::" + account + ":role/uploader";
  }

  private static IdentityException.Reason reason(Throwable t) {
    return ((IdentityException) t).reason();
  }

  @Test
  void assumeRole_credentialsActAsTheRoleUntilTheyExpire() {
    StsService.Credentials c = sts.assumeRole(bob, roleArn(), "s1", 900, Map.of());
    assertThat(c.accessKeyId()).startsWith("ASIA").hasSize(20);
    assertThat(c.expiration()).isEqualTo(ServiceFixture.START.plusSeconds(900));
    assertThat(c.assumedRoleArn())
        .isEqualTo("arn:aws:sts::" + account + ":assumed-role/uploader/s1");

    assertThat(f.identities.secretKey(c.accessKeyId(), c.sessionToken()))
        .contains(c.secretAccessKey());
    // Without its token the key is unknown; with another, or a token with a long-term key, refused.
    assertThat(f.identities.secretKey(c.accessKeyId(), null)).isEmpty();
    assertThat(f.identities.secretKey(c.accessKeyId())).isEmpty();
    assertThatThrownBy(() -> f.identities.secretKey(c.accessKeyId(), c.sessionToken() + "x"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.INVALID_TOKEN));
    assertThatThrownBy(() -> f.identities.secretKey(bob.accessKey(), c.sessionToken()))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.INVALID_TOKEN));

    Principal session = f.identities.principal(c.accessKeyId()).orElseThrow();
    assertThat(session.isRoleSession()).isTrue();
    assertThat(session.isRoot()).isFalse();
    assertThat(session.arn()).isEqualTo(c.assumedRoleArn());
    assertThat(f.identities.policiesOf(session)).hasSize(1);

    f.clock.now = c.expiration();
    assertThatThrownBy(() -> f.identities.secretKey(c.accessKeyId(), c.sessionToken()))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.EXPIRED_TOKEN));
    assertThat(f.identities.principal(c.accessKeyId())).isEmpty();
  }

  @Test
  void assumeRole_deletingTheRoleEndsItsSessions() {
    StsService.Credentials c = sts.assumeRole(bob, roleArn(), "s1", null, Map.of());
    assertThat(c.expiration()).isEqualTo(ServiceFixture.START.plusSeconds(3600));
    roles.deleteRole("mairie", "uploader");
    assertThat(f.identities.secretKey(c.accessKeyId(), c.sessionToken())).isEmpty();
  }

  @Test
  void assumeRole_refusedWithoutTrust_withoutPermission_outOfBounds() {
    f.identities.createUser("mairie", "carol");
    f.identities.putUserPolicy(
        "mairie",
        "carol",
        "assume",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    Principal carol =
        f.identities
            .principal(f.identities.createAccessKey("mairie", "carol").accessKeyId())
            .orElseThrow();
    assertThatThrownBy(() -> sts.assumeRole(carol, roleArn(), "s1", null, Map.of()))
        .isInstanceOf(AccessDeniedException.class);
    f.identities.deleteUserPolicy("mairie", "bob", "assume");
    assertThatThrownBy(() -> sts.assumeRole(bob, roleArn(), "s1", null, Map.of()))
        .isInstanceOf(AccessDeniedException.class);
    f.identities.putUserPolicy(
        "mairie",
        "bob",
        "assume",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    assertThatThrownBy(() -> sts.assumeRole(bob, roleArn(), "s1", 899, Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> sts.assumeRole(bob, roleArn(), "s1", 7201, Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(sts.assumeRole(bob, roleArn(), "s1", 7200, Map.of()).expiration())
        .isEqualTo(ServiceFixture.START.plusSeconds(7200));
    assertThatThrownBy(
            () ->
                sts.assumeRole(
                    bob, "arn:aws:iam::" + account + ":role/absent", "s1", null, Map.of()))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> sts.assumeRole(bob, roleArn(), "a b", null, Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void webIdentity_trustedIssuerAndAudience_credentialsEndWithTheToken() {
    Instant exp = ServiceFixture.START.plusSeconds(600);
    identity =
        new VerifiedWebIdentity(
            "https://idp.example/r", "agent-42", List.of("coffre"), exp, Map.of());
    StsService.WebIdentityCredentials w =
        sts.assumeRoleWithWebIdentity(roleArn(), "agent", "a.b.c", 3600);
    assertThat(w.credentials().expiration()).isEqualTo(exp);
    assertThat(w.subject()).isEqualTo("agent-42");
    assertThat(w.provider()).isEqualTo("idp.example/r");
    identity =
        new VerifiedWebIdentity(
            "https://idp.example/r", "agent-42", List.of("other"), exp, Map.of());
    assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(roleArn(), "agent", "a.b.c", null))
        .isInstanceOf(AccessDeniedException.class);
    identity =
        new VerifiedWebIdentity(
            "https://evil.example/r", "agent-42", List.of("coffre"), exp, Map.of());
    assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(roleArn(), "agent", "a.b.c", null))
        .isInstanceOf(AccessDeniedException.class);
  }
}
