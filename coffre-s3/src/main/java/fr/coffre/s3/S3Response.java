package fr.coffre.s3;

import fr.coffre.core.Principal;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an action handler answers: a status, headers, and either no body, an XML document or a
 * stream of content of known length.
 */
public final class S3Response {
  private final int status;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private Object xml;
  private InputStream content;
  private long contentLength = -1;
  private Principal auditPrincipal;
  private String auditKey;

  private S3Response(int status) {
    this.status = status;
  }

  public static S3Response status(int status) {
    return new S3Response(status);
  }

  public static S3Response ok() {
    return new S3Response(200);
  }

  /** A 200 whose body is {@code document} serialized as S3 XML. */
  public static S3Response xml(Object document) {
    return xml(200, document);
  }

  /** A response of the given status whose body is {@code document} serialized as S3 XML. */
  public static S3Response xml(int status, Object document) {
    S3Response r = new S3Response(status);
    r.xml = document;
    return r;
  }

  /** Adds a header unless {@code value} is null. */
  public S3Response header(String name, String value) {
    if (value != null) {
      headers.add(Map.entry(name, value));
    }
    return this;
  }

  /** Sets streamed content; the handler edge closes the stream. */
  public S3Response content(InputStream stream, long length) {
    this.content = stream;
    this.contentLength = length;
    return this;
  }

  /**
   * For the audit record: who acted and on which key, when the request line does not say (a form
   * upload is signed inside its body and names its key in a field).
   */
  public S3Response auditAs(Principal principal, String key) {
    this.auditPrincipal = principal;
    this.auditKey = key;
    return this;
  }

  public Principal auditPrincipal() {
    return auditPrincipal;
  }

  public String auditKey() {
    return auditKey;
  }

  public int status() {
    return status;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  public Object xml() {
    return xml;
  }

  public InputStream content() {
    return content;
  }

  public long contentLength() {
    return contentLength;
  }
}
