package fr.coffre.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataPinTest {
  @TempDir Path data;

  @Test
  void postgres_firstStartPinsTheDatabaseThenOnlyItIsAdmitted() throws Exception {
    MetadataPin.check(data, "db-1");
    assertThat(Files.readString(data.resolve(MetadataPin.FILE))).contains("postgresql=db-1");
    MetadataPin.check(data, "db-1");
    assertThatThrownBy(() -> MetadataPin.check(data, "db-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("db-1")
        .hasMessageContaining("db-2");
    // Started without the URL (SQLite would open empty and the janitor delete every blob): refused.
    assertThatThrownBy(() -> MetadataPin.check(data, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--metadata");
    assertThat(data.resolve(MetadataPin.SQLITE_FILE)).doesNotExist();
  }

  @Test
  void sqlite_directoryWithItsDatabase_isNotTakenToPostgres() throws Exception {
    MetadataPin.check(data, null);
    Files.writeString(data.resolve(MetadataPin.SQLITE_FILE), "rows");
    MetadataPin.check(data, null);
    assertThatThrownBy(() -> MetadataPin.check(data, "db-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SQLite");
    assertThat(data.resolve(MetadataPin.FILE)).doesNotExist();
  }
}
