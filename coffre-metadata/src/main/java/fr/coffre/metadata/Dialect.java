package fr.coffre.metadata;

/**
 * What differs in the SQL of the two databases the aggregate classes run on. Almost nothing does:
 * both accept {@code INSERT ... ON CONFLICT}, double-quoted identifiers and the same types as JDBC
 * binds them. What remains is row locking: SQLite has none (its store serializes every call under
 * one lock, so there is nothing to lock against), PostgreSQL needs {@code FOR UPDATE} and kin
 * wherever a transaction reads a row and then acts on what it read.
 */
enum Dialect {
  SQLITE,
  POSTGRESQL;

  /** Locks the rows read against changes and deletion until the transaction ends. */
  static final String FOR_UPDATE = " FOR UPDATE";

  /**
   * Keeps the rows read from being deleted (or their key changed) until the transaction ends,
   * without keeping other writers from updating them: what a foreign key check takes on its parent.
   */
  static final String FOR_KEY_SHARE = " FOR KEY SHARE";

  /**
   * As {@link #FOR_UPDATE}, but compatible with {@link #FOR_KEY_SHARE}: inserts of children go on.
   */
  static final String FOR_NO_KEY_UPDATE = " FOR NO KEY UPDATE";

  /**
   * The row-locking clause to append to a {@code SELECT}: {@code lock} itself, or nothing on
   * SQLite.
   */
  String lock(String lock) {
    return this == POSTGRESQL ? lock : "";
  }
}
