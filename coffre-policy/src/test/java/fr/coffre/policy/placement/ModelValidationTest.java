package fr.coffre.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelValidationTest {

  private static void rejected(Runnable construction, String message) {
    assertThatThrownBy(construction::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void location_normalisesItsCollections() {
    List<String> volumes = new ArrayList<>(List.of("b", "a"));
    Location l = new Location("s", "FR", null, null, null, volumes);
    volumes.add("c");
    assertThat(l.volumes()).containsExactly("b", "a");
    assertThat(l.qualifications()).isEmpty();
    assertThat(new Location("s", null, null, "op", Set.of("hds", "c5"), List.of("v")))
        .isEqualTo(new Location("s", null, null, "op", Set.of("c5", "hds"), List.of("v")));
  }

  @Test
  void location_invalidFields_areNamed() {
    rejected(
        () -> new Location(" ", "FR", null, null, null, List.of("v")),
        "location: site name is required");
    rejected(
        () -> new Location("london", "UK", null, null, null, List.of("v")),
        "site 'london': country 'UK' is not an ISO 3166-1 alpha-2 code in upper case "
            + "(e.g. FR, DE; GB, not UK)");
    rejected(
        () -> new Location("paris", "fr", null, null, null, List.of("v")),
        "site 'paris': country 'fr' is not an ISO 3166-1 alpha-2 code in upper case "
            + "(e.g. FR, DE; GB, not UK)");
    rejected(
        () -> new Location("paris", "FR", null, "", null, List.of("v")),
        "site 'paris': operator is blank (omit it when not declared)");
    rejected(
        () -> new Location("paris", "FR", null, null, Set.of("SecNumCloud"), List.of("v")),
        "site 'paris': qualification 'SecNumCloud' must be lower case letters, digits, '.', '_' "
            + "or '-' (e.g. secnumcloud)");
    rejected(
        () -> new Location("paris", "FR", null, null, null, List.of()),
        "site 'paris': volumes must list at least one");
    rejected(
        () -> new Location("paris", "FR", null, null, null, null),
        "site 'paris': volumes must list at least one");
    rejected(
        () -> new Location("paris", "FR", null, null, null, List.of("v", "v")),
        "site 'paris': volumes: 'v' is listed twice");
    rejected(
        () -> new Location("paris", "FR", null, null, null, List.of("v", "")),
        "site 'paris': volumes: a volume name is blank");
  }

  @Test
  void topology_validatesSitesAndVolumes() {
    Location a = new Location("a", "FR", null, null, null, List.of("v1", "v2"));
    Location a2 = new Location("a", "DE", null, null, null, List.of("v3"));
    Location b = new Location("b", "DE", null, null, null, List.of("v2"));
    rejected(() -> new Topology(null, List.of(a, a2)), "topology: site 'a' is declared twice");
    rejected(
        () -> new Topology(null, List.of(a, b)),
        "topology: volume 'v2' belongs to both site 'a' and site 'b'");
    rejected(() -> new Topology(null, List.of()), "topology: no location declared");
    rejected(
        () -> new Topology(" ", List.of(a)),
        "topology: operator is blank (omit it when not declared)");
  }

  @Test
  void topology_looksUpVolumes() {
    assertThat(Sites.TOPOLOGY.volumes())
        .containsExactly("p1", "p2", "l1", "l2", "f1", "o1", "v1", "s1");
    assertThat(Sites.TOPOLOGY.locationOf("l2")).contains(Sites.LYON);
    assertThat(Sites.TOPOLOGY.locationOf("nope")).isEmpty();
  }

  @Test
  void locationRule_invalidFields_areNamed() {
    rejected(
        () -> new LocationRule(Set.of(), false, false, null, false),
        "location rule: countries is empty, which allows nowhere (omit it to allow any)");
    rejected(
        () -> new LocationRule(Set.of("EU"), false, false, null, false),
        "location rule: country 'EU' is not an ISO 3166-1 alpha-2 code in upper case (e.g. FR)");
    rejected(
        () -> new LocationRule(null, false, false, Set.of("HDS"), false),
        "location rule: qualification 'HDS' must be lower case letters, digits, '.', '_' or '-' "
            + "(e.g. secnumcloud)");
  }

  @Test
  void sensitivityClass_invalidFields_areNamed() {
    LocationRule any = LocationRule.ANYWHERE;
    Set<String> keys = Set.of("hsm");
    rejected(
        () -> new SensitivityClass("Secret", any, 1, 1, keys),
        "sensitivity class 'Secret': the name must be 1 to 32 lower case letters, digits or '-'");
    rejected(
        () -> new SensitivityClass("x".repeat(33), any, 1, 1, keys),
        "sensitivity class '"
            + "x".repeat(33)
            + "': the name must be 1 to 32 lower case letters, digits or '-'");
    rejected(
        () -> new SensitivityClass("c", null, 1, 1, keys),
        "sensitivity class 'c': rule is required");
    rejected(
        () -> new SensitivityClass("c", any, 0, 1, keys),
        "sensitivity class 'c': minCopies 0 is not between 1 and 8");
    rejected(
        () -> new SensitivityClass("c", any, 9, 1, keys),
        "sensitivity class 'c': minCopies 9 is not between 1 and 8");
    rejected(
        () -> new SensitivityClass("c", any, 2, 3, keys),
        "sensitivity class 'c': minSites 3 is not between 1 and minCopies (2)");
    rejected(
        () -> new SensitivityClass("c", any, 2, 0, keys),
        "sensitivity class 'c': minSites 0 is not between 1 and minCopies (2)");
    rejected(
        () -> new SensitivityClass("c", any, 1, 1, Set.of()),
        "sensitivity class 'c': keyModes must list at least one of file, sealed, hsm");
    rejected(
        () -> new SensitivityClass("c", any, 1, 1, Set.of("kms")),
        "sensitivity class 'c': key mode 'kms' is not one of file, sealed, hsm");
    assertThat(new SensitivityClass("c-8", any, 8, 8, keys).minSites()).isEqualTo(8);
  }
}
