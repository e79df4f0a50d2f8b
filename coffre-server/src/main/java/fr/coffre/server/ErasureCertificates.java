package fr.coffre.server;

import fr.coffre.service.Certificates;
import org.jspecify.annotations.Nullable;

/** Offline verification of erasure certificates, for the command line. */
public final class ErasureCertificates {
  private ErasureCertificates() {}

  /** The outcome: valid or not, and what was checked or what failed. */
  public record Verdict(boolean valid, String message) {}

  /**
   * Whether the certificate file's signature holds (and, with {@code trustedKey}, whose key made
   * it).
   */
  public static Verdict verify(String json, String trustedKey) {
    return verify(json, trustedKey, null);
  }

  /**
   * {@link #verify(String, String)}, and with {@code covered} (the list {@code coffre admin keys
   * covered} wrote) that it is the list the certificate's digest states.
   */
  public static Verdict verify(
      String json, @Nullable String trustedKey, byte @Nullable [] covered) {
    try {
      Certificates.Verdict v =
          Certificates.verify(Certificates.fromJson(json), trustedKey, covered);
      return new Verdict(v.valid(), v.message());
    } catch (IllegalArgumentException e) {
      return new Verdict(false, e.getMessage());
    }
  }
}
