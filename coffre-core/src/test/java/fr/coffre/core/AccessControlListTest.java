package fr.coffre.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.core.AccessControlList.Grant;
import fr.coffre.core.AccessControlList.Grantee;
import fr.coffre.core.AccessControlList.Group;
import fr.coffre.core.AccessControlList.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessControlListTest {
  private static final Grantee OWNER =
      Grantee.user(CanonicalIds.ofAccount("000000000000"), "default");

  @Test
  void encode_decode_roundTrips_withDisplayNamesThatNeedEscaping() {
    AccessControlList acl =
        new AccessControlList(
            OWNER,
            List.of(
                new Grant(OWNER, Permission.FULL_CONTROL),
                new Grant(
                    Grantee.user(CanonicalIds.ofUser("123456789012", "bob"), "b\tob@x y%"),
                    Permission.READ_ACP),
                new Grant(
                    Grantee.user(CanonicalIds.ofUser("123456789012", "eve"), null),
                    Permission.READ),
                new Grant(Grantee.of(Group.ALL_USERS), Permission.READ)));
    assertThat(AccessControlList.decode(acl.encode())).isEqualTo(acl);
    assertThat(acl.isPublic()).isTrue();
    assertThat(acl.withoutPublicGrants().grants()).hasSize(3);
    assertThat(acl.withoutPublicGrants().isPublic()).isFalse();
  }

  @Test
  void canonicalIds_areStable_distinct_and64Hex() {
    String tenant = CanonicalIds.ofAccount("123456789012");
    assertThat(tenant)
        .hasSize(64)
        .matches("[0-9a-f]+")
        .isEqualTo(CanonicalIds.ofAccount("123456789012"));
    assertThat(CanonicalIds.ofUser("123456789012", "bob")).isNotEqualTo(tenant);
    assertThat(CanonicalIds.ofAccount("123456789013")).isNotEqualTo(tenant);
  }

  @Test
  void badGrantees_andTooManyGrants_areRefused() {
    assertThatThrownBy(() -> Grantee.user("not-an-id", null))
        .isInstanceOf(InvalidArgumentException.class);
    List<Grant> many = new ArrayList<>(Collections.nCopies(101, new Grant(OWNER, Permission.READ)));
    assertThatThrownBy(() -> new AccessControlList(OWNER, many))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> AccessControlList.decode("nonsense"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fullControl_impliesEveryPermission() {
    for (Permission p : Permission.values()) {
      assertThat(Permission.FULL_CONTROL.implies(p)).isTrue();
    }
    assertThat(Permission.READ.implies(Permission.WRITE)).isFalse();
  }
}
