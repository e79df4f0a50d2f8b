package fr.coffre.metadata;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSealedValuesTest extends SealedValuesContract {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  private String url;

  @Override
  protected MetadataStore newStore() {
    url = PG.newSchemaUrl();
    return reopen();
  }

  @Override
  protected MetadataStore reopen() {
    return PostgresMetadataStore.open(PostgresUrl.parse(url), null, 10);
  }

  @Override
  protected Connection raw() throws SQLException {
    return DriverManager.getConnection(url);
  }
}
