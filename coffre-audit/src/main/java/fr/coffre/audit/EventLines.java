package fr.coffre.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the lines of docs/audit-format.md: records, checkpoints, export headers, and the lines
 * that frame a cluster export's parts.
 */
final class EventLines {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EventLines() {}

  static String time(Instant t) {
    return TIME.format(t);
  }

  /** A record line (without newline); {@code hashOut[0]} receives its hash. */
  static byte[] record(String chain, long seq, String prev, AuditEvent e, String[] hashOut) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      g.writeStartObject();
      g.writeStringField("type", "record");
      g.writeStringField("chain", chain);
      g.writeNumberField("seq", seq);
      g.writeStringField("time", time(e.time()));
      field(g, "requestId", e.requestId());
      field(g, "source", e.source());
      AuditEvent.Actor a = e.actor();
      if (a != null) {
        g.writeObjectFieldStart("principal");
        field(g, "type", a.type());
        field(g, "tenant", a.tenant());
        field(g, "account", a.account());
        field(g, "user", a.user());
        field(g, "accessKey", a.accessKey());
        field(g, "operator", a.operator());
        g.writeEndObject();
      }
      field(g, "address", e.address());
      if (e.secure()) {
        g.writeBooleanField("secure", true);
      }
      field(g, "operation", e.operation());
      field(g, "bucket", e.bucket());
      field(g, "key", e.key());
      field(g, "versionId", e.versionId());
      g.writeNumberField("status", e.status());
      field(g, "error", e.error());
      g.writeNumberField("bytesIn", e.bytesIn());
      g.writeNumberField("bytesOut", e.bytesOut());
      if (e.detailsJson() != null) {
        JsonNode details = JSON.readTree(e.detailsJson());
        g.writeFieldName("details");
        g.writeTree(details);
      }
      g.writeStringField("prev", prev);
      g.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return AuditLines.seal(out.toByteArray(), hashOut);
  }

  /** A signed checkpoint line (without newline). */
  static byte[] checkpoint(
      String chain, long seq, String hash, Instant at, boolean last, Signer signer) {
    String time = time(at);
    byte[] signature = signer.sign(AuditLines.checkpointMessage(chain, seq, hash, time, last));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "checkpoint");
      g.writeStringField("chain", chain);
      g.writeNumberField("seq", seq);
      g.writeStringField("hash", hash);
      g.writeStringField("time", time);
      g.writeBooleanField("final", last);
      g.writeStringField("key", signer.publicKeyBase64());
      g.writeStringField("signature", Base64.getEncoder().encodeToString(signature));
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /** The first line of an export. */
  static byte[] exportHeader(String chain, Instant at, String publicKey) {
    try {
      var node = JSON.createObjectNode();
      node.put("type", "export");
      node.put("format", AuditLines.EXPORT_FORMAT);
      node.put("chain", chain);
      node.put("exportedAt", time(at));
      node.put("publicKey", publicKey);
      return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The first line of a cluster export (a bundle). */
  static byte[] bundleHeader(String chain, Instant at, String node, List<String> nodes) {
    var n = JSON.createObjectNode();
    n.put("type", "bundle");
    n.put("format", AuditLines.BUNDLE_FORMAT);
    n.put("chain", chain);
    n.put("exportedAt", time(at));
    n.put("node", node);
    var list = n.putArray("nodes");
    nodes.forEach(list::add);
    return bytes(n);
  }

  /** The line that opens a node's part of a bundle; {@code missing} says why it has no lines. */
  static byte[] partLine(String node, @Nullable String missing) {
    var n = JSON.createObjectNode();
    n.put("type", "part");
    n.put("node", node);
    if (missing != null) {
      n.put("missing", missing);
    }
    return bytes(n);
  }

  /** The signed line that closes a bundle, listing every part. */
  static byte[] bundleEnd(
      String chain, Instant at, String node, List<BundlePart> parts, Signer signer) {
    String time = time(at);
    boolean complete = parts.stream().allMatch(p -> p.missing() == null);
    byte[] signature = signer.sign(AuditLines.bundleMessage(chain, time, node, complete, parts));
    var n = JSON.createObjectNode();
    n.put("type", "bundle-end");
    n.put("chain", chain);
    n.put("exportedAt", time);
    n.put("node", node);
    n.put("complete", complete);
    var list = n.putArray("parts");
    for (BundlePart p : parts) {
      var o = list.addObject();
      o.put("node", p.node());
      if (p.missing() != null) {
        o.put("missing", p.missing());
      } else {
        o.put("seq", p.seq());
        o.put("hash", p.hash());
        o.put("key", p.key());
      }
    }
    n.put("key", signer.publicKeyBase64());
    n.put("signature", Base64.getEncoder().encodeToString(signature));
    return bytes(n);
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static void field(JsonGenerator g, String name, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
