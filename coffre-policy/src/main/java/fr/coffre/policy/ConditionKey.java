package fr.coffre.policy;

/** Which condition keys (and policy variables) a policy may name: any aws: or s3: key. */
final class ConditionKey {
  private ConditionKey() {}

  /** The keys Coffre fills ({@link ConditionKeys}), as AWS spells them. */
  private static final java.util.List<String> KNOWN =
      java.util.List.of(
          ConditionKeys.SOURCE_IP,
          ConditionKeys.CURRENT_TIME,
          ConditionKeys.EPOCH_TIME,
          ConditionKeys.SECURE_TRANSPORT,
          ConditionKeys.USERNAME,
          ConditionKeys.USERID,
          ConditionKeys.PRINCIPAL_ACCOUNT,
          ConditionKeys.PRINCIPAL_ARN,
          ConditionKeys.PRINCIPAL_TYPE,
          ConditionKeys.PREFIX,
          ConditionKeys.DELIMITER,
          ConditionKeys.MAX_KEYS,
          ConditionKeys.SSE,
          ConditionKeys.SSE_KMS_KEY_ID,
          ConditionKeys.ACL);

  /**
   * The known key {@code key} is one edit away from (a typo such as {@code s3:prefx}), or null: a
   * key that close to one Coffre fills, but not it, would never match and silently change what the
   * policy allows. Keys further away are accepted, as AWS has many more (docs/identities.md).
   */
  static @org.jspecify.annotations.Nullable String misspelt(String key) {
    if (key.indexOf('/') >= 0) {
      return null; // s3:ExistingObjectTag/<tag> and the like: the tag part is free
    }
    return Spelling.closest(key, KNOWN, 1);
  }

  static boolean valid(String key) {
    int colon = key.indexOf(':');
    if (colon < 0 || colon == key.length() - 1) {
      return false;
    }
    String service = key.substring(0, colon);
    if (!service.equalsIgnoreCase("aws") && !service.equalsIgnoreCase("s3")) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }
}
