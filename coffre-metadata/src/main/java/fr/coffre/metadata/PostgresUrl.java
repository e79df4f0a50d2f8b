package fr.coffre.metadata;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL metadata database is, as the driver takes it. Accepts a libpq-style URI,
 * {@code postgresql://USER@HOST:PORT/DATABASE?PARAMS} (also {@code postgres://}), or a JDBC URL,
 * {@code jdbc:postgresql://HOST:PORT/DATABASE?PARAMS}; either may name several hosts, {@code
 * HOST1:PORT1,HOST2:PORT2}, which the driver tries in turn (with {@code targetServerType=primary},
 * until it finds the writable one). Parameters are the JDBC driver's ({@code sslmode}, {@code
 * targetServerType}, {@code connectTimeout}, ...).
 *
 * <p>A password is never part of it: a URL that carries one is refused (it would show in process
 * listings and logs); the password comes from the environment or a file. {@link #toString} is safe
 * to log.
 *
 * @param jdbcUrl the JDBC URL, without credentials
 * @param user the role to connect as, or null (then the URL's {@code user} parameter, else the
 *     operating system user)
 */
public record PostgresUrl(String jdbcUrl, String user) {
  private static final String JDBC = "jdbc:postgresql://";
  private static final Pattern HOST =
      Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\[\\]:,/?@]+)(:\\d{1,5})?");
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(^|&)password=", Pattern.CASE_INSENSITIVE);

  public PostgresUrl {
    if (jdbcUrl == null || !jdbcUrl.startsWith(JDBC)) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
    }
  }

  /**
   * Parses a URL as the configuration gives it; IllegalArgumentException says what is wrong, never
   * quoting a password.
   */
  public static PostgresUrl parse(String url) {
    String u = url == null ? "" : url.strip();
    String lower = u.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith(JDBC)) {
      rest = u.substring(JDBC.length());
    } else if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      rest = u.substring(u.indexOf("://") + 3);
    } else {
      throw new IllegalArgumentException(
          "'"
              + redact(u)
              + "' is not a PostgreSQL URL"
              + " (postgresql://USER@HOST:PORT/DATABASE, or jdbc:postgresql://HOST:PORT/DATABASE)");
    }
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    String beforeQuery = q < 0 ? rest : rest.substring(0, q);
    int slash = beforeQuery.indexOf('/');
    String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    String database = slash < 0 ? "" : beforeQuery.substring(slash + 1);
    String user = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      if (userInfo.contains(":")) {
        throw passwordInUrl();
      }
      if (lower.startsWith(JDBC)) {
        throw new IllegalArgumentException(
            "a jdbc:postgresql URL names its user with ?user=NAME, not NAME@HOST");
      }
      user = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
      authority = authority.substring(at + 1);
    }
    if (PASSWORD_PARAM.matcher(query).find()) {
      throw passwordInUrl();
    }
    if (authority.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + u + "' names no host (Unix sockets are not supported: give HOST:PORT)");
    }
    for (String host : authority.split(",", -1)) {
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException("'" + u + "': '" + host + "' is not HOST or HOST:PORT");
      }
    }
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          "'" + u + "' names no database (…/DATABASE at the end of the address)");
    }
    return new PostgresUrl(
        JDBC + authority + "/" + database + (query.isEmpty() ? "" : "?" + query),
        user == null || user.isEmpty() ? null : user);
  }

  private static IllegalArgumentException passwordInUrl() {
    return new IllegalArgumentException(
        "the metadata URL carries a password; give it in COFFRE_METADATA_PASSWORD,"
            + " COFFRE_METADATA_PASSWORD_FILE or metadata.password-file instead (the URL shows in process lists and logs)");
  }

  /** {@code url} with anything that looks like a password replaced by {@code ***}, for messages. */
  static String redact(String url) {
    return url.replaceAll("(://[^/@:]*):[^/@]*@", "$1:***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** The address in the libpq form, with its user: what logs and messages show. */
  @Override
  public String toString() {
    return redact(
        "postgresql://" + (user == null ? "" : user + "@") + jdbcUrl.substring(JDBC.length()));
  }
}
