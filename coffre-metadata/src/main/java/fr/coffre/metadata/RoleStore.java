package fr.coffre.metadata;

import fr.coffre.core.PolicyHolder;
import fr.coffre.core.RoleRecord;
import fr.coffre.core.SessionCredentialRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's roles (with their inline policies), groups (members and inline policies), managed
 * policies and their attachments, and the temporary credentials STS issued for its roles. Every
 * mutating method is one durable transaction; errors are {@link fr.coffre.core.IdentityException}s
 * naming what is missing or taken.
 *
 * <p>Temporary credentials live in the database so that every node of a cluster validates them;
 * deleting a role deletes its credentials with it (they stop working at once, on every node).
 */
public interface RoleStore {

  /** Records a new role; NO_SUCH_TENANT, ROLE_EXISTS. */
  void createRole(RoleRecord role);

  Optional<RoleRecord> role(String tenant, String name);

  /** A tenant's roles, ordered by name. */
  List<RoleRecord> roles(String tenant);

  /**
   * Removes a role with its inline policies, attachments and temporary credentials; NO_SUCH_ROLE.
   */
  void deleteRole(String tenant, String name);

  /** Sets (creates or replaces) a named inline policy of a role; NO_SUCH_ROLE. */
  void putRolePolicy(String tenant, String role, String name, String document);

  /** A role's inline policies by name, ordered by name. */
  Map<String, String> rolePolicies(String tenant, String role);

  /** Removes an inline policy of a role; NO_SUCH_POLICY. */
  void deleteRolePolicy(String tenant, String role, String name);

  /** Records a new group; NO_SUCH_TENANT, GROUP_EXISTS. */
  void createGroup(String tenant, String name, Instant created);

  /** A tenant's groups, ordered by name. */
  List<String> groups(String tenant);

  /** Adds a user to a group (nothing if already in); NO_SUCH_GROUP, NO_SUCH_USER. */
  void addUserToGroup(String tenant, String group, String user);

  /** The groups a user belongs to, ordered by name. */
  List<String> groupsOf(String tenant, String user);

  /** Sets (creates or replaces) a named inline policy of a group; NO_SUCH_GROUP. */
  void putGroupPolicy(String tenant, String group, String name, String document);

  /** A group's inline policies by name, ordered by name. */
  Map<String, String> groupPolicies(String tenant, String group);

  /** Records a new managed policy of the tenant; NO_SUCH_TENANT, POLICY_EXISTS. */
  void createManagedPolicy(String tenant, String name, String document, Instant created);

  /** A managed policy's document. */
  Optional<String> managedPolicy(String tenant, String name);

  /**
   * Attaches a managed policy to a user, group or role (nothing if attached already);
   * NO_SUCH_POLICY, and NO_SUCH_USER, NO_SUCH_GROUP or NO_SUCH_ROLE for the holder.
   */
  void attachPolicy(String tenant, PolicyHolder kind, String holder, String policy);

  /** Detaches a managed policy; NO_SUCH_POLICY when it is not attached. */
  void detachPolicy(String tenant, PolicyHolder kind, String holder, String policy);

  /** The managed policies attached to a holder, ordered by name. */
  List<String> attachedPolicies(String tenant, PolicyHolder kind, String holder);

  /** Records temporary credentials; NO_SUCH_ROLE. */
  void createSessionCredential(SessionCredentialRecord credential);

  /** Temporary credentials by access key id, expired or not (the caller judges the time). */
  Optional<SessionCredentialRecord> sessionCredential(String accessKeyId);

  /**
   * Temporary credentials, expired or not, in access key id order after {@code after} (empty
   * string: from the first), at most {@code max}: for the root key rotation's re-wrap pass.
   */
  List<SessionCredentialRecord> sessionCredentials(String after, int max);

  /**
   * Replaces the sealed secret of temporary credentials if it is still {@code current} (a
   * compare-and-set, for the root key rotation); whether it was replaced.
   */
  boolean resealSessionCredential(String accessKeyId, byte[] current, byte[] sealed);

  /** Removes the temporary credentials that expired before {@code now}; how many. */
  int deleteExpiredSessionCredentials(Instant now);
}
