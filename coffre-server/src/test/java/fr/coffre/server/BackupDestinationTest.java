package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup destination against the buckets' classes: the placement rule, fail-closed. */
class BackupDestinationTest {
  @TempDir Path dir;

  private Placements placements() {
    ConfigFile.Placement p =
        new ConfigFile.Placement(
            "ministere",
            null,
            List.of(
                new ConfigFile.Location(
                    "paris",
                    "FR",
                    "EU",
                    "ministere",
                    List.of("secnumcloud"),
                    List.of(new ConfigFile.Volume("pa1", dir.resolve("pa1").toString(), null))),
                new ConfigFile.Location(
                    "virginia",
                    "US",
                    "non-EU",
                    "hyperscaler",
                    List.of("hds"),
                    List.of(new ConfigFile.Volume("us1", dir.resolve("us1").toString(), null)))),
            null,
            null,
            null,
            null);
    return Placements.of(p, dir);
  }

  @Test
  void aSiteEveryClassAllows_passes_andTakesTheSitesAttributes() {
    BackupDestination d = BackupDestination.site("paris").resolve(placements());
    assertThat(d.country()).isEqualTo("FR");
    assertThat(d.qualifications()).containsExactly("secnumcloud");
    d.check(
        placements(),
        Map.of("restricted", List.of("secret"), "personal", List.of("rh"), "public", List.of("w")));
  }

  @Test
  void aSiteAClassForbids_isRefused_namingTheClassTheBucketAndTheRule() {
    BackupDestination d = BackupDestination.site("virginia").resolve(placements());
    assertThatThrownBy(
            () -> d.check(placements(), Map.of("personal", List.of("rh"), "public", List.of("w"))))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(
            "class 'personal' (bucket rh) forbids it: country US is not in the EU")
        .hasMessageNotContaining("'public'");
  }

  @Test
  void declaredAttributes_leaveUndeclaredOnesFailing() {
    BackupDestination d =
        BackupDestination.declared("FR", "EU", null, List.of()).resolve(placements());
    d.check(placements(), Map.of("personal", List.of("rh")));
    assertThatThrownBy(() -> d.check(placements(), Map.of("sensitive", List.of("x"))))
        .hasMessageContaining("class 'sensitive'")
        .hasMessageContaining("not qualified secnumcloud");
    assertThatThrownBy(() -> d.check(placements(), Map.of("restricted", List.of("x"))))
        .hasMessageContaining("class 'restricted'");
  }

  @Test
  void anUnknownClass_refusesEveryDestination() {
    BackupDestination d = BackupDestination.site("paris").resolve(placements());
    assertThatThrownBy(() -> d.check(placements(), Map.of("top-secret", List.of("x"))))
        .hasMessageContaining("class 'top-secret'")
        .hasMessageContaining("not defined");
  }

  @Test
  void noDeclaration_anUnknownSite_orBothForms_areRefusedWithTheirFix() {
    assertThatThrownBy(
            () -> BackupDestination.declared(null, null, null, List.of()).resolve(placements()))
        .hasMessageContaining("--site NAME (a configured site: paris, virginia)");
    assertThatThrownBy(() -> BackupDestination.site("lyon").resolve(placements()))
        .hasMessageContaining("--site lyon: no such site");
    assertThatThrownBy(
            () -> new BackupDestination("paris", "FR", null, null, List.of()).resolve(placements()))
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () -> BackupDestination.declared("FR", "mars", null, List.of()).resolve(placements()))
        .hasMessageContaining("EU or non-EU");
  }
}
