package fr.coffre.console;

import fr.coffre.core.AuditEvent;
import fr.coffre.core.Principal;
import fr.coffre.service.AuditService;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Records console calls in the audit trail ({@code source: console}), in the chains of the bucket's
 * owner and of the caller's tenant, as S3 requests are recorded.
 */
final class ConsoleRecorder {
  private final AuditService audit;
  private final Clock clock;

  ConsoleRecorder(AuditService audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  /** What a record says of the request, besides its outcome. */
  record Context(
      String requestId,
      String address,
      boolean secure,
      String operation,
      String bucket,
      String key) {}

  /** A change about to start (status 0). */
  void started(Context c, Principal who) {
    audit.record(event(c, AuditEvent.Actor.of(who), 0, null, 0, 0, null), who, null);
  }

  void finished(Context c, Principal who, int status, String error, long bytesIn, long bytesOut) {
    finished(c, who, status, error, bytesIn, bytesOut, null);
  }

  /** An outcome, with what the call itself learnt of the object it acted on. */
  void finished(
      Context c,
      Principal who,
      int status,
      String error,
      long bytesIn,
      long bytesOut,
      Reply.Audited a) {
    Context named =
        a == null
            ? c
            : new Context(
                c.requestId(), c.address(), c.secure(), c.operation(), a.bucket(), a.key());
    audit.record(
        event(
            named,
            AuditEvent.Actor.of(who),
            status,
            error,
            bytesIn,
            bytesOut,
            a == null ? null : a.detailsJson()),
        who,
        null);
  }

  /**
   * A sign-in that failed: recorded with the access key it claimed (its tenant's chain, else
   * _system).
   */
  void refusedSignIn(Context c, String claimedAccessKey, int status, String error) {
    audit.record(
        event(c, AuditEvent.Actor.unauthenticated(claimedAccessKey), status, error, 0, 0, null),
        null,
        claimedAccessKey);
  }

  /** A sign-in through the identity provider: recorded in the tenant's chain. */
  void oidcSignIn(Context c, Principal who, String detailsJson) {
    audit.record(event(c, AuditEvent.Actor.of(who), 200, null, 0, 0, detailsJson), who, null);
  }

  /**
   * A refused sign-in through the identity provider: in the tenant's chain when the claims named
   * one, else _system.
   */
  void refusedOidcSignIn(
      Context c, @Nullable String tenant, int status, String error, String detailsJson) {
    audit.recordFor(
        tenant,
        event(c, AuditEvent.Actor.unauthenticated("oidc"), status, error, 0, 0, detailsJson));
  }

  /** A share-link download by someone without an account: recorded in the bucket owner's chain. */
  void shareDownload(Context c, int status, String error, long bytesOut, String detailsJson) {
    audit.record(
        event(c, AuditEvent.Actor.of(null), status, error, 0, bytesOut, detailsJson), null, null);
  }

  private AuditEvent event(
      Context c,
      AuditEvent.Actor actor,
      int status,
      String error,
      long in,
      long out,
      String details) {
    return new AuditEvent(
        clock.instant(),
        c.requestId(),
        "console",
        actor,
        c.address(),
        c.secure(),
        c.operation(),
        c.bucket(),
        c.key(),
        null,
        status,
        error,
        in,
        out,
        details);
  }
}
