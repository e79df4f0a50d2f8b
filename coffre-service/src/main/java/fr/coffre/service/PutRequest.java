package fr.coffre.service;

import fr.coffre.core.ObjectAttributes;
import fr.coffre.core.WriteCondition;

/**
 * What accompanies an object's content on a write.
 *
 * @param contentMd5 the 16-byte digest the client sent (Content-MD5), or null
 */
public record PutRequest(ObjectAttributes attributes, byte[] contentMd5, WriteCondition condition) {
  public PutRequest {
    condition = condition == null ? WriteCondition.NONE : condition;
  }

  public static PutRequest of(ObjectAttributes attributes) {
    return new PutRequest(attributes, null, WriteCondition.NONE);
  }
}
