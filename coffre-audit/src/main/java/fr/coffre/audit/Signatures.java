package fr.coffre.audit;

import static fr.coffre.audit.Source.finding;
import static fr.coffre.audit.Source.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import fr.coffre.audit.Finding.Kind;
import fr.coffre.audit.LineReader.Line;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which key signs the chain, the trusted one or else the one the lines carry (with a warning), and
 * whether each checkpoint's Ed25519 signature verifies under it.
 */
final class Signatures {
  private final Source source;
  private final List<SigningKey> trusted;
  private final List<String> warnings;
  private @Nullable SigningKey key;
  private @Nullable Signature ed25519;

  /**
   * @param trusted the keys the server published (its current key and the ones it retired); empty
   *     when none was given
   */
  Signatures(Source source, List<SigningKey> trusted, List<String> warnings) {
    this.source = source;
    this.trusted = List.copyOf(trusted);
    this.warnings = warnings;
    this.key = trusted.isEmpty() ? null : trusted.get(trusted.size() - 1);
  }

  private @Nullable SigningKey trustedKey(String base64) {
    for (SigningKey k : trusted) {
      if (k.base64().equals(base64)) {
        return k;
      }
    }
    return null;
  }

  /** The fingerprint of the key signatures are checked against, or null when none is known yet. */
  @Nullable String fingerprint() {
    return key == null ? null : key.fingerprint();
  }

  /** Whether no trusted key was given: signatures are checked against the key the lines carry. */
  boolean keyFromLines() {
    return trusted.isEmpty();
  }

  /**
   * Checks the key an export header names: the trusted key, or the one to use when none was given.
   */
  @Nullable Finding header(Line l, String publicKey) {
    SigningKey own = SigningKey.fromLine(publicKey);
    if (own == null) {
      return malformed(
          l,
          null,
          "the export header's publicKey is not an Ed25519 public key (canonical base64 of "
              + "its X.509 SubjectPublicKeyInfo)");
    }
    if (trusted.isEmpty()) {
      key = own;
      warnings.add(
          "no trusted key was given: signatures were checked against the key in the export header "
              + "(SHA-256 "
              + own.fingerprint()
              + "); compare it with the server's published key "
              + "(coffre admin signing-key)");
    } else if (trustedKey(own.base64()) == null) {
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          null,
          "the export was not signed with the trusted key: its header "
              + "names the key SHA-256 "
              + own.fingerprint()
              + ", the trusted key"
              + (trusted.size() == 1 ? " is" : "s are")
              + " SHA-256 "
              + String.join(", ", trusted.stream().map(SigningKey::fingerprint).toList()));
    }
    return null;
  }

  /**
   * Checks checkpoint {@code n} of {@code chain} (well formed): its key, and its signature of what
   * it says.
   */
  @Nullable Finding verify(
      Line l,
      JsonNode n,
      String chain,
      long seq,
      String hash,
      String time,
      boolean last,
      String name) {
    String lineKey = n.get("key").asText();
    if (trusted.size() > 1) {
      // Several published keys (a rotated signing key): each checkpoint names the one it used.
      SigningKey used = trustedKey(lineKey);
      if (used != null) {
        key = used;
      }
    }
    if (key == null) {
      SigningKey own = SigningKey.fromLine(lineKey);
      if (own == null) {
        return finding(
            Kind.BAD_CHECKPOINT,
            l,
            seq,
            name
                + ": its key is not an Ed25519 public key (canonical "
                + "base64 of its X.509 SubjectPublicKeyInfo)");
      }
      key = own;
      warnings.add(
          "no trusted key was given: signatures were checked against the key of the first checkpoint ("
              + source.where(l)
              + ", SHA-256 "
              + own.fingerprint()
              + "); compare it with the server's published key "
              + "(coffre admin signing-key)");
    }
    if (!lineKey.equals(key.base64())) {
      SigningKey other = SigningKey.fromLine(lineKey);
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name
              + " was signed with another key ("
              + (other == null ? "not a valid Ed25519 key" : "SHA-256 " + other.fingerprint())
              + ") than the "
              + (trusted.isEmpty() ? "export's key" : "trusted key")
              + " (SHA-256 "
              + key.fingerprint()
              + ")");
    }
    byte[] signature = SigningKey.canonicalBase64(n.get("signature").asText());
    if (signature == null
        || signature.length != 64
        || !key.verifies(
            ed25519(), AuditLines.checkpointMessage(chain, seq, hash, time, last), signature)) {
      return finding(
          Kind.BAD_CHECKPOINT,
          l,
          seq,
          name
              + " has a signature that does not verify under the "
              + (trusted.isEmpty() ? "export's key" : "trusted key")
              + ": the checkpoint was forged, or its chain, seq, "
              + "hash, time or final was edited");
    }
    return null;
  }

  private Signature ed25519() {
    if (ed25519 == null) {
      try {
        ed25519 = Signature.getInstance("Ed25519");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no Ed25519", e);
      }
    }
    return ed25519;
  }
}
