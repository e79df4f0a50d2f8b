package fr.coffre.service;

import fr.coffre.core.BadDigestException;
import fr.coffre.core.BlobId;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.ETag;
import fr.coffre.core.StorageFailureException;
import fr.coffre.crypto.DataKey;
import fr.coffre.crypto.ObjectCrypto;
import fr.coffre.storage.BlobStore;
import fr.coffre.storage.BlobWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The single streaming pass of a write: reads the client's bytes once, hashes them (MD5 for the
 * ETag), encrypts them into a new blob and makes the blob durable. Nothing is visible until the
 * caller commits a metadata row that points at the blob; on any failure the blob is discarded.
 */
final class ContentWriter {
  // Large enough to amortise per-call costs, small enough that many concurrent uploads keep the
  // heap flat (one buffer per upload in flight).
  private static final int BUFFER = 128 * 1024;

  private final BlobStore blobs;
  private final ObjectCrypto crypto;
  private final Placer placer;

  ContentWriter(BlobStore blobs, ObjectCrypto crypto, Placer placer) {
    this.blobs = blobs;
    this.crypto = crypto;
    this.placer = placer;
  }

  /** The outcome of a write: a durable blob and the MD5 of its plaintext. */
  record Written(BlobSlice slice, byte[] md5) {
    ETag etag() {
      return ETag.ofMd5(md5);
    }
  }

  /**
   * Streams {@code body} to the end into a new durable blob encrypted under {@code key}.
   *
   * @param bucket the bucket the blob belongs to, whose class decides where its copies go
   * @param sizeHint the plaintext size when known, else -1
   * @param expectedMd5 the client's Content-MD5, or null; BadDigestException if it differs
   */
  Written write(
      BucketName bucket, long sizeHint, InputStream body, DataKey key, byte[] expectedMd5) {
    BlobId id = BlobId.random();
    // Placed before a byte is read: a write the bucket's class cannot take is refused up front.
    List<String> volumes = placer.place(bucket, sizeHint, id);
    MessageDigest md5 = md5();
    long size = 0;
    try (BlobWriter writer = blobs.create(id, volumes)) {
      try (WritableByteChannel plain = crypto.encrypt(key, id, writer)) {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = read(body, buf)) != -1) {
          md5.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            plain.write(bb);
          }
          size += n;
        }
      }
      byte[] digest = md5.digest();
      if (expectedMd5 != null && !Arrays.equals(expectedMd5, digest)) {
        throw new BadDigestException(
            "The Content-MD5 you specified did not match what we received.");
      }
      writer.commit();
      return new Written(new BlobSlice(id, size), digest);
    } catch (IOException e) {
      throw new StorageFailureException("writing blob " + blobs.describe(id) + " failed", e);
    }
  }

  /**
   * Refuses a write that adds no blob (a multipart completion) when {@code bucket}'s volumes are
   * full, as a write of content would be ({@link fr.coffre.core.PlacementRefusedException}).
   */
  void admit(BucketName bucket) {
    placer.place(bucket, 0, BlobId.random());
  }

  /**
   * Reads from the client; a failure here is the client's connection, not our storage, so it is
   * reported as an UncheckedIOException that the protocol layer tells apart.
   */
  private static int read(InputStream body, byte[] buf) {
    try {
      return body.read(buf);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
