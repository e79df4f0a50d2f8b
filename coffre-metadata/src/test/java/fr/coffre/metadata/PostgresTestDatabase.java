package fr.coffre.metadata;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of the {@link PostgresServer#shared() shared} test server for one test class (register
 * it as a static {@code @RegisterExtension} field), and a fresh schema in it for each store a test
 * opens: every store starts empty, as the contract suites expect. The class is skipped where
 * PostgreSQL is not installed.
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {
  private final AtomicInteger schemas = new AtomicInteger();
  private PostgresServer server;
  private String database;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = PostgresServer.shared();
    database = server.createDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      server.dropDatabase(database);
    }
  }

  public PostgresServer server() {
    return server;
  }

  public String database() {
    return database;
  }

  /** A new empty schema's JDBC URL (the superuser, the schema first in the search path). */
  public String newSchemaUrl() {
    String schema = "store_" + schemas.incrementAndGet();
    server.execute(database, "CREATE SCHEMA " + schema);
    return server.jdbcUrl(database, "currentSchema=" + schema);
  }

  /** A store over a new, empty schema. */
  public PostgresMetadataStore newStore() {
    return PostgresMetadataStore.open(PostgresUrl.parse(newSchemaUrl()), null, 10);
  }
}
