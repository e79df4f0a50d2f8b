package fr.coffre.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protocol-level failure with its S3 error code; its message is always safe to send. Extra
 * elements (e.g. {@code BucketName}, {@code Key}) are added to the XML error body.
 */
public final class S3Exception extends RuntimeException {
  private final S3Error error;
  private final Map<String, String> details = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  public S3Exception(S3Error error) {
    this(error, error.defaultMessage());
  }

  public S3Exception(S3Error error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public S3Error error() {
    return error;
  }

  /** Adds an element to the XML error body; returns this for chaining. */
  public S3Exception with(String element, String value) {
    details.put(element, value);
    return this;
  }

  public Map<String, String> details() {
    return details;
  }

  /** Adds a header to the error answer (e.g. {@code x-amz-delete-marker}); returns this. */
  public S3Exception header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
