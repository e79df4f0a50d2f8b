package fr.coffre.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One action as the audit trail records it (docs/audit-format.md). Secrets never go in: an access
 * key id may, its secret may not.
 *
 * @param time when the action completed
 * @param requestId the request id sent to the client, or null
 * @param source {@code s3}, {@code admin} or {@code server}
 * @param actor who acted
 * @param address the client's IP address, or null
 * @param secure whether the request came over TLS
 * @param operation the S3 action name, or {@code METHOD /admin/v1/path}
 * @param bucket the bucket named, or null
 * @param key the object key named, or null
 * @param versionId the version concerned, or null
 * @param status the HTTP status sent
 * @param error the error code sent, or null on success
 * @param bytesIn request body bytes read
 * @param bytesOut response body bytes announced
 * @param detailsJson a JSON object with more (admin before/after), or null
 */
public record AuditEvent(
    Instant time,
    @Nullable String requestId,
    String source,
    Actor actor,
    @Nullable String address,
    boolean secure,
    String operation,
    @Nullable String bucket,
    @Nullable String key,
    @Nullable String versionId,
    int status,
    @Nullable String error,
    long bytesIn,
    long bytesOut,
    @Nullable String detailsJson) {

  /**
   * Who acted.
   *
   * @param type {@code root}, {@code user}, {@code role} (temporary credentials: user is {@code
   *     ROLE/SESSION}), {@code anonymous}, {@code operator} or {@code unauthenticated} (a signature
   *     that did not verify: accessKey is the one claimed)
   */
  public record Actor(
      String type,
      @Nullable String tenant,
      @Nullable String account,
      @Nullable String user,
      @Nullable String accessKey,
      @Nullable String operator) {
    public static Actor of(@Nullable Principal p) {
      if (p == null || p.isAnonymous()) {
        return new Actor("anonymous", null, null, null, null, null);
      }
      if (p.isRoleSession()) {
        return new Actor(
            "role", p.tenant(), p.accountId(), p.role() + "/" + p.session(), p.accessKey(), null);
      }
      return new Actor(
          p.isRoot() ? "root" : "user", p.tenant(), p.accountId(), p.user(), p.accessKey(), null);
    }

    public static Actor unauthenticated(String claimedAccessKey) {
      return new Actor("unauthenticated", null, null, null, claimedAccessKey, null);
    }

    public static Actor operator(String operator) {
      return new Actor("operator", null, null, null, null, operator);
    }

    public static Actor server() {
      return new Actor("server", null, null, null, null, null);
    }
  }
}
