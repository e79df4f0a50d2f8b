package fr.coffre.admin;

import fr.coffre.core.GovernanceException;
import fr.coffre.core.OperatorRecord;
import fr.coffre.core.OperatorRecord.Role;
import fr.coffre.service.Operators;
import fr.coffre.service.Proposals;
import fr.coffre.service.Sessions;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what on the admin API once named operators exist (docs/identities.md, "Operators and
 * tenant consent").
 *
 * <ul>
 *   <li><b>The admin token is a bootstrap credential.</b> While no named operator exists it acts as
 *       the operator, as it always did (nothing changes for a server that never creates one). Once
 *       one exists it is retired: it still opens only {@code GET status} and {@code POST unseal}
 *       (whoever holds the host's token file may unseal a restarted server; the passphrase is the
 *       secret that counts), everything else answers 403 {@code AdminTokenRetired}.
 *   <li><b>Named operators</b> sign in ({@code POST /admin/v1/login}: name, password, TOTP code)
 *       and call with {@code Authorization: Bearer SESSION}. An auditor reads; an operator runs the
 *       service; a security officer manages operators. Any of the last two approves proposals.
 *   <li><b>Four eyes.</b> A named operator's destructive or sovereignty-changing call ({@link
 *       #fourEyes}) does not run: it becomes a proposal that another operator approves.
 * </ul>
 */
final class OperatorGate {
  private final Operators operators;
  private final Proposals proposals;
  private final Sessions sessions;

  OperatorGate(Operators operators, Proposals proposals, Sessions sessions) {
    this.operators = operators;
    this.proposals = proposals;
    this.sessions = sessions;
  }

  Operators operators() {
    return operators;
  }

  Proposals proposals() {
    return proposals;
  }

  Sessions sessions() {
    return sessions;
  }

  /** Whether the admin token no longer acts as an operator (a named operator exists). */
  boolean tokenRetired() {
    return operators.any();
  }

  /** The calls a retired admin token still makes ({@code rest}: the path after /admin/v1/). */
  static boolean tokenStillServes(String method, String rest) {
    return (method.equals("GET") && rest.equals("status"))
        || (method.equals("POST") && rest.equals("unseal"));
  }

  /** The signed-in operator a bearer session id stands for, with its current roles. */
  Optional<OperatorRecord> session(String id) {
    return sessions
        .find(id)
        .flatMap(
            s -> {
              try {
                return Optional.of(operators.get(s.subject()));
              } catch (GovernanceException e) {
                sessions.close(s.id()); // the operator was removed meanwhile
                return Optional.empty();
              }
            });
  }

  /**
   * The destructive and sovereignty-changing calls that need a second operator: destroy a KMS key,
   * delete a tenant, remove a node, change a bucket's sensitivity class, rotate the root key.
   */
  static boolean fourEyes(String method, String[] p) {
    return (method.equals("DELETE") && p.length == 2 && p[0].equals("tenants"))
        || (method.equals("POST")
            && p.length == 2
            && p[0].equals("root-key")
            && p[1].equals("rotate"))
        || (method.equals("DELETE") && p.length == 2 && p[0].equals("nodes"))
        || (method.equals("POST")
            && p.length >= 3
            && p[0].equals("keys")
            && p[p.length - 1].equals("destroy"))
        || (method.equals("PUT")
            && p.length == 3
            && p[0].equals("buckets")
            && p[2].equals("class"));
  }

  /** Refuses (ROLE_REFUSED) a call the operator's roles do not allow. */
  static void authorize(Set<Role> roles, String method, String[] p) {
    if (method.equals("GET") || method.equals("HEAD")) {
      return; // every role reads
    }
    Role needed;
    if (p[0].equals("operators")) {
      needed = Role.SECURITY_OFFICER;
    } else if (p[0].equals("proposals") || p[0].equals("logout")) {
      if (roles.contains(Role.OPERATOR) || roles.contains(Role.SECURITY_OFFICER)) {
        return;
      }
      needed = Role.OPERATOR;
    } else {
      needed = Role.OPERATOR;
    }
    if (!roles.contains(needed)) {
      throw new GovernanceException(
          GovernanceException.Reason.ROLE_REFUSED,
          method
              + " /admin/v1/"
              + String.join("/", p)
              + " needs the role "
              + needed.wire()
              + "; this operator has "
              + roles.stream().map(Role::wire).sorted().toList());
    }
  }
}
