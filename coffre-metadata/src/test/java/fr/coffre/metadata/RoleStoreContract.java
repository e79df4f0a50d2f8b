package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.IdentityException;
import fr.coffre.core.PolicyHolder;
import fr.coffre.core.Quota;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SessionCredentialRecord;
import fr.coffre.core.TenantRecord;
import fr.coffre.core.UserRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RoleStore} must have; an implementation's test extends this. */
public abstract class RoleStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
  private static final String DOC = "{\"Statement\":[{\"Effect\":\"Allow\"}]}";
  protected MetadataStore store;

  /** A new, empty store; the contract closes it after each test. */
  protected abstract MetadataStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.createTenant(new TenantRecord("mairie", "123456789012", T0, Quota.NONE));
    store.createTenant(new TenantRecord("hopital", "210987654321", T0, Quota.NONE));
    store.createUser(new UserRecord("mairie", "alice", T0, true));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private RoleStore r() {
    return store.roles();
  }

  private static IdentityException.Reason reason(Throwable t) {
    return ((IdentityException) t).reason();
  }

  @Test
  void role_createdOncePerTenant_listedByName_deletedWithItsPolicies() {
    r().createRole(new RoleRecord("mairie", "writer", TRUST, 7200, T0));
    r().createRole(new RoleRecord("mairie", "reader", TRUST, 3600, T0));
    r().createRole(new RoleRecord("hopital", "writer", TRUST, 3600, T0));
    assertThatThrownBy(() -> r().createRole(new RoleRecord("mairie", "writer", TRUST, 3600, T0)))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.ROLE_EXISTS));
    assertThatThrownBy(() -> r().createRole(new RoleRecord("nobody", "x", TRUST, 3600, T0)))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_TENANT));
    assertThat(r().roles("mairie"))
        .extracting(RoleRecord::name)
        .containsExactly("reader", "writer");
    RoleRecord w = r().role("mairie", "writer").orElseThrow();
    assertThat(w.trustPolicy()).isEqualTo(TRUST);
    assertThat(w.maxSessionSeconds()).isEqualTo(7200);
    assertThat(w.created()).isEqualTo(T0);

    r().putRolePolicy("mairie", "writer", "p1", DOC);
    r().putRolePolicy("mairie", "writer", "p1", "{}");
    assertThat(r().rolePolicies("mairie", "writer"))
        .containsExactly(java.util.Map.entry("p1", "{}"));
    assertThat(r().rolePolicies("hopital", "writer")).isEmpty();
    assertThatThrownBy(() -> r().putRolePolicy("mairie", "ghost", "p1", DOC))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_ROLE));
    assertThatThrownBy(() -> r().deleteRolePolicy("mairie", "writer", "p2"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_POLICY));

    r().deleteRole("mairie", "writer");
    assertThat(r().role("mairie", "writer")).isEmpty();
    assertThat(r().rolePolicies("mairie", "writer")).isEmpty();
    assertThat(r().role("hopital", "writer")).isPresent();
    assertThatThrownBy(() -> r().deleteRole("mairie", "writer"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_ROLE));
  }

  @Test
  void groups_haveMembersAndPolicies_membershipEndsWithTheUser() {
    r().createGroup("mairie", "agents", T0);
    assertThatThrownBy(() -> r().createGroup("mairie", "agents", T0))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.GROUP_EXISTS));
    r().addUserToGroup("mairie", "agents", "alice");
    r().addUserToGroup("mairie", "agents", "alice");
    assertThatThrownBy(() -> r().addUserToGroup("mairie", "agents", "bob"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_USER));
    assertThatThrownBy(() -> r().addUserToGroup("mairie", "ghosts", "alice"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_GROUP));
    assertThat(r().groups("mairie")).containsExactly("agents");
    assertThat(r().groupsOf("mairie", "alice")).containsExactly("agents");
    r().putGroupPolicy("mairie", "agents", "read", DOC);
    assertThat(r().groupPolicies("mairie", "agents")).containsEntry("read", DOC);

    store.deleteUser("mairie", "alice");
    assertThat(r().groupsOf("mairie", "alice")).isEmpty();
  }

  @Test
  void managedPolicies_attachToUsersGroupsAndRoles_detachOnce() {
    r().createManagedPolicy("mairie", "ReadOnly", DOC, T0);
    assertThatThrownBy(() -> r().createManagedPolicy("mairie", "ReadOnly", DOC, T0))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.POLICY_EXISTS));
    assertThat(r().managedPolicy("mairie", "ReadOnly")).contains(DOC);
    assertThat(r().managedPolicy("hopital", "ReadOnly")).isEmpty();
    r().createRole(new RoleRecord("mairie", "writer", TRUST, 3600, T0));

    r().attachPolicy("mairie", PolicyHolder.USER, "alice", "ReadOnly");
    r().attachPolicy("mairie", PolicyHolder.USER, "alice", "ReadOnly");
    r().attachPolicy("mairie", PolicyHolder.ROLE, "writer", "ReadOnly");
    assertThatThrownBy(() -> r().attachPolicy("mairie", PolicyHolder.USER, "alice", "Missing"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_POLICY));
    assertThatThrownBy(() -> r().attachPolicy("mairie", PolicyHolder.ROLE, "ghost", "ReadOnly"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_ROLE));
    assertThatThrownBy(() -> r().attachPolicy("hopital", PolicyHolder.USER, "alice", "ReadOnly"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_POLICY));
    assertThat(r().attachedPolicies("mairie", PolicyHolder.USER, "alice"))
        .containsExactly("ReadOnly");
    assertThat(r().attachedPolicies("mairie", PolicyHolder.ROLE, "writer"))
        .containsExactly("ReadOnly");

    r().detachPolicy("mairie", PolicyHolder.USER, "alice", "ReadOnly");
    assertThat(r().attachedPolicies("mairie", PolicyHolder.USER, "alice")).isEmpty();
    assertThatThrownBy(() -> r().detachPolicy("mairie", PolicyHolder.USER, "alice", "ReadOnly"))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_POLICY));

    // A user deleted and created again does not inherit its predecessor's attachments.
    r().attachPolicy("mairie", PolicyHolder.USER, "alice", "ReadOnly");
    store.deleteUser("mairie", "alice");
    store.createUser(new UserRecord("mairie", "alice", T0, true));
    assertThat(r().attachedPolicies("mairie", PolicyHolder.USER, "alice")).isEmpty();
  }

  private static SessionCredentialRecord credential(String id, String role, Instant expires) {
    return new SessionCredentialRecord(
        id,
        "mairie",
        role,
        "session-1",
        "arn:aws:iam::123456789012:user/alice",
        new byte[] {1, 2, 3},
        "ab".repeat(32),
        T0,
        expires);
  }

  @Test
  void sessionCredentials_foundById_expiredOnesSwept_goneWithTheirRole() {
    r().createRole(new RoleRecord("mairie", "writer", TRUST, 3600, T0));
    assertThatThrownBy(
            () -> r().createSessionCredential(credential("ASIA1", "ghost", T0.plusSeconds(900))))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(IdentityException.Reason.NO_SUCH_ROLE));
    r().createSessionCredential(credential("ASIA1", "writer", T0.plusSeconds(900)));
    r().createSessionCredential(credential("ASIA2", "writer", T0.plusSeconds(3600)));
    SessionCredentialRecord k = r().sessionCredential("ASIA1").orElseThrow();
    assertThat(k.role()).isEqualTo("writer");
    assertThat(k.sessionName()).isEqualTo("session-1");
    assertThat(k.source()).isEqualTo("arn:aws:iam::123456789012:user/alice");
    assertThat(k.sealedSecret()).containsExactly(1, 2, 3);
    assertThat(k.tokenHash()).isEqualTo("ab".repeat(32));
    assertThat(k.expires()).isEqualTo(T0.plusSeconds(900));
    assertThat(r().sessionCredential("ASIA3")).isEmpty();

    assertThat(r().deleteExpiredSessionCredentials(T0.plusSeconds(901))).isEqualTo(1);
    assertThat(r().sessionCredential("ASIA1")).isEmpty();
    assertThat(r().sessionCredential("ASIA2")).isPresent();

    r().deleteRole("mairie", "writer");
    assertThat(r().sessionCredential("ASIA2")).isEmpty();
  }

  @Test
  void sessionCredentials_listedInPages_resealedOnlyFromTheirCurrentValue() {
    r().createRole(new RoleRecord("mairie", "writer", TRUST, 3600, T0));
    for (String id : List.of("ASIA3", "ASIA1", "ASIA2")) {
      r().createSessionCredential(credential(id, "writer", T0.plusSeconds(900)));
    }
    assertThat(r().sessionCredentials("", 2))
        .extracting(SessionCredentialRecord::accessKeyId)
        .containsExactly("ASIA1", "ASIA2");
    assertThat(r().sessionCredentials("ASIA2", 2))
        .extracting(SessionCredentialRecord::accessKeyId)
        .containsExactly("ASIA3");

    assertThat(r().resealSessionCredential("ASIA2", new byte[] {9}, new byte[] {7})).isFalse();
    assertThat(r().resealSessionCredential("ASIA2", new byte[] {1, 2, 3}, new byte[] {7, 8}))
        .isTrue();
    assertThat(r().sessionCredential("ASIA2").orElseThrow().sealedSecret()).containsExactly(7, 8);
    assertThat(r().resealSessionCredential("ASIA4", new byte[] {1, 2, 3}, new byte[] {7}))
        .isFalse();
  }
}
