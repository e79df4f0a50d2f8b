package fr.coffre.service;

import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.PolicyHolder;
import fr.coffre.core.RoleRecord;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.MalformedPolicyException;
import fr.coffre.policy.PolicyKind;
import fr.coffre.policy.TrustPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's roles, groups and managed policies: the IAM use cases beyond users and keys (which
 * stay in {@link IdentityService}). Every document is parsed before it is stored, so a malformed
 * one is refused with MalformedPolicyException saying what is wrong; every change empties the
 * identity caches of every node, so it takes effect on the next request.
 */
public final class RoleService {
  private static final String POLICY_NAME = "[A-Za-z0-9+=,.@_-]{1,128}";

  private final MetadataStore store;
  private final IdentityService identities;
  private final Clock clock;

  public RoleService(MetadataStore store, IdentityService identities, Clock clock) {
    this.store = store;
    this.identities = identities;
    this.clock = clock;
  }

  private static String policyName(@Nullable String name) {
    if (name == null || !name.matches(POLICY_NAME)) {
      throw new InvalidArgumentException(
          "policy name must be 1 to 128 letters, digits or +=,.@_- : " + name);
    }
    return name;
  }

  /** Parses a trust policy of a role of {@code tenant}; MalformedPolicyException if it is not. */
  TrustPolicy trustPolicy(String tenant, String document) {
    try {
      return TrustPolicy.parse(document, identities.tenant(tenant).accountId());
    } catch (MalformedPolicyException e) {
      throw new fr.coffre.core.MalformedPolicyException(e.getMessage());
    }
  }

  // ------------------------------------------------------------------ roles

  /**
   * Creates a role.
   *
   * @param maxSessionSeconds the longest its credentials live (null: one hour)
   */
  public RoleRecord createRole(
      String tenant, String name, String trustPolicy, @Nullable Integer maxSessionSeconds) {
    trustPolicy(tenant, trustPolicy);
    RoleRecord role =
        new RoleRecord(
            tenant,
            RoleRecord.validName(name),
            trustPolicy,
            maxSessionSeconds == null ? RoleRecord.DEFAULT_MAX_SESSION_SECONDS : maxSessionSeconds,
            clock.instant());
    store.roles().createRole(role);
    identities.changed();
    return role;
  }

  /** A role, or IdentityException NO_SUCH_ROLE. */
  public RoleRecord role(String tenant, String name) {
    return store
        .roles()
        .role(tenant, name)
        .orElseThrow(
            () ->
                new IdentityException(
                    IdentityException.Reason.NO_SUCH_ROLE,
                    "The role with name " + name + " cannot be found."));
  }

  public List<RoleRecord> roles(String tenant) {
    identities.tenant(tenant);
    return store.roles().roles(tenant);
  }

  /** Deletes a role; its temporary credentials stop working at once. */
  public void deleteRole(String tenant, String name) {
    store.roles().deleteRole(tenant, name);
    identities.changed();
  }

  public void putRolePolicy(String tenant, String role, String name, String document) {
    IdentityService.parse(document, PolicyKind.IDENTITY);
    store.roles().putRolePolicy(tenant, role, policyName(name), document);
    identities.changed();
  }

  public Map<String, String> rolePolicies(String tenant, String role) {
    role(tenant, role);
    return store.roles().rolePolicies(tenant, role);
  }

  // ------------------------------------------------------------------ groups

  /** Creates a group; returns when. */
  public Instant createGroup(String tenant, String name) {
    Instant now = clock.instant();
    store.roles().createGroup(tenant, RoleRecord.validName(name), now);
    identities.changed();
    return now;
  }

  public List<String> groups(String tenant) {
    identities.tenant(tenant);
    return store.roles().groups(tenant);
  }

  public void addUserToGroup(String tenant, String group, String user) {
    store.roles().addUserToGroup(tenant, group, user);
    identities.changed();
  }

  public List<String> groupsOf(String tenant, String user) {
    return store.roles().groupsOf(tenant, user);
  }

  public void putGroupPolicy(String tenant, String group, String name, String document) {
    IdentityService.parse(document, PolicyKind.IDENTITY);
    store.roles().putGroupPolicy(tenant, group, policyName(name), document);
    identities.changed();
  }

  // ------------------------------------------------------------------ managed policies

  /** The ARN IAM gives a managed policy of the tenant. */
  public String policyArn(String tenant, String name) {
    return "arn:aws:iam::" + identities.tenant(tenant).accountId() + ":policy/" + name;
  }

  /** Creates a managed policy; POLICY_EXISTS, MalformedPolicyException. */
  public void createPolicy(String tenant, String name, String document) {
    IdentityService.parse(document, PolicyKind.IDENTITY);
    store.roles().createManagedPolicy(tenant, policyName(name), document, clock.instant());
  }

  /**
   * The name of a managed policy of the tenant from its ARN; NO_SUCH_POLICY for another account's
   * (AWS-managed policies included, which Coffre does not have).
   */
  public String policyName(String tenant, String arn) {
    String prefix = "arn:aws:iam::" + identities.tenant(tenant).accountId() + ":policy/";
    if (arn == null || !arn.startsWith(prefix)) {
      throw new IdentityException(
          IdentityException.Reason.NO_SUCH_POLICY, "Policy " + arn + " does not exist.");
    }
    return arn.substring(prefix.length());
  }

  public void attach(String tenant, PolicyHolder kind, String holder, String policyArn) {
    store.roles().attachPolicy(tenant, kind, holder, policyName(tenant, policyArn));
    identities.changed();
  }

  public void detach(String tenant, PolicyHolder kind, String holder, String policyArn) {
    store.roles().detachPolicy(tenant, kind, holder, policyName(tenant, policyArn));
    identities.changed();
  }

  /** The names of the managed policies attached to a holder. */
  public List<String> attached(String tenant, PolicyHolder kind, String holder) {
    return store.roles().attachedPolicies(tenant, kind, holder);
  }
}
