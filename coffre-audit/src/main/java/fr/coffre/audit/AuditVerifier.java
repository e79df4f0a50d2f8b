package fr.coffre.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The offline verifier of docs/audit-format.md: reads an export or a chain's segment directory line
 * by line (memory stays bounded: it keeps the chain's state and one line number per record, never
 * the lines) and reports the first problem, classified as the format's table says.
 *
 * <p>Records are checked on their stored bytes ({@link AuditLines#computedHash}); JSON is parsed
 * only to read fields, strictly (no duplicate keys, nothing after the object, UTF-8 only).
 * Checkpoint signatures are checked with the JDK's Ed25519 against the trusted key, or, when none
 * is given, against the key the lines carry (the report then says so, with that key's fingerprint).
 *
 * <p>This class opens what is verified; one {@code Verification} reads it ({@code LineReader}),
 * checks each line's syntax ({@code LineSyntax}) and feeds the {@code Chain}, which checks the
 * links and the {@code Signatures} and classifies gaps with a {@code LookAhead}.
 */
public final class AuditVerifier {
  private static final byte[] BUNDLE_START =
      "{\"type\":\"bundle\"".getBytes(StandardCharsets.US_ASCII);

  private AuditVerifier() {}

  /**
   * Verifies an export file (its first line is the export header) or a chain's segment directory
   * ({@code DIR/*.jsonl} in name order: no header, no final checkpoint required; records after the
   * last checkpoint give a warning, not a failure).
   *
   * @param fileOrDir an export file or a segment directory
   * @param trustedPublicKey the server's signing key, PEM or base64 of its SubjectPublicKeyInfo
   *     (several PEM blocks: its current and retired keys, each checkpoint verified under the one
   *     it names); or null to check signatures against the export header's key (for a directory:
   *     the first checkpoint's key), with a warning
   * @throws IllegalArgumentException if {@code trustedPublicKey} is not an Ed25519 public key
   * @throws IOException if the file or directory cannot be read
   */
  public static VerifyReport verify(Path fileOrDir, @Nullable String trustedPublicKey)
      throws IOException {
    List<SigningKey> trusted =
        trustedPublicKey == null ? List.of() : SigningKey.parseAll(trustedPublicKey);
    if (!Files.isDirectory(fileOrDir)) {
      try (InputStream in = Files.newInputStream(fileOrDir)) {
        return verifyExport(in, trusted);
      }
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(fileOrDir)) {
      segments =
          files
              .filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p))
              .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
              .toList();
    }
    Path name = fileOrDir.toAbsolutePath().normalize().getFileName();
    try (LineReader lines = new LineReader(segments)) {
      return new Verification(
              lines,
              trusted,
              segments.stream().map(p -> p.getFileName().toString()).toList(),
              name == null ? null : name.toString(),
              fileOrDir.toString())
          .verify();
    }
  }

  /**
   * Verifies an export read from a stream (not closed).
   *
   * @param in the export's bytes
   * @param trustedPublicKey as for {@link #verify(Path, String)}
   * @throws IllegalArgumentException if {@code trustedPublicKey} is not an Ed25519 public key
   * @throws IOException if the stream cannot be read
   */
  public static VerifyReport verifyExport(InputStream in, @Nullable String trustedPublicKey)
      throws IOException {
    return verifyExport(
        in, trustedPublicKey == null ? List.of() : SigningKey.parseAll(trustedPublicKey));
  }

  private static VerifyReport verifyExport(InputStream in, List<SigningKey> trusted)
      throws IOException {
    return new Verification(new LineReader(in), trusted, null, null, null).verify();
  }

  /**
   * Whether {@code file} is a cluster export (a bundle of every node's part, docs/audit-format.md
   * "Cluster exports") rather than a single node's export or a directory.
   */
  public static boolean isBundle(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      return false;
    }
    byte[] start = new byte[BUNDLE_START.length];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(start, 0, start.length) == start.length
          && Arrays.equals(start, BUNDLE_START);
    }
  }

  /**
   * Verifies a cluster export: each node's part under that node's key, and the exporting node's
   * signed list of the parts.
   *
   * @param trustedPublicKeys the nodes' signing keys (PEM or base64), each part checked against the
   *     one its header names; empty to check each part against the key it carries, with a warning
   * @throws IllegalArgumentException if a key is not an Ed25519 public key
   */
  public static BundleReport verifyBundle(Path file, List<String> trustedPublicKeys)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return verifyBundle(in, trustedPublicKeys);
    }
  }

  /** As {@link #verifyBundle(Path, List)}, from a stream (not closed). */
  public static BundleReport verifyBundle(InputStream in, List<String> trustedPublicKeys)
      throws IOException {
    List<SigningKey> keys = trustedPublicKeys.stream().map(SigningKey::parse).toList();
    return new BundleVerification(new LineReader(in), keys).verify();
  }
}
