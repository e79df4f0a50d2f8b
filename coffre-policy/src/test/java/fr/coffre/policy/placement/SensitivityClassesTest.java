package fr.coffre.policy.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensitivityClassesTest {

  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource({
    "public, paris-1, ",
    "public, lyon-2, ",
    "public, frankfurt, ",
    "public, oslo, ",
    "public, virginia, ",
    "public, somewhere, ",
    "internal, paris-1, ",
    "internal, lyon-2, ",
    "internal, frankfurt, ",
    "internal, oslo, ",
    "internal, virginia, ",
    "internal, somewhere, ",
    "personal, paris-1, ",
    "personal, lyon-2, ",
    "personal, frankfurt, ",
    "personal, oslo, country NO is not in the EU",
    "personal, virginia, country US is not in the EU",
    "personal, somewhere, country not declared",
    "health, paris-1, ",
    "health, lyon-2, ",
    "health, frankfurt, not qualified hds",
    "health, oslo, ",
    "health, virginia, country US is not in the EEA",
    "health, somewhere, country not declared",
    "sensitive, paris-1, ",
    "sensitive, lyon-2, not qualified secnumcloud",
    "sensitive, frankfurt, not qualified secnumcloud",
    "sensitive, oslo, country NO is not in the EU",
    "sensitive, virginia, country US is not in the EU",
    "sensitive, somewhere, country not declared",
    "restricted, paris-1, ",
    "restricted, lyon-2, not qualified secnumcloud",
    "restricted, frankfurt, country DE is not FR",
    "restricted, oslo, country NO is not FR",
    "restricted, virginia, country US is not FR",
    "restricted, somewhere, country not declared",
  })
  void whyNot_defaultClasses_followTheDoctrine(String cls, String site, String reason) {
    assertThat(Sites.cls(cls).whyNot(Sites.byName(site), Sites.TOPOLOGY)).isEqualTo(reason);
  }

  @Test
  void whyNot_undeclaredJurisdiction_failsJurisdictionRules() {
    Location l = new Location("x", "FR", null, Sites.OWN, Set.of("secnumcloud"), List.of("x1"));
    assertThat(Sites.cls("personal").whyNot(l, Sites.TOPOLOGY))
        .isEqualTo("jurisdiction not declared");
    assertThat(Sites.cls("health").whyNot(l, Sites.TOPOLOGY)).isEqualTo("not qualified hds");
  }

  @Test
  void whyNot_foreignJurisdictionInTheEu_isNotSovereign() {
    Location l =
        new Location(
            "dublin", "IE", Jurisdiction.NON_EU, "us-cloud", Set.of("secnumcloud"), List.of("d1"));
    assertThat(Sites.cls("personal").whyNot(l, Sites.TOPOLOGY))
        .isEqualTo("not under EU jurisdiction");
  }

  @Test
  void whyNot_restricted_requiresTheOperatorsOwnSites() {
    Location l =
        new Location(
            "paris-3", "FR", Jurisdiction.EU, "partner", Set.of("secnumcloud"), List.of("x1"));
    Location anonymous =
        new Location("paris-4", "FR", Jurisdiction.EU, null, Set.of("secnumcloud"), List.of("x2"));
    SensitivityClass restricted = Sites.cls("restricted");
    assertThat(restricted.whyNot(l, Sites.TOPOLOGY))
        .isEqualTo("site is operated by partner, not by the operator (coffre-ops)");
    assertThat(restricted.whyNot(anonymous, Sites.TOPOLOGY)).isEqualTo("operator not declared");
    assertThat(restricted.whyNot(Sites.PARIS, new Topology(null, List.of(Sites.PARIS))))
        .isEqualTo("the operator's own name is not declared in the topology");
  }

  @Test
  void whyNot_countryLists_areNamed() {
    LocationRule rule = new LocationRule(Set.of("FR", "BE"), false, false, null, false);
    assertThat(rule.whyNot(Sites.FRANKFURT, Sites.TOPOLOGY))
        .isEqualTo("country DE is not one of BE, FR");
    LocationRule eea = new LocationRule(Countries.EEA, false, false, null, false);
    assertThat(eea.whyNot(Sites.VIRGINIA, Sites.TOPOLOGY))
        .isEqualTo("country US is not in the EEA");
  }

  @Test
  void defaults_areExactlyTheDoctrine() {
    SensitivityClasses d = SensitivityClasses.defaults();
    assertThat(d.names())
        .containsExactly("public", "internal", "personal", "health", "sensitive", "restricted");
    assertThat(d.get("public"))
        .isEqualTo(
            new SensitivityClass(
                "public", LocationRule.ANYWHERE, 1, 1, Set.of("file", "sealed", "hsm")));
    assertThat(d.get("internal"))
        .isEqualTo(
            new SensitivityClass(
                "internal", LocationRule.ANYWHERE, 1, 1, Set.of("file", "sealed", "hsm")));
    assertThat(d.get("personal"))
        .isEqualTo(
            new SensitivityClass(
                "personal",
                new LocationRule(Countries.EU, false, true, Set.of(), false),
                2,
                1,
                Set.of("file", "sealed", "hsm")));
    assertThat(d.get("health"))
        .isEqualTo(
            new SensitivityClass(
                "health",
                new LocationRule(null, true, false, Set.of("hds"), false),
                2,
                2,
                Set.of("sealed", "hsm"),
                false,
                false));
    assertThat(d.get("sensitive"))
        .isEqualTo(
            new SensitivityClass(
                "sensitive",
                new LocationRule(Countries.EU, false, true, Set.of("secnumcloud"), false),
                2,
                2,
                Set.of("sealed", "hsm"),
                false,
                false));
    assertThat(d.get("restricted"))
        .isEqualTo(
            new SensitivityClass(
                "restricted",
                new LocationRule(Set.of("FR"), false, true, Set.of("secnumcloud"), true),
                2,
                2,
                Set.of("hsm"),
                false,
                false));
  }

  @Test
  void countries_euHas27StatesAndEeaAddsThree() {
    assertThat(Countries.EU).hasSize(27).contains("FR", "DE", "GR", "HR").doesNotContain("GB");
    assertThat(Countries.EEA).hasSize(30).containsAll(Countries.EU).contains("IS", "LI", "NO");
    assertThat(Countries.EEA).doesNotContain("CH", "GB", "US");
  }

  @Test
  void acceptsKeyMode_sensitiveRefusesTheDevelopmentKeyFile() {
    assertThat(Sites.cls("public").acceptsKeyMode("file")).isTrue();
    assertThat(Sites.cls("sensitive").acceptsKeyMode("file")).isFalse();
    assertThat(Sites.cls("sensitive").acceptsKeyMode("sealed")).isTrue();
    assertThat(Sites.cls("restricted").acceptsKeyMode("sealed")).isFalse();
    assertThat(Sites.cls("restricted").acceptsKeyMode("hsm")).isTrue();
    assertThat(Sites.cls("restricted").acceptsKeyMode(null)).isFalse();
    assertThat(Sites.cls("public").acceptsKeyMode("HSM")).isFalse();
  }

  @Test
  void get_unknownClass_listsTheKnownOnes() {
    assertThatThrownBy(() -> SensitivityClasses.defaults().get("secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown sensitivity class 'secret'; known: public, internal, personal, "
                + "health, sensitive, restricted");
  }

  @Test
  void with_overridesInPlaceAndAddsAtTheEnd() {
    SensitivityClass stricter =
        new SensitivityClass(
            "personal",
            new LocationRule(Set.of("FR"), false, true, null, false),
            3,
            2,
            Set.of("hsm"));
    SensitivityClass archive =
        new SensitivityClass("archive-eu", LocationRule.ANYWHERE, 3, 3, Set.of("sealed"));
    SensitivityClasses mine = SensitivityClasses.defaults().with(stricter).with(archive);
    assertThat(mine.get("personal")).isSameAs(stricter);
    assertThat(mine.get("archive-eu")).isSameAs(archive);
    assertThat(mine.names())
        .containsExactly(
            "public", "internal", "personal", "health", "sensitive", "restricted", "archive-eu");
    assertThat(SensitivityClasses.defaults().names()).doesNotContain("archive-eu");
    assertThat(SensitivityClasses.defaults().get("personal").minCopies()).isEqualTo(2);
  }

  @Test
  void defaults_qualifiedClassesRefuseSigV2() {
    SensitivityClasses d = SensitivityClasses.defaults();
    assertThat(d.names().stream().filter(n -> !d.get(n).sigv2()))
        .containsExactly("health", "sensitive", "restricted");
    assertThat(d.get("health").withSigv2(true).sigv2()).isTrue();
  }

  @Test
  void defaults_qualifiedClassesRefusePublicAccess() {
    SensitivityClasses d = SensitivityClasses.defaults();
    assertThat(d.names().stream().filter(n -> !d.get(n).publicAccess()))
        .containsExactly("health", "sensitive", "restricted");
    assertThat(d.get("health").withPublicAccess(true).publicAccess()).isTrue();
    assertThat(d.get("health").withPublicAccess(true).sigv2()).isFalse();
    assertThat(d.get("health").withSigv2(true).publicAccess()).isFalse();
  }
}
