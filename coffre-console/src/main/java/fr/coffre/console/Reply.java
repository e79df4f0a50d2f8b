package fr.coffre.console;

import fr.coffre.web.WebError;
import java.io.InputStream;

/**
 * What a console call answers: a JSON body, or a stream (a download).
 *
 * @param json the body, serialized as JSON; null for none
 * @param stream a download, or null
 */
record Reply(int status, Object json, Stream stream, Audited audited) {

  Reply(int status, Object json, Stream stream) {
    this(status, json, stream, null);
  }

  /** What the outcome record names when the route did not know it (a share link's object). */
  record Audited(String bucket, String key, String detailsJson) {}

  Reply auditing(String bucket, String key, String detailsJson) {
    return new Reply(status, json, stream, new Audited(bucket, key, detailsJson));
  }

  /** A download: its bytes, their length, type and the file name offered to the browser. */
  record Stream(InputStream content, long length, String contentType, String fileName) {}

  static Reply ok(Object json) {
    return new Reply(200, json, null);
  }

  static Reply created(Object json) {
    return new Reply(201, json, null);
  }

  static Reply noContent() {
    return new Reply(204, null, null);
  }

  static Reply error(int status, String code, String message) {
    return error(new WebError(status, code, message));
  }

  static Reply error(WebError e) {
    return new Reply(e.status(), e.body(), null);
  }

  static Reply download(InputStream content, long length, String contentType, String fileName) {
    return new Reply(200, null, new Stream(content, length, contentType, fileName));
  }

  /** The error code of an error reply, or null. */
  String errorCode() {
    return json instanceof WebError.Body e ? e.error() : null;
  }
}
