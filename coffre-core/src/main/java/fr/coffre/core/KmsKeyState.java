package fr.coffre.core;

/** The life of a KMS key: only an enabled key encrypts; a destroyed key's material is gone. */
public enum KmsKeyState {
  ENABLED,
  DISABLED,
  PENDING_DELETION,
  DESTROYED
}
