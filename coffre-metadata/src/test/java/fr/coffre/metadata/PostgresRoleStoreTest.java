package fr.coffre.metadata;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRoleStoreTest extends RoleStoreContract {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  protected MetadataStore newStore() {
    return PG.newStore();
  }
}
