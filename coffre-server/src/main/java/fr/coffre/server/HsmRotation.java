package fr.coffre.server;

import fr.coffre.crypto.Pkcs11RootKey;
import fr.coffre.crypto.RootKey;
import fr.coffre.crypto.RootKeyPin;
import fr.coffre.crypto.RootKeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The root key of an HSM directory during a rotation: a new non-extractable AES key is made in the
 * token under a new label, the pin names it ({@code pkcs11:NEWLABEL}) and lists the old label as
 * retired, and both keys are opened in one login as a ring until the re-wrap pass is over. Coffre
 * never destroys an HSM key: the operator does, once the pass has finished (docs/key-custody.md).
 *
 * <p>Crash safety: the new key is made first, then the pin is rewritten (the commit point). A crash
 * in between leaves the old key current and an unused key in the token, which the next run does not
 * adopt (it makes another under a new label; the unused one may be destroyed).
 */
final class HsmRotation {
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern STAMP = Pattern.compile("-\\d{14}$");
  private static final DateTimeFormatter STAMP_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** The pin after this step, and the ring that wraps under its current key. */
  record Opened(RootKeyPin pin, RootKeyRing ring) {}

  private HsmRotation() {}

  /** The label of an HSM key id ({@code pkcs11:LABEL}). */
  static String label(String keyId) {
    if (!keyId.startsWith("pkcs11:")) {
      throw new CustodyException(keyId + " is not a PKCS#11 key");
    }
    return keyId.substring("pkcs11:".length());
  }

  /** The default new label: the old one without an earlier stamp, then {@code -YYYYMMDDhhmmss}. */
  static String defaultLabel(String oldLabel, Clock clock) {
    return STAMP.matcher(oldLabel).replaceFirst("") + "-" + STAMP_FORMAT.format(clock.instant());
  }

  /**
   * A fresh rotation makes the new key and commits the pin; a resumed one opens the pin's keys.
   *
   * @throws CustodyException when the token or a key cannot be opened, or the label is refused
   */
  static Opened open(
      Path keysDir, RootKeyPin pin, ServerConfig.Hsm hsm, @Nullable String newLabel, Clock clock)
      throws IOException, GeneralSecurityException {
    if (!pin.retiredIds().isEmpty()) {
      if (newLabel != null && !pin.id().equals("pkcs11:" + newLabel)) {
        throw new CustodyException(
            "a rotation to "
                + pin.id()
                + " is not finished: run again without --new-label to finish it first. Nothing"
                + " was changed.");
      }
      return new Opened(pin, ring(hsm, pin));
    }
    String oldLabel = label(pin.id());
    String label = newLabel != null ? newLabel : defaultLabel(oldLabel, clock);
    if (!LABEL.matcher(label).matches() || label.equals(oldLabel)) {
      throw new CustodyException(
          "--new-label '"
              + label
              + "': a label is 1 to 64 letters, digits, '.', '_' or '-', other than the current one"
              + " ("
              + oldLabel
              + "). Nothing was changed.");
    }
    List<Pkcs11RootKey> keys = openAll(hsm, List.of(oldLabel, label), Pkcs11RootKey.Create.NEW);
    pin.requireKey(keys.get(0));
    RootKeyPin rotated = pin.rotatedTo(keys.get(1));
    rotated.write(keysDir);
    return new Opened(rotated, RootKeyRing.ring(keys.get(1), Map.of(pin.id(), keys.get(0))));
  }

  /**
   * The root key a server starts with: the pin's current key, and a ring with the retired ones
   * while a rotation's pass is unfinished, each checked against the pin.
   *
   * @param mayCreate whether the key may be made (a directory that never wrapped anything)
   */
  static RootKey serverKey(ServerConfig.Hsm hsm, RootKeyPin pin, boolean mayCreate) {
    if (pin.retiredIds().isEmpty()) {
      return openAll(
              hsm,
              List.of(hsm.keyLabel()),
              mayCreate ? Pkcs11RootKey.Create.IF_MISSING : Pkcs11RootKey.Create.NEVER)
          .get(0);
    }
    return ring(hsm, pin);
  }

  private static RootKeyRing ring(ServerConfig.Hsm hsm, RootKeyPin pin) {
    List<String> labels = new ArrayList<>();
    labels.add(label(pin.id()));
    for (String id : pin.retiredIds()) {
      labels.add(label(id));
    }
    List<Pkcs11RootKey> keys = openAll(hsm, labels, Pkcs11RootKey.Create.NEVER);
    pin.requireKey(keys.get(0));
    Map<String, RootKey> retired = new LinkedHashMap<>();
    for (int i = 1; i < keys.size(); i++) {
      String id = pin.retiredIds().get(i - 1);
      pin.requireRetired(id, keys.get(i));
      retired.put(id, keys.get(i));
    }
    return RootKeyRing.ring(keys.get(0), retired);
  }

  private static List<Pkcs11RootKey> openAll(
      ServerConfig.Hsm hsm, List<String> labels, Pkcs11RootKey.Create create) {
    try {
      return Pkcs11RootKey.openAll(
          hsm.library(), hsm.slot(), hsm.pin().toCharArray(), labels, create);
    } catch (IllegalStateException e) {
      throw new RootKeyPin.MismatchException(String.valueOf(e.getMessage()));
    }
  }
}
