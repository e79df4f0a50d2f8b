package fr.coffre.s3.handlers;

import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.PartRecord;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.checksum.ChecksumAlgorithm;
import fr.coffre.s3.checksum.ChecksumType;
import fr.coffre.s3.checksum.MultipartChecksum;
import java.util.Base64;
import java.util.List;

/** Adapts the checksum algorithms to what completing an upload needs from the protocol layer. */
final class MultipartChecksums {
  private MultipartChecksums() {}

  /** The object's checksum from its parts', as S3 computes it for the upload's type. */
  static ObjectChecksum combine(ObjectChecksum chosen, List<PartRecord> parts) {
    ChecksumAlgorithm algorithm = ChecksumHeaders.algorithm(chosen.algorithm());
    ChecksumType type = ChecksumType.valueOf(chosen.type());
    List<MultipartChecksum.Part> in =
        parts.stream()
            .map(
                p ->
                    new MultipartChecksum.Part(
                        Base64.getDecoder().decode(p.checksum()), p.blob().size()))
            .toList();
    String value = MultipartChecksum.compute(algorithm, type, in);
    return new ObjectChecksum(
        chosen.algorithm(),
        chosen.type(),
        value,
        parts.stream().map(PartRecord::checksum).toList());
  }

  /**
   * The whole-object checksum a client states on completion ({@code x-amz-checksum-*}), or null.
   */
  static String expected(S3Request request) {
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      String v = request.header(a.headerName());
      if (v != null) {
        return v.strip();
      }
    }
    return null;
  }
}
