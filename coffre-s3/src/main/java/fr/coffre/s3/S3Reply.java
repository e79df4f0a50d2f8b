package fr.coffre.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An S3 answer ready to send, already recorded in the audit trail: status, headers (ids, CORS,
 * Content-Type and Content-Length included) and at most one body — bytes, or a stream whose first
 * bytes were read ahead. HTTP server types never appear: the adapter copies it out.
 *
 * @param body the bytes to send, or null
 * @param stream the content to send, or null; the adapter closes it
 * @param operation the operation routed to, or null when routing failed (for the metrics)
 * @param bucket the bucket addressed, or null
 */
public record S3Reply(
    String requestId,
    int status,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    InputStream stream,
    long length,
    S3Operation operation,
    String bucket,
    S3Pipeline.CountingStream counted) {

  /** The value of a header (the first, by case-insensitive name), or null. */
  public String header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Request body bytes read so far. */
  public long bytesIn() {
    return counted == null ? 0 : counted.count();
  }

  static Builder builder(
      String requestId,
      int status,
      S3Operation operation,
      String bucket,
      S3Pipeline.CountingStream counted) {
    return new Builder(requestId, status, operation, bucket, counted);
  }

  /** Headers in order; {@link #put} replaces same-named ones, {@link #add} keeps them. */
  static final class Builder {
    private final String requestId;
    private final int status;
    private final S3Operation operation;
    private final String bucket;
    private final S3Pipeline.CountingStream counted;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    private Builder(
        String requestId,
        int status,
        S3Operation operation,
        String bucket,
        S3Pipeline.CountingStream counted) {
      this.requestId = requestId;
      this.status = status;
      this.operation = operation;
      this.bucket = bucket;
      this.counted = counted;
      put("x-amz-request-id", requestId);
      put("x-amz-id-2", requestId);
      put("Server", "Coffre");
    }

    Builder add(String name, String value) {
      headers.add(Map.entry(name, value));
      return this;
    }

    Builder put(String name, String value) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
      return add(name, value);
    }

    boolean has(String name) {
      return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
    }

    /** With {@code bytes} as the body; a HEAD answer declares their length and sends none. */
    S3Reply bytes(byte[] bytes, boolean head) {
      put("Content-Length", Long.toString(bytes.length));
      return new S3Reply(
          requestId,
          status,
          List.copyOf(headers),
          head ? null : bytes,
          null,
          bytes.length,
          operation,
          bucket,
          counted);
    }

    S3Reply stream(InputStream stream, long length, boolean head) {
      put("Content-Length", Long.toString(length));
      return new S3Reply(
              requestId,
              status,
              List.copyOf(headers),
              null,
              stream,
              length,
              operation,
              bucket,
              counted)
          .headOnly(head);
    }

    S3Reply empty() {
      return new S3Reply(
          requestId, status, List.copyOf(headers), null, null, 0, operation, bucket, counted);
    }
  }

  /** For HEAD, the stream is closed and not sent; the length stays declared. */
  private S3Reply headOnly(boolean head) {
    if (!head || stream == null) {
      return this;
    }
    try {
      stream.close();
    } catch (IOException e) {
      // nothing was sent from it
    }
    return new S3Reply(requestId, status, headers, null, null, length, operation, bucket, counted);
  }
}
