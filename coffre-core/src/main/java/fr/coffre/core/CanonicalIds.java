package fr.coffre.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * S3 canonical user ids: 64 hex characters that name a tenant (an account) or one of its users in
 * ACLs and as an owner. They are derived (SHA-256) from the tenant's account id, which never
 * changes, and the user's name, so they are stable, need no storage, and are the same on every
 * node. Display names: the tenant's name for a tenant, {@code user@tenant} for a user.
 */
public final class CanonicalIds {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

  private CanonicalIds() {}

  /** The canonical id of the tenant whose account id is {@code accountId}. */
  public static String ofAccount(String accountId) {
    return sha256("coffre canonical account " + accountId);
  }

  /** The canonical id of user {@code user} of the tenant whose account id is {@code accountId}. */
  public static String ofUser(String accountId, String user) {
    return sha256("coffre canonical user " + accountId + "/" + user);
  }

  /** The display name of a user in ACLs. */
  public static String userDisplayName(String tenant, String user) {
    return user + "@" + tenant;
  }

  /** Whether {@code id} has the form of a canonical id. */
  public static boolean valid(String id) {
    return ID.matcher(id).matches();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
