package fr.coffre.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamApiTest {
  private final IamApi api = new IamApi(null);

  private Call route(String method, String path) {
    return api.route(method, List.of(path.split("/")));
  }

  @Test
  void route_eachCallIsTheIamActionOfTheSameName() {
    assertThat(route("GET", "iam/users").operation()).isEqualTo("ListUsers");
    assertThat(route("POST", "iam/users").operation()).isEqualTo("CreateUser");
    assertThat(route("DELETE", "iam/users/bob").operation()).isEqualTo("DeleteUser");
    assertThat(route("POST", "iam/users/bob/access-keys").operation()).isEqualTo("CreateAccessKey");
    assertThat(route("DELETE", "iam/users/bob/access-keys/CF1").operation())
        .isEqualTo("DeleteAccessKey");
    assertThat(route("PUT", "iam/users/bob/policies/read").operation()).isEqualTo("PutUserPolicy");
    assertThat(route("DELETE", "iam/users/bob/policies/read").operation())
        .isEqualTo("DeleteUserPolicy");
    assertThat(route("GET", "iam/roles").operation()).isEqualTo("ListRoles");
  }

  @Test
  void route_changesAreRecordedBeforeTheyStart_readsAreNot() {
    assertThat(route("GET", "iam/users").change()).isFalse();
    assertThat(route("GET", "iam/roles").change()).isFalse();
    assertThat(route("POST", "iam/users").change()).isTrue();
    assertThat(route("POST", "iam/users/bob/access-keys").change()).isTrue();
    assertThat(route("PUT", "iam/users/bob/policies/read").change()).isTrue();
  }

  @Test
  void route_otherCallsAreNotHere() {
    assertThat(route("PUT", "iam/users")).isNull();
    assertThat(route("POST", "iam/roles")).isNull();
    assertThat(route("GET", "iam/users/bob/access-keys")).isNull();
    assertThat(route("POST", "iam/groups")).isNull();
    assertThat(route("GET", "iam")).isNull();
    assertThat(route("PUT", "iam/users/bob/policies")).isNull();
  }

  @Test
  void details_keepOnlyTheNames_neverASecretNorADocument() {
    String d =
        IamApi.details(
            Map.of(
                "UserName", "bob",
                "AccessKeyId", "CF1",
                "PolicyName", "read",
                "SecretAccessKey", "s3cr3t",
                "PolicyDocument", "{\"Statement\":[]}"));
    assertThat(d)
        .isEqualTo("{\"UserName\":\"bob\",\"AccessKeyId\":\"CF1\",\"PolicyName\":\"read\"}");
  }
}
