package fr.coffre.metadata;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRoleStoreTest extends RoleStoreContract {
  @TempDir Path dir;

  @Override
  protected MetadataStore newStore() {
    return SqliteMetadataStore.open(dir.resolve("metadata.db"));
  }
}
