package fr.coffre.metadata;

import fr.coffre.core.IdentityException;
import fr.coffre.core.IdentityException.Reason;
import fr.coffre.core.PolicyHolder;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SessionCredentialRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL for roles, groups, managed policies and temporary credentials, run in a {@link Session}.
 * Mutators answer true so that a store method is one expression.
 */
final class RoleRows {
  private static final String ROLE = "tenant, name, trust_policy, max_session_s, created_ms";
  private static final String CREDENTIAL =
      "access_key, tenant, role, session_name, source, sealed_secret, token_hash, created_ms,"
          + " expires_ms";

  private final Connection c;

  RoleRows(Connection c) {
    this.c = c;
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a instanceof Instant t) {
          ps.setLong(i + 1, t.toEpochMilli());
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

  private boolean exists(String sql, Object... args) throws SQLException {
    return !query(sql, rs -> Boolean.TRUE, args).isEmpty();
  }

  private Map<String, String> documents(String sql, Object... args) throws SQLException {
    Map<String, String> all = new LinkedHashMap<>();
    for (String[] row : query(sql, rs -> new String[] {rs.getString(1), rs.getString(2)}, args)) {
      all.put(row[0], row[1]);
    }
    return all;
  }

  private void requireTenant(String tenant) throws SQLException {
    if (!exists("SELECT 1 FROM tenants WHERE name = ?", tenant)) {
      throw new IdentityException(Reason.NO_SUCH_TENANT, "no tenant named " + tenant);
    }
  }

  private void requireRole(String tenant, String role) throws SQLException {
    if (!exists("SELECT 1 FROM roles WHERE tenant = ? AND name = ?", tenant, role)) {
      throw new IdentityException(Reason.NO_SUCH_ROLE, "no role " + role + " in tenant " + tenant);
    }
  }

  private void requireGroup(String tenant, String group) throws SQLException {
    if (!exists("SELECT 1 FROM iam_groups WHERE tenant = ? AND name = ?", tenant, group)) {
      throw new IdentityException(
          Reason.NO_SUCH_GROUP, "no group " + group + " in tenant " + tenant);
    }
  }

  private void requireUser(String tenant, String user) throws SQLException {
    if (!exists("SELECT 1 FROM users WHERE tenant = ? AND name = ?", tenant, user)) {
      throw new IdentityException(Reason.NO_SUCH_USER, "no user " + user + " in tenant " + tenant);
    }
  }

  // roles

  boolean createRole(RoleRecord r) throws SQLException {
    requireTenant(r.tenant());
    if (role(r.tenant(), r.name()).isPresent()) {
      throw new IdentityException(
          Reason.ROLE_EXISTS, "role " + r.name() + " already exists in tenant " + r.tenant());
    }
    update(
        "INSERT INTO roles (" + ROLE + ") VALUES (?, ?, ?, ?, ?)",
        r.tenant(),
        r.name(),
        r.trustPolicy(),
        r.maxSessionSeconds(),
        r.created());
    return true;
  }

  private static RoleRecord role(ResultSet rs) throws SQLException {
    return new RoleRecord(
        rs.getString("tenant"),
        rs.getString("name"),
        rs.getString("trust_policy"),
        rs.getInt("max_session_s"),
        Instant.ofEpochMilli(rs.getLong("created_ms")));
  }

  Optional<RoleRecord> role(String tenant, String name) throws SQLException {
    return query(
            "SELECT " + ROLE + " FROM roles WHERE tenant = ? AND name = ?",
            RoleRows::role,
            tenant,
            name)
        .stream()
        .findFirst();
  }

  List<RoleRecord> roles(String tenant) throws SQLException {
    return query(
        "SELECT " + ROLE + " FROM roles WHERE tenant = ? ORDER BY name", RoleRows::role, tenant);
  }

  boolean deleteRole(String tenant, String name) throws SQLException {
    requireRole(tenant, name);
    update("DELETE FROM session_credentials WHERE tenant = ? AND role = ?", tenant, name);
    update("DELETE FROM role_policies WHERE tenant = ? AND role = ?", tenant, name);
    detachAll(tenant, PolicyHolder.ROLE, name);
    update("DELETE FROM roles WHERE tenant = ? AND name = ?", tenant, name);
    return true;
  }

  boolean putRolePolicy(String tenant, String role, String name, String document)
      throws SQLException {
    requireRole(tenant, role);
    update(
        "INSERT INTO role_policies (tenant, role, name, document) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (tenant, role, name) DO UPDATE SET document = excluded.document",
        tenant,
        role,
        name,
        document);
    return true;
  }

  Map<String, String> rolePolicies(String tenant, String role) throws SQLException {
    return documents(
        "SELECT name, document FROM role_policies WHERE tenant = ? AND role = ? ORDER BY name",
        tenant,
        role);
  }

  boolean deleteRolePolicy(String tenant, String role, String name) throws SQLException {
    if (update(
            "DELETE FROM role_policies WHERE tenant = ? AND role = ? AND name = ?",
            tenant,
            role,
            name)
        == 0) {
      throw new IdentityException(
          Reason.NO_SUCH_POLICY, "role " + role + " has no policy named " + name);
    }
    return true;
  }

  // groups

  boolean createGroup(String tenant, String name, Instant created) throws SQLException {
    requireTenant(tenant);
    RoleRecord.validName(name);
    if (exists("SELECT 1 FROM iam_groups WHERE tenant = ? AND name = ?", tenant, name)) {
      throw new IdentityException(
          Reason.GROUP_EXISTS, "group " + name + " already exists in tenant " + tenant);
    }
    update(
        "INSERT INTO iam_groups (tenant, name, created_ms) VALUES (?, ?, ?)",
        tenant,
        name,
        created);
    return true;
  }

  List<String> groups(String tenant) throws SQLException {
    return query(
        "SELECT name FROM iam_groups WHERE tenant = ? ORDER BY name",
        rs -> rs.getString(1),
        tenant);
  }

  boolean addUserToGroup(String tenant, String group, String user) throws SQLException {
    requireGroup(tenant, group);
    requireUser(tenant, user);
    update(
        "INSERT INTO group_members (tenant, grp, member) VALUES (?, ?, ?)"
            + " ON CONFLICT (tenant, grp, member) DO NOTHING",
        tenant,
        group,
        user);
    return true;
  }

  List<String> groupsOf(String tenant, String user) throws SQLException {
    return query(
        "SELECT grp FROM group_members WHERE tenant = ? AND member = ? ORDER BY grp",
        rs -> rs.getString(1),
        tenant,
        user);
  }

  boolean putGroupPolicy(String tenant, String group, String name, String document)
      throws SQLException {
    requireGroup(tenant, group);
    update(
        "INSERT INTO group_policies (tenant, grp, name, document) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (tenant, grp, name) DO UPDATE SET document = excluded.document",
        tenant,
        group,
        name,
        document);
    return true;
  }

  Map<String, String> groupPolicies(String tenant, String group) throws SQLException {
    return documents(
        "SELECT name, document FROM group_policies WHERE tenant = ? AND grp = ? ORDER BY name",
        tenant,
        group);
  }

  // managed policies

  boolean createManagedPolicy(String tenant, String name, String document, Instant created)
      throws SQLException {
    requireTenant(tenant);
    if (managedPolicy(tenant, name).isPresent()) {
      throw new IdentityException(
          Reason.POLICY_EXISTS, "policy " + name + " already exists in tenant " + tenant);
    }
    update(
        "INSERT INTO managed_policies (tenant, name, document, created_ms) VALUES (?, ?, ?, ?)",
        tenant,
        name,
        document,
        created);
    return true;
  }

  Optional<String> managedPolicy(String tenant, String name) throws SQLException {
    return query(
            "SELECT document FROM managed_policies WHERE tenant = ? AND name = ?",
            rs -> rs.getString(1),
            tenant,
            name)
        .stream()
        .findFirst();
  }

  boolean attach(String tenant, PolicyHolder kind, String holder, String policy)
      throws SQLException {
    if (managedPolicy(tenant, policy).isEmpty()) {
      throw new IdentityException(
          Reason.NO_SUCH_POLICY, "no managed policy " + policy + " in tenant " + tenant);
    }
    switch (kind) {
      case USER -> requireUser(tenant, holder);
      case GROUP -> requireGroup(tenant, holder);
      case ROLE -> requireRole(tenant, holder);
    }
    update(
        "INSERT INTO policy_attachments (tenant, holder_kind, holder, policy) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (tenant, holder_kind, holder, policy) DO NOTHING",
        tenant,
        kind.name(),
        holder,
        policy);
    return true;
  }

  boolean detach(String tenant, PolicyHolder kind, String holder, String policy)
      throws SQLException {
    if (update(
            "DELETE FROM policy_attachments"
                + " WHERE tenant = ? AND holder_kind = ? AND holder = ? AND policy = ?",
            tenant,
            kind.name(),
            holder,
            policy)
        == 0) {
      throw new IdentityException(
          Reason.NO_SUCH_POLICY, "policy " + policy + " is not attached to " + holder);
    }
    return true;
  }

  void detachAll(String tenant, PolicyHolder kind, String holder) throws SQLException {
    update(
        "DELETE FROM policy_attachments WHERE tenant = ? AND holder_kind = ? AND holder = ?",
        tenant,
        kind.name(),
        holder);
  }

  List<String> attached(String tenant, PolicyHolder kind, String holder) throws SQLException {
    return query(
        "SELECT policy FROM policy_attachments"
            + " WHERE tenant = ? AND holder_kind = ? AND holder = ? ORDER BY policy",
        rs -> rs.getString(1),
        tenant,
        kind.name(),
        holder);
  }

  // temporary credentials

  boolean createCredential(SessionCredentialRecord k) throws SQLException {
    requireRole(k.tenant(), k.role());
    update(
        "INSERT INTO session_credentials (" + CREDENTIAL + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.accessKeyId(),
        k.tenant(),
        k.role(),
        k.sessionName(),
        k.source(),
        k.sealedSecret(),
        k.tokenHash(),
        k.created(),
        k.expires());
    return true;
  }

  Optional<SessionCredentialRecord> credential(String accessKeyId) throws SQLException {
    return query(
            "SELECT " + CREDENTIAL + " FROM session_credentials WHERE access_key = ?",
            RoleRows::credential,
            accessKeyId)
        .stream()
        .findFirst();
  }

  /** Temporary credentials by access key id after {@code after}, at most {@code max}. */
  List<SessionCredentialRecord> credentials(String after, int max) throws SQLException {
    return query(
        "SELECT "
            + CREDENTIAL
            + " FROM session_credentials WHERE access_key > ? ORDER BY access_key LIMIT ?",
        RoleRows::credential,
        after,
        max);
  }

  /** Replaces a credential's sealed secret if it is still {@code current}. */
  boolean reseal(String accessKeyId, byte[] current, byte[] sealed) throws SQLException {
    return update(
            "UPDATE session_credentials SET sealed_secret = ?"
                + " WHERE access_key = ? AND sealed_secret = ?",
            sealed,
            accessKeyId,
            current)
        == 1;
  }

  private static SessionCredentialRecord credential(ResultSet rs) throws SQLException {
    return new SessionCredentialRecord(
        rs.getString("access_key"),
        rs.getString("tenant"),
        rs.getString("role"),
        rs.getString("session_name"),
        rs.getString("source"),
        rs.getBytes("sealed_secret"),
        rs.getString("token_hash"),
        Instant.ofEpochMilli(rs.getLong("created_ms")),
        Instant.ofEpochMilli(rs.getLong("expires_ms")));
  }

  int deleteExpired(Instant now) throws SQLException {
    return update("DELETE FROM session_credentials WHERE expires_ms < ?", now);
  }
}
