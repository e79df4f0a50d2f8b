package fr.coffre.service;

import fr.coffre.core.ObjectChecksum;
import fr.coffre.core.PartRecord;
import java.util.List;

/**
 * Computes a multipart object's checksum from its parts' checksums, as S3 does (a checksum of the
 * part checksums, or a combined full-object CRC). The protocol layer, which knows the algorithms,
 * supplies it, so that completing an upload reads no data again.
 */
@FunctionalInterface
public interface ChecksumCombiner {
  /**
   * @param chosen the algorithm and type the upload was created with (no value)
   * @param parts the completed parts in order, each with its checksum
   * @return the object's checksum, value and part values filled in
   */
  ObjectChecksum combine(ObjectChecksum chosen, List<PartRecord> parts);
}
