package fr.coffre.service;

import fr.coffre.core.ETag;
import fr.coffre.core.ObjectAttributes;
import java.time.Instant;

/** What GET and HEAD report about an object, attributes decrypted. */
public record ObjectInfo(long size, ETag etag, Instant lastModified, ObjectAttributes attributes) {}
