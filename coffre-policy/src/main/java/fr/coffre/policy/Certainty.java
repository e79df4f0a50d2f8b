package fr.coffre.policy;

/** How surely a statement (or a set of them) applies when the request's conditions are unknown. */
enum Certainty {
  NEVER,
  SOMETIMES,
  ALWAYS;

  Certainty or(Certainty other) {
    return compareTo(other) >= 0 ? this : other;
  }

  Certainty and(Certainty other) {
    return compareTo(other) <= 0 ? this : other;
  }
}
