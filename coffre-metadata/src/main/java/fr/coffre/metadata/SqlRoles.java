package fr.coffre.metadata;

import fr.coffre.core.PolicyHolder;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SessionCredentialRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link RoleStore} of the SQL stores. */
final class SqlRoles implements RoleStore {
  private final SqlDatabase db;

  SqlRoles(SqlDatabase db) {
    this.db = db;
  }

  private void write(String what, SqlDatabase.Work<?> work) {
    db.transaction(what, work);
  }

  @Override
  public void createRole(RoleRecord role) {
    write("createRole", s -> s.roles().createRole(role));
  }

  @Override
  public Optional<RoleRecord> role(String tenant, String name) {
    return db.read("role", s -> s.roles().role(tenant, name));
  }

  @Override
  public List<RoleRecord> roles(String tenant) {
    return db.read("roles", s -> s.roles().roles(tenant));
  }

  @Override
  public void deleteRole(String tenant, String name) {
    write("deleteRole", s -> s.roles().deleteRole(tenant, name));
  }

  @Override
  public void putRolePolicy(String tenant, String role, String name, String document) {
    write("putRolePolicy", s -> s.roles().putRolePolicy(tenant, role, name, document));
  }

  @Override
  public Map<String, String> rolePolicies(String tenant, String role) {
    return db.read("rolePolicies", s -> s.roles().rolePolicies(tenant, role));
  }

  @Override
  public void deleteRolePolicy(String tenant, String role, String name) {
    write("deleteRolePolicy", s -> s.roles().deleteRolePolicy(tenant, role, name));
  }

  @Override
  public void createGroup(String tenant, String name, Instant created) {
    write("createGroup", s -> s.roles().createGroup(tenant, name, created));
  }

  @Override
  public List<String> groups(String tenant) {
    return db.read("groups", s -> s.roles().groups(tenant));
  }

  @Override
  public void addUserToGroup(String tenant, String group, String user) {
    write("addUserToGroup", s -> s.roles().addUserToGroup(tenant, group, user));
  }

  @Override
  public List<String> groupsOf(String tenant, String user) {
    return db.read("groupsOf", s -> s.roles().groupsOf(tenant, user));
  }

  @Override
  public void putGroupPolicy(String tenant, String group, String name, String document) {
    write("putGroupPolicy", s -> s.roles().putGroupPolicy(tenant, group, name, document));
  }

  @Override
  public Map<String, String> groupPolicies(String tenant, String group) {
    return db.read("groupPolicies", s -> s.roles().groupPolicies(tenant, group));
  }

  @Override
  public void createManagedPolicy(String tenant, String name, String document, Instant created) {
    write(
        "createManagedPolicy", s -> s.roles().createManagedPolicy(tenant, name, document, created));
  }

  @Override
  public Optional<String> managedPolicy(String tenant, String name) {
    return db.read("managedPolicy", s -> s.roles().managedPolicy(tenant, name));
  }

  @Override
  public void attachPolicy(String tenant, PolicyHolder kind, String holder, String policy) {
    write("attachPolicy", s -> s.roles().attach(tenant, kind, holder, policy));
  }

  @Override
  public void detachPolicy(String tenant, PolicyHolder kind, String holder, String policy) {
    write("detachPolicy", s -> s.roles().detach(tenant, kind, holder, policy));
  }

  @Override
  public List<String> attachedPolicies(String tenant, PolicyHolder kind, String holder) {
    return db.read("attachedPolicies", s -> s.roles().attached(tenant, kind, holder));
  }

  @Override
  public void createSessionCredential(SessionCredentialRecord credential) {
    write("createSessionCredential", s -> s.roles().createCredential(credential));
  }

  @Override
  public Optional<SessionCredentialRecord> sessionCredential(String accessKeyId) {
    return db.read("sessionCredential", s -> s.roles().credential(accessKeyId));
  }

  @Override
  public List<SessionCredentialRecord> sessionCredentials(String after, int max) {
    return db.read("sessionCredentials", s -> s.roles().credentials(after, max));
  }

  @Override
  public boolean resealSessionCredential(String accessKeyId, byte[] current, byte[] sealed) {
    return db.transaction(
        "resealSessionCredential", s -> s.roles().reseal(accessKeyId, current, sealed));
  }

  @Override
  public int deleteExpiredSessionCredentials(Instant now) {
    return db.transaction("deleteExpiredSessionCredentials", s -> s.roles().deleteExpired(now));
  }
}
