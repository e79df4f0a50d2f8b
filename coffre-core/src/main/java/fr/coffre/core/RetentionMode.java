package fr.coffre.core;

/** The two Object Lock retention modes. */
public enum RetentionMode {
  /** Removable or shortened before its date only with the bypass-governance right. */
  GOVERNANCE,
  /** Removable by no one before its date; its date can only be moved later. */
  COMPLIANCE
}
