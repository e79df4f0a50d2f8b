package fr.coffre.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request as policies see it: who, what action, on which resource, and the values of its
 * condition keys.
 *
 * <p>{@code conditions} is normalised on construction: keys are lower-cased (AWS compares key names
 * without regard to case), an empty list counts as an absent key, and the caller's own keys
 * (aws:username, aws:userid, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalType) are derived
 * from {@code caller} and replace any value supplied for them, so request data can never
 * impersonate another principal. A key absent from the map is "not present in this request".
 *
 * @param action an S3 action such as {@code s3:GetObject}
 * @param resource {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
 */
public record RequestContext(
    Caller caller, String action, String resource, Map<String, List<String>> conditions) {
  public RequestContext {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    conditions = normalise(conditions == null ? Map.of() : conditions, caller);
  }

  /**
   * A context with no request keys, only those derived from the caller (what a review can know).
   */
  public static RequestContext of(Caller caller, String action, String resource) {
    return new RequestContext(caller, action, resource, Map.of());
  }

  /** The request's values for a lower-cased key, or null when the request does not have it. */
  @Nullable List<String> values(String lowerKey) {
    return conditions.get(lowerKey);
  }

  /**
   * The value a policy variable {@code ${key}} stands for: the key's single value, or null when the
   * key is absent or has several values (AWS cannot substitute a multivalued key).
   */
  @Nullable String variable(String lowerKey) {
    List<String> v = conditions.get(lowerKey);
    return v != null && v.size() == 1 ? v.get(0) : null;
  }

  private static Map<String, List<String>> normalise(
      Map<String, List<String>> given, Caller caller) {
    Map<String, List<String>> map = new HashMap<>(given.size() * 2 + 12);
    for (Map.Entry<String, List<String>> e : given.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "condition key").toLowerCase(Locale.ROOT);
      List<String> values = e.getValue();
      if (values == null || values.isEmpty()) {
        continue;
      }
      if (map.put(key, List.copyOf(values)) != null) {
        throw new IllegalArgumentException(
            "condition key given twice, in different case: " + e.getKey());
      }
    }
    // What AWS puts in the request context for each kind of principal (IAM policy variables table).
    // Coffre users have no separate unique id, so aws:userid is the user name.
    map.remove("aws:username");
    map.remove("aws:principalaccount");
    map.remove("aws:principalarn");
    if (caller.anonymous()) {
      map.put("aws:userid", List.of("anonymous"));
      map.put("aws:principaltype", List.of("Anonymous"));
    } else {
      map.put("aws:principalaccount", List.of(caller.accountId()));
      map.put("aws:principalarn", List.of(caller.arn()));
      if (caller.accountRoot()) {
        map.put("aws:userid", List.of(caller.accountId()));
        map.put("aws:principaltype", List.of("Account"));
      } else if (caller.roleName() != null) {
        map.put("aws:userid", List.of(caller.roleName() + ":" + caller.sessionName()));
        map.put("aws:principaltype", List.of("AssumedRole"));
      } else {
        map.put("aws:username", List.of(caller.userName()));
        map.put("aws:userid", List.of(caller.userName()));
        map.put("aws:principaltype", List.of("User"));
      }
    }
    return Map.copyOf(map);
  }
}
