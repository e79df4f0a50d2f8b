package fr.coffre.s3;

import fr.coffre.core.AuditEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One line of a server access log, in S3's format
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html): space-separated fields,
 * {@code -} for an empty one, the time in brackets, the request line, referer and user agent in
 * double quotes.
 *
 * @param bucketOwner the canonical id of the logged bucket's owner
 * @param requester the canonical id or access key of who sent the request, or null (anonymous)
 * @param operation {@code REST.GET.OBJECT} and the like
 * @param requestUri {@code GET /bucket/key?query HTTP/1.1}
 * @param objectSize the object's size when known, or -1
 * @param totalMillis from the request's start to its answer's record
 */
public record AccessLogLine(
    String bucketOwner,
    String bucket,
    Instant time,
    @Nullable String remoteIp,
    @Nullable String requester,
    String requestId,
    String operation,
    @Nullable String key,
    String requestUri,
    int status,
    @Nullable String errorCode,
    long bytesSent,
    long objectSize,
    long totalMillis,
    @Nullable String referer,
    @Nullable String userAgent,
    @Nullable String versionId,
    int signatureVersion,
    boolean secure,
    @Nullable String authType,
    @Nullable String host) {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * The S3 log operation of a request: {@code REST.} + method + resource ({@code OBJECT}, {@code
   * BUCKET}, or the subresource asked for, as {@code REST.PUT.LOGGING_STATUS}).
   */
  public static String operation(String method, @Nullable S3Operation op, @Nullable String key) {
    String resource;
    if (op == null) {
      resource = key == null ? "BUCKET" : "OBJECT";
    } else {
      resource =
          switch (op) {
            case GET_BUCKET_LOGGING, PUT_BUCKET_LOGGING -> "LOGGING_STATUS";
            case LIST_OBJECTS, LIST_OBJECTS_V2 -> "BUCKET";
            case LIST_OBJECT_VERSIONS -> "BUCKETVERSIONS";
            case CREATE_MULTIPART_UPLOAD, COMPLETE_MULTIPART_UPLOAD, ABORT_MULTIPART_UPLOAD ->
                "UPLOAD";
            case UPLOAD_PART, UPLOAD_PART_COPY -> "PART";
            case GET_BUCKET_ACL, PUT_BUCKET_ACL, GET_OBJECT_ACL, PUT_OBJECT_ACL -> "ACL";
            case GET_BUCKET_TAGGING,
                PUT_BUCKET_TAGGING,
                DELETE_BUCKET_TAGGING,
                GET_OBJECT_TAGGING,
                PUT_OBJECT_TAGGING,
                DELETE_OBJECT_TAGGING ->
                "TAGGING";
            case GET_BUCKET_CORS, PUT_BUCKET_CORS, DELETE_BUCKET_CORS -> "CORS";
            case DELETE_OBJECTS -> "MULTI_OBJECT_DELETE";
            case COPY_OBJECT -> "OBJECT";
            default -> key == null ? "BUCKET" : "OBJECT";
          };
    }
    return "REST." + method.toUpperCase(Locale.ROOT) + "." + resource;
  }

  /** The line, without its end of line. */
  public String format() {
    StringBuilder b = new StringBuilder(256);
    field(b, bucketOwner);
    field(b, bucket);
    b.append(TIME.format(time)).append(' ');
    field(b, remoteIp);
    field(b, requester);
    field(b, requestId);
    field(b, operation);
    field(b, key == null ? null : uriEncode(key));
    quoted(b, requestUri);
    field(b, Integer.toString(status));
    field(b, errorCode);
    field(b, bytesSent <= 0 ? null : Long.toString(bytesSent));
    field(b, objectSize < 0 ? null : Long.toString(objectSize));
    field(b, Long.toString(totalMillis));
    field(b, null); // turn-around time: not measured apart from the total
    quoted(b, referer);
    quoted(b, userAgent);
    field(b, versionId);
    field(b, requestId); // host id: the request id is what an operator can look up
    field(b, signatureVersion == 2 ? "SigV2" : signatureVersion == 4 ? "SigV4" : null);
    field(b, null); // cipher suite: TLS is ended by the listener, not known here
    field(b, authType);
    field(b, host);
    // TLS version: the listener offers 1.3 and 1.2, and which one was agreed is not passed to
    // this layer; "-" rather than a guess.
    field(b, null);
    field(b, null); // access point ARN: no access points
    b.append('-'); // ACL required: ACLs are not what grants in Coffre's logs
    return b.toString();
  }

  private static void field(StringBuilder b, @Nullable String value) {
    b.append(value == null || value.isEmpty() ? "-" : clean(value)).append(' ');
  }

  private static void quoted(StringBuilder b, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      b.append("- ");
    } else {
      b.append('"').append(clean(value).replace("\"", "\\\"")).append("\" ");
    }
  }

  /** No line break, tab or space inside a field: they would split the line. */
  private static String clean(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) ? '_' : c);
    }
    return out.toString();
  }

  /** Keys are URL-encoded in the key field, as S3 does, so a space does not split the line. */
  private static String uriEncode(String key) {
    return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%2F", "/");
  }

  /** A line for {@code event}, completed by what only the HTTP request shows. */
  public static AccessLogLine of(
      AuditEvent event,
      String bucketOwner,
      String method,
      @Nullable S3Operation op,
      String requestUri,
      long totalMillis,
      @Nullable String referer,
      @Nullable String userAgent,
      int signatureVersion,
      @Nullable String host) {
    AuditEvent.Actor a = event.actor();
    String requester =
        a.type().equals("anonymous") ? null : a.accessKey() != null ? a.accessKey() : a.user();
    return new AccessLogLine(
        bucketOwner,
        event.bucket() == null ? "-" : event.bucket(),
        event.time(),
        event.address(),
        requester,
        event.requestId() == null ? "-" : event.requestId(),
        operation(method, op, event.key()),
        event.key(),
        requestUri,
        event.status(),
        event.error(),
        event.bytesOut(),
        -1,
        totalMillis,
        referer,
        userAgent,
        event.versionId(),
        signatureVersion,
        event.secure(),
        signatureVersion == 0 ? null : "AuthHeader",
        host);
  }
}
