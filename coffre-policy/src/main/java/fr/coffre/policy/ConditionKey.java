package fr.coffre.policy;

/** Which condition keys (and policy variables) a policy may name: any aws: or s3: key. */
final class ConditionKey {
  private ConditionKey() {}

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
