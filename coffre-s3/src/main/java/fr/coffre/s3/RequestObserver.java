package fr.coffre.s3;

/**
 * Told about every finished S3 request, for metrics. Called on the request's thread after the
 * answer is written; it must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NONE = (operation, status, nanos, bytesIn, bytesOut) -> {};

  /**
   * @param operation the routed action, or null when the request could not be routed
   * @param status the HTTP status sent
   * @param nanos time from arrival to the end of the answer
   * @param bytesIn body bytes read from the client (as sent, before decoding)
   * @param bytesOut body bytes of the answer
   */
  void completed(S3Operation operation, int status, long nanos, long bytesIn, long bytesOut);
}
