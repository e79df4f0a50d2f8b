package fr.coffre.metadata;

import fr.coffre.core.OperatorRecord;
import fr.coffre.core.ProposalRecord;
import fr.coffre.core.SupportWindow;
import fr.coffre.core.TenantEnrolment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** SQL for enrolments, support windows, operators and proposals, run in a {@link Session}. */
final class GovernanceRows {
  private static final String ENROLMENT =
      "tenant, token_hash, created_ms, expires_ms, redeemed_ms, admin_user";
  private static final String WINDOW =
      "id, tenant, scope, opened_by, opened_ms, expires_ms, revoked_ms, revoked_by";
  private static final String OPERATOR =
      "name, roles, password_hash, totp_secret, totp_step, failures, locked_until_ms, created_ms,"
          + " created_by";
  private static final String PROPOSAL =
      "id, method, path, body, proposed_by, proposed_ms, expires_ms, approved_by, approved_ms,"
          + " result";

  private final Connection c;

  GovernanceRows(Connection c) {
    this.c = c;
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a == null) {
          ps.setObject(i + 1, null); // untyped: each database infers the column's type
        } else if (a instanceof Instant t) {
          ps.setLong(i + 1, t.toEpochMilli());
        } else if (a instanceof Long l) {
          ps.setLong(i + 1, l);
        } else if (a instanceof Integer n) {
          ps.setInt(i + 1, n);
        } else if (a instanceof byte[] b) {
          ps.setBytes(i + 1, b);
        } else {
          ps.setString(i + 1, a.toString());
        }
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Reader<T> reader, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(reader.read(rs));
      }
      return out;
    }
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  // enrolments

  boolean putEnrolment(TenantEnrolment e) throws SQLException {
    int n =
        update(
            "UPDATE tenant_enrolments SET token_hash = ?, created_ms = ?, expires_ms = ?"
                + " WHERE tenant = ? AND redeemed_ms IS NULL",
            e.tokenHash(),
            e.created(),
            e.expires(),
            e.tenant());
    if (n == 1) {
      return true;
    }
    if (enrolment(e.tenant()).isPresent()) {
      return false;
    }
    update(
        "INSERT INTO tenant_enrolments (" + ENROLMENT + ") VALUES (?, ?, ?, ?, ?, ?)",
        e.tenant(),
        e.tokenHash(),
        e.created(),
        e.expires(),
        e.redeemed(),
        e.admin());
    return true;
  }

  Optional<TenantEnrolment> enrolment(String tenant) throws SQLException {
    return query(
            "SELECT " + ENROLMENT + " FROM tenant_enrolments WHERE tenant = ?",
            rs ->
                new TenantEnrolment(
                    rs.getString("tenant"),
                    rs.getString("token_hash"),
                    Instant.ofEpochMilli(rs.getLong("created_ms")),
                    Instant.ofEpochMilli(rs.getLong("expires_ms")),
                    instant(rs, "redeemed_ms"),
                    rs.getString("admin_user")),
            tenant)
        .stream()
        .findFirst();
  }

  boolean redeem(String tenant, String tokenHash, String admin, Instant now) throws SQLException {
    return update(
            "UPDATE tenant_enrolments SET redeemed_ms = ?, admin_user = ?"
                + " WHERE tenant = ? AND token_hash = ? AND redeemed_ms IS NULL AND expires_ms > ?",
            now,
            admin,
            tenant,
            tokenHash,
            now)
        == 1;
  }

  // support windows

  void addWindow(SupportWindow w) throws SQLException {
    update(
        "INSERT INTO support_windows (" + WINDOW + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        w.id(),
        w.tenant(),
        w.scopeText(),
        w.openedBy(),
        w.opened(),
        w.expires(),
        w.revoked(),
        w.revokedBy());
  }

  List<SupportWindow> windows(String tenant) throws SQLException {
    return query(
        "SELECT " + WINDOW + " FROM support_windows WHERE tenant = ? ORDER BY opened_ms DESC, id",
        rs ->
            new SupportWindow(
                rs.getString("id"),
                rs.getString("tenant"),
                SupportWindow.parseScope(rs.getString("scope")),
                rs.getString("opened_by"),
                Instant.ofEpochMilli(rs.getLong("opened_ms")),
                Instant.ofEpochMilli(rs.getLong("expires_ms")),
                instant(rs, "revoked_ms"),
                rs.getString("revoked_by")),
        tenant);
  }

  boolean revokeWindow(String tenant, String id, String by, Instant now) throws SQLException {
    return update(
            "UPDATE support_windows SET revoked_ms = ?, revoked_by = ?"
                + " WHERE tenant = ? AND id = ? AND revoked_ms IS NULL",
            now,
            by,
            tenant,
            id)
        == 1;
  }

  // operators

  boolean createOperator(OperatorRecord o) throws SQLException {
    if (operator(o.name()).isPresent()) {
      return false;
    }
    update(
        "INSERT INTO operators (" + OPERATOR + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        o.name(),
        o.rolesText(),
        o.passwordHash(),
        o.sealedTotpSecret(),
        o.lastTotpStep(),
        o.failures(),
        o.lockedUntil(),
        o.created(),
        o.createdBy());
    return true;
  }

  private static OperatorRecord operator(ResultSet rs) throws SQLException {
    return new OperatorRecord(
        rs.getString("name"),
        OperatorRecord.parseRoles(rs.getString("roles")),
        rs.getString("password_hash"),
        rs.getBytes("totp_secret"),
        rs.getLong("totp_step"),
        rs.getInt("failures"),
        instant(rs, "locked_until_ms"),
        Instant.ofEpochMilli(rs.getLong("created_ms")),
        rs.getString("created_by"));
  }

  Optional<OperatorRecord> operator(String name) throws SQLException {
    return query(
            "SELECT " + OPERATOR + " FROM operators WHERE name = ?", GovernanceRows::operator, name)
        .stream()
        .findFirst();
  }

  List<OperatorRecord> operators() throws SQLException {
    return query("SELECT " + OPERATOR + " FROM operators ORDER BY name", GovernanceRows::operator);
  }

  boolean setRoles(String name, Set<OperatorRecord.Role> roles) throws SQLException {
    String text =
        roles.stream()
            .sorted()
            .map(OperatorRecord.Role::wire)
            .reduce((a, b) -> a + "," + b)
            .orElse("");
    return update("UPDATE operators SET roles = ? WHERE name = ?", text, name) == 1;
  }

  void setFailures(String name, int failures, @Nullable Instant lockedUntil) throws SQLException {
    update(
        "UPDATE operators SET failures = ?, locked_until_ms = ? WHERE name = ?",
        failures,
        lockedUntil,
        name);
  }

  boolean useStep(String name, long step) throws SQLException {
    return update(
            "UPDATE operators SET totp_step = ?, failures = 0, locked_until_ms = NULL"
                + " WHERE name = ? AND totp_step < ?",
            step,
            name,
            step)
        == 1;
  }

  boolean resealTotp(String name, byte[] current, byte[] sealed) throws SQLException {
    return update(
            "UPDATE operators SET totp_secret = ? WHERE name = ? AND totp_secret = ?",
            sealed,
            name,
            current)
        == 1;
  }

  boolean deleteOperator(String name) throws SQLException {
    return update("DELETE FROM operators WHERE name = ?", name) == 1;
  }

  // proposals

  void addProposal(ProposalRecord p) throws SQLException {
    update(
        "INSERT INTO operator_proposals (" + PROPOSAL + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id(),
        p.method(),
        p.path(),
        p.body(),
        p.proposedBy(),
        p.proposed(),
        p.expires(),
        p.approvedBy(),
        p.approved(),
        p.result());
  }

  private static ProposalRecord proposal(ResultSet rs) throws SQLException {
    return new ProposalRecord(
        rs.getString("id"),
        rs.getString("method"),
        rs.getString("path"),
        rs.getString("body"),
        rs.getString("proposed_by"),
        Instant.ofEpochMilli(rs.getLong("proposed_ms")),
        Instant.ofEpochMilli(rs.getLong("expires_ms")),
        rs.getString("approved_by"),
        instant(rs, "approved_ms"),
        rs.getInt("result"));
  }

  Optional<ProposalRecord> proposal(String id) throws SQLException {
    return query(
            "SELECT " + PROPOSAL + " FROM operator_proposals WHERE id = ?",
            GovernanceRows::proposal,
            id)
        .stream()
        .findFirst();
  }

  List<ProposalRecord> proposals() throws SQLException {
    return query(
        "SELECT " + PROPOSAL + " FROM operator_proposals ORDER BY proposed_ms DESC, id",
        GovernanceRows::proposal);
  }

  boolean approve(String id, String approver, Instant now) throws SQLException {
    return update(
            "UPDATE operator_proposals SET approved_by = ?, approved_ms = ?"
                + " WHERE id = ? AND approved_ms IS NULL AND expires_ms > ? AND proposed_by <> ?",
            approver,
            now,
            id,
            now,
            approver)
        == 1;
  }

  void setResult(String id, int status) throws SQLException {
    update("UPDATE operator_proposals SET result = ? WHERE id = ?", status, id);
  }
}
