package fr.coffre.server;

import fr.coffre.service.ResidencyReports;

/** Offline verification of residency reports, for the command line. */
public final class ResidencyVerification {
  private ResidencyVerification() {}

  /** Valid (signature holds), compliant (every copy where the class allows), and what was found. */
  public record Verdict(boolean valid, boolean compliant, String message) {}

  public static Verdict verify(String json, String trustedKey) {
    try {
      ResidencyReports.Verdict v = ResidencyReports.verify(json, trustedKey);
      return new Verdict(v.valid(), v.compliant(), v.message());
    } catch (IllegalArgumentException e) {
      return new Verdict(false, false, e.getMessage());
    }
  }
}
