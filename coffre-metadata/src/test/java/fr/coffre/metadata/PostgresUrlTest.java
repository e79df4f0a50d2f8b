package fr.coffre.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void parse_libpqForm_givesJdbcUrlAndUser() {
    PostgresUrl url = PostgresUrl.parse("postgresql://coffre@127.0.0.1:5432/coffre");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/coffre");
    assertThat(url.user()).isEqualTo("coffre");
    assertThat(url).hasToString("postgresql://coffre@127.0.0.1:5432/coffre");
  }

  @Test
  void parse_severalHostsAndParameters_keepsThemForTheDriver() {
    assertThat(
            PostgresUrl.parse(
                "postgres://co%40ffre@h1:5432,h2,[::1]:5433/meta?targetServerType=primary&sslmode=require"))
        .isEqualTo(
            new PostgresUrl(
                "jdbc:postgresql://h1:5432,h2,[::1]:5433/meta?targetServerType=primary&sslmode=require",
                "co@ffre"));
    PostgresUrl jdbc =
        PostgresUrl.parse(
            "jdbc:postgresql://h1:5432,h2:5432/coffre?targetServerType=primary&user=coffre");
    assertThat(jdbc.jdbcUrl())
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/coffre?targetServerType=primary&user=coffre");
    assertThat(jdbc.user()).isNull();
    assertThat(PostgresUrl.parse("postgresql://db.example:5432/coffre").user()).isNull();
  }

  @Test
  void parse_password_isRefusedWithoutBeingQuoted() {
    for (String url :
        new String[] {
          "postgresql://coffre:hunter2@h:5432/coffre",
          "jdbc:postgresql://h:5432/coffre?user=coffre&password=hunter2",
          "jdbc:postgresql://h:5432/coffre?PASSWORD=hunter2",
          "mysql://coffre:hunter2@h/coffre"
        }) {
      assertThatThrownBy(() -> PostgresUrl.parse(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("hunter2");
    }
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://coffre:hunter2@h:5432/coffre"))
        .hasMessageContaining("COFFRE_METADATA_PASSWORD");
  }

  @Test
  void parse_incompleteAddresses_sayWhatIsMissing() {
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://coffre@h:5432"))
        .hasMessageContaining("no database");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///coffre"))
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h:port/coffre"))
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://coffre@h/coffre"))
        .hasMessageContaining("?user=");
    assertThatThrownBy(() -> PostgresUrl.parse("sqlite:///tmp/x.db"))
        .hasMessageContaining("not a PostgreSQL URL");
  }
}
