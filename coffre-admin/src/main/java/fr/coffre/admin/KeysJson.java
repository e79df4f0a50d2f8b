package fr.coffre.admin;

import fr.coffre.service.KmsKeyInfo;
import java.time.Instant;
import java.util.List;

/** KMS keys as the admin API writes them. */
final class KeysJson {
  private KeysJson() {}

  record Key(
      String id,
      String arn,
      String alias,
      String description,
      String state,
      String created,
      int currentVersion,
      String deletionDate,
      String destroyed,
      List<Version> versions,
      Usage usage,
      long objectsOnOlderVersions,
      String tenant) {}

  record Version(int version, String created, String rootKeyId) {}

  record Usage(long objects, long bytes, long uploads) {}

  static Key of(KmsKeyInfo info) {
    var k = info.key();
    return new Key(
        k.id(),
        info.arn(),
        k.alias() == null ? null : "alias/" + k.alias(),
        k.description(),
        k.state().name(),
        text(k.created()),
        k.currentVersion(),
        text(k.deletionDate()),
        text(k.destroyed()),
        info.versions().stream()
            .map(v -> new Version(v.version(), text(v.created()), v.rootKeyId()))
            .toList(),
        new Usage(info.usage().objects(), info.usage().bytes(), info.usage().uploads()),
        info.staleObjects(),
        k.tenant());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
