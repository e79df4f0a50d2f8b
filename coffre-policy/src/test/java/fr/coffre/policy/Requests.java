package fr.coffre.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Callers, policies and requests shared by the evaluation tables. */
final class Requests {
  static final String OWNER = "111122223333";
  static final String OTHER = "444455556666";
  static final Caller ALICE = Caller.user(OWNER, "alice");
  static final Caller BOB = Caller.user(OWNER, "bob");
  static final Caller OWNER_ROOT = Caller.root(OWNER);
  static final Caller CAROL = Caller.user(OTHER, "carol");
  static final Caller OTHER_ROOT = Caller.root(OTHER);
  static final Caller ANONYMOUS = Caller.anonymousCaller();

  private Requests() {}

  /** A request; {@code keys} alternate key, value (a value "a|b" gives a multivalued key). */
  static RequestContext req(Caller caller, String action, String resource, String... keys) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < keys.length; i += 2) {
      map.put(keys[i], new ArrayList<>(List.of(keys[i + 1].split("\\|", -1))));
    }
    return new RequestContext(caller, action, resource, map);
  }

  /** A 2012-10-17 policy from single-quoted JSON statements. */
  static Policy identity(String... statements) {
    return parse(PolicyKind.IDENTITY, "2012-10-17", statements);
  }

  static Policy bucket(String... statements) {
    return parse(PolicyKind.BUCKET, "2012-10-17", statements);
  }

  static Policy parse(PolicyKind kind, String version, String... statements) {
    StringBuilder b = new StringBuilder("{");
    if (version != null) {
      b.append("'Version':'").append(version).append("',");
    }
    b.append("'Statement':[").append(String.join(",", statements)).append("]}");
    try {
      return Policy.parse(b.toString().replace('\'', '"'), kind);
    } catch (MalformedPolicyException e) {
      throw new AssertionError(e.getMessage() + " in " + b, e);
    }
  }
}
