package fr.coffre.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The Object Lock state of one version: a retention (mode and date, both or neither) and a legal
 * hold. A version whose retention date has passed or that has none, and no legal hold, is free.
 */
public record LockState(
    @Nullable RetentionMode mode, @Nullable Instant retainUntil, boolean legalHold) {
  public static final LockState NONE = new LockState(null, null, false);

  public LockState {
    if ((mode == null) != (retainUntil == null)) {
      throw new IllegalArgumentException("a retention has both a mode and a date, or neither");
    }
  }

  /** Whether a retention protects the version at {@code now}. */
  public boolean retainedAt(Instant now) {
    return retainUntil != null && retainUntil.isAfter(now);
  }

  /**
   * Whether the version may be removed at {@code now}: no legal hold, and no retention in force
   * unless it is GOVERNANCE and the caller may bypass it.
   */
  public boolean removableAt(Instant now, boolean bypassGovernance) {
    if (legalHold) {
      return false;
    }
    if (!retainedAt(now)) {
      return true;
    }
    return mode == RetentionMode.GOVERNANCE && bypassGovernance;
  }

  public LockState withRetention(@Nullable RetentionMode newMode, @Nullable Instant until) {
    return new LockState(newMode, until, legalHold);
  }

  public LockState withLegalHold(boolean on) {
    return new LockState(mode, retainUntil, on);
  }
}
