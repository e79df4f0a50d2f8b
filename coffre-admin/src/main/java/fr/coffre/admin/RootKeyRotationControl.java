package fr.coffre.admin;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The online root key rotation, as far as the admin API may start and watch it: {@code POST
 * /admin/v1/root-key/rotate} starts (or resumes) it as a background job, {@code GET
 * /admin/v1/root-key/rotation} shows its progress (docs/key-custody.md).
 */
public interface RootKeyRotationControl {

  /** Why a rotation cannot start now; its message is shown to the operator. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /**
   * Starts the rotation in the background (a new key, then the re-wrap pass) and returns its status
   * at once.
   *
   * @param newLabel an HSM key's new label, or null for the default
   * @param batchSize rows per batch
   * @param settleSeconds how long the job waits, once nothing is left under the old key, for
   *     requests that began before the switch to commit, before a last pass and dropping the key
   * @param by who asked (recorded)
   * @throws Refused when one runs already, or this server cannot rotate online (the message says
   *     why and what to do)
   */
  Map<String, Object> start(@Nullable String newLabel, int batchSize, int settleSeconds, String by);

  /** The current or last rotation of this process: state, keys, rows re-wrapped, error. */
  Map<String, Object> status();
}
