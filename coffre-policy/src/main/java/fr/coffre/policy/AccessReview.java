package fr.coffre.policy;

import java.util.Objects;

/**
 * The combined answer of an access review (see {@link Review}) and the statements that decided it.
 */
public record AccessReview(Review review, String reason) {
  public AccessReview {
    Objects.requireNonNull(review, "review");
    Objects.requireNonNull(reason, "reason");
  }
}
