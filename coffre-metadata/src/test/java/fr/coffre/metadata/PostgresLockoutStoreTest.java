package fr.coffre.metadata;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresLockoutStoreTest extends LockoutStoreContract {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  protected MetadataStore newStore() {
    return PG.newStore();
  }
}
