package fr.coffre.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A destructive or sovereignty-changing admin call held for a second operator's approval (four
 * eyes): the call itself (method, path, body) is kept and runs when another operator approves it.
 *
 * @param result the HTTP status the call returned when it ran, or 0 before
 */
public record ProposalRecord(
    String id,
    String method,
    String path,
    String body,
    String proposedBy,
    Instant proposed,
    Instant expires,
    @Nullable String approvedBy,
    @Nullable Instant approved,
    int result) {

  public ProposalRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(proposedBy, "proposedBy");
    Objects.requireNonNull(proposed, "proposed");
    Objects.requireNonNull(expires, "expires");
  }

  public boolean pendingAt(Instant now) {
    return approved == null && now.isBefore(expires);
  }
}
