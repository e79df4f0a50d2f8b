package fr.coffre.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.service.ObjectEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object event as the JSON body S3 posts to its notification targets ({@code Records[]}, event
 * version 2.1), with {@code eventSource} {@code coffre:s3}.
 */
final class S3EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private S3EventJson() {}

  /**
   * The body for one event.
   *
   * @param sequencer orders the events of one key (hex, increasing)
   */
  static byte[] body(ObjectEvent e, String configurationId, String region, String sequencer) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("key", encodeKey(e.key()));
    if (e.created()) {
      object.put("size", e.size());
      object.put("eTag", e.etag());
    }
    if (e.versionId() != null) {
      object.put("versionId", e.versionId());
    }
    object.put("sequencer", sequencer.toUpperCase(java.util.Locale.ROOT));
    Map<String, Object> bucket = new LinkedHashMap<>();
    bucket.put("name", e.bucket());
    bucket.put("ownerIdentity", Map.of("principalId", e.tenant()));
    bucket.put("arn", "arn:aws:s3:::" + e.bucket());
    Map<String, Object> s3 = new LinkedHashMap<>();
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", configurationId);
    s3.put("bucket", bucket);
    s3.put("object", object);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "coffre:s3");
    record.put("awsRegion", region);
    record.put("eventTime", TIME.format(e.time()));
    record.put("eventName", e.eventName());
    record.put("userIdentity", Map.of("principalId", e.principalId()));
    record.put(
        "requestParameters", Map.of("sourceIPAddress", e.sourceIp() == null ? "" : e.sourceIp()));
    record.put("responseElements", Map.of());
    record.put("s3", s3);
    try {
      return JSON.writeValueAsBytes(Map.of("Records", List.of(record)));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The key as S3 writes it in events: form-encoded (a space is {@code +}), slashes kept. */
  static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
