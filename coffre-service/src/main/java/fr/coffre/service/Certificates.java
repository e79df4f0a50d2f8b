package fr.coffre.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.coffre.core.ErasureCertificate;
import fr.coffre.core.ErasureCoverage;
import fr.coffre.core.SignedCertificate;
import fr.coffre.crypto.SigningKey;
import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Erasure certificates as JSON files, and their offline verification: the signature must be valid
 * over the certificate's canonical bytes, by the expected public key.
 */
public final class Certificates {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Certificates() {}

  public static String toJson(SignedCertificate c) {
    try {
      return JSON.writeValueAsString(c) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a certificate file; IllegalArgumentException if it is not one. */
  public static SignedCertificate fromJson(String json) {
    try {
      SignedCertificate c = JSON.readValue(json, SignedCertificate.class);
      if (c.certificate() == null || c.signature() == null || c.publicKey() == null) {
        throw new IllegalArgumentException(
            "not an erasure certificate: certificate, publicKey or signature missing");
      }
      return c;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not an erasure certificate: " + e.getOriginalMessage(), e);
    }
  }

  /** The outcome of a verification, with what it checked. */
  public record Verdict(boolean valid, String message) {}

  /**
   * Verifies a certificate's signature. With {@code trustedKey} (PEM or base64 SPKI, e.g. the
   * server's published {@code signing.pub}) the certificate must also have been signed by that key;
   * without it only the embedded key is used, which proves integrity but not origin.
   */
  public static Verdict verify(SignedCertificate c, String trustedKey) {
    return verify(c, trustedKey, null);
  }

  /**
   * {@link #verify(SignedCertificate, String)}, and with {@code covered} (the list of covered
   * versions, as {@code coffre admin keys covered} wrote it) also that the list is the one the
   * certificate's digest and object count state.
   */
  public static Verdict verify(
      SignedCertificate c, @Nullable String trustedKey, byte @Nullable [] covered) {
    String format = c.certificate().format();
    if (!ErasureCertificate.FORMAT.equals(format) && !ErasureCertificate.FORMAT_1.equals(format)) {
      return new Verdict(false, "unknown certificate format " + format);
    }
    if (!SigningKey.ALGORITHM.equals(c.algorithm())) {
      return new Verdict(false, "unknown signature algorithm " + c.algorithm());
    }
    if (trustedKey != null) {
      try {
        if (!Arrays.equals(SigningKey.spki(trustedKey), SigningKey.spki(c.publicKey()))) {
          return new Verdict(false, "signed by another key than the trusted one");
        }
      } catch (IllegalArgumentException e) {
        return new Verdict(false, "unreadable public key: " + e.getMessage());
      }
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(c.signature());
    } catch (IllegalArgumentException e) {
      return new Verdict(false, "signature is not base64");
    }
    if (!SigningKey.verify(c.publicKey(), c.certificate().canonicalBytes(), signature)) {
      return new Verdict(
          false,
          "signature does not match the certificate: it was altered or not signed by this key");
    }
    String list = "";
    if (covered != null) {
      String stated = c.certificate().covered();
      if (stated == null) {
        return new Verdict(
            false,
            "this certificate ("
                + format
                + ") carries no digest of the objects it covers: the list cannot be checked");
      }
      String digest = ErasureCoverage.digest(covered);
      if (!digest.equals(stated)) {
        return new Verdict(
            false,
            "the list of objects does not match the certificate: "
                + digest
                + ", expected "
                + stated);
      }
      long n = ErasureCoverage.count(covered);
      if (n != c.certificate().objects()) {
        return new Verdict(
            false,
            "the list holds " + n + " versions, the certificate " + c.certificate().objects());
      }
      list = "; the list of " + n + " covered versions matches its digest";
    }
    return new Verdict(
        true,
        (trustedKey != null
                ? "valid, signed by the trusted key"
                : "valid for the key embedded in the certificate; pass the server's public key to check who signed it")
            + list);
  }
}
