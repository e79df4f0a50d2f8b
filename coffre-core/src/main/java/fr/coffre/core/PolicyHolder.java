package fr.coffre.core;

/** What a managed policy is attached to. */
public enum PolicyHolder {
  USER,
  GROUP,
  ROLE
}
