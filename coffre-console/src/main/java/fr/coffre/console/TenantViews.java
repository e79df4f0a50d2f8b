package fr.coffre.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.BucketName;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.Principal;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.service.KmsKeyInfo;
import fr.coffre.service.PlacementService;
import fr.coffre.service.ShareService;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The tenant console's sovereignty views (classes, residency, keys, audit trail) and share links.
 * The residency report, the key list and the audit trail are Coffre actions of their own ({@code
 * coffre:GetResidencyReport}, {@code coffre:ListKeys}, {@code coffre:ExportAuditTrail}): a tenant's
 * root has them, a user needs a policy that grants them.
 */
final class TenantViews {
  static final int MAX_AUDIT_RECORDS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleServices s;

  TenantViews(ConsoleServices s) {
    this.s = s;
  }

  /** Routes the views and {@code /api/shares}; null when the path names nothing here. */
  Call route(String method, List<String> p) {
    String first = p.get(0);
    String call = method + " " + String.join("/", p);
    if (first.equals("classes") && p.size() == 1 && method.equals("GET")) {
      return new Call("ListSensitivityClasses", null, null, false, (who, in) -> classes());
    }
    if (first.equals("buckets")
        && p.size() == 3
        && p.get(2).equals("residency")
        && method.equals("GET")) {
      return new Call(
          "GetResidencyReport",
          p.get(1),
          null,
          false,
          (who, in) -> {
            BucketName b = new BucketName(p.get(1));
            s.access().authorize(who, "coffre:GetResidencyReport", b, null, in.conditions());
            return Reply.ok(new RawJson(s.residency().report(b)));
          });
    }
    if (call.equals("GET keys")) {
      return new Call("ListKeys", null, null, false, (who, in) -> keys(who, in));
    }
    if (call.equals("GET audit")) {
      return new Call("ExportAuditTrail", null, null, false, (who, in) -> audit(who, in));
    }
    if (call.equals("GET audit/export")) {
      return new Call("ExportAuditTrail", null, null, false, (who, in) -> export(who, in));
    }
    if (first.equals("shares")) {
      if (p.size() == 1 && method.equals("GET")) {
        return new Call(
            "ListShareLinks",
            null,
            null,
            false,
            (who, in) ->
                Reply.ok(
                    Map.of(
                        "shares",
                        s.shares().active(who, in.conditions()).stream()
                            .map(TenantViews::share)
                            .toList())));
      }
      if (p.size() == 1 && method.equals("POST")) {
        return new Call("CreateShareLink", null, null, true, (who, in) -> createShare(who, in));
      }
      if (p.size() == 2 && method.equals("DELETE")) {
        return new Call(
            "RevokeShareLink",
            null,
            null,
            true,
            (who, in) -> {
              ShareLinkRecord revoked = s.shares().revoke(who, p.get(1), in.conditions());
              return Reply.noContent()
                  .auditing(revoked.bucket().value(), revoked.key(), details(revoked));
            });
      }
    }
    return null;
  }

  /** A body that is JSON already (a signed report, whose bytes must not change). */
  record RawJson(String json) {}

  private Reply classes() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PlacementService.ClassInfo c : s.placement().classInfos()) {
      out.add(
          Map.of(
              "name",
              c.name(),
              "minCopies",
              c.minCopies(),
              "minSites",
              c.minSites(),
              "keyModes",
              c.keyModes(),
              "usable",
              c.usable()));
    }
    return Reply.ok(Map.of("default", s.placement().defaultClass(), "classes", out));
  }

  private Reply keys(Principal who, Call.In in) {
    s.access().authorize(who, "coffre:ListKeys", null, null, in.conditions());
    List<Map<String, Object>> out = new ArrayList<>();
    for (KmsKeyInfo k : s.keys().list()) {
      if (!k.key().tenant().equals(who.tenant())) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", k.key().id());
      m.put("arn", k.arn());
      m.put("alias", k.key().alias());
      m.put("description", k.key().description());
      m.put("state", k.key().state().name());
      m.put("created", k.key().created().toString());
      m.put("currentVersion", k.key().currentVersion());
      m.put(
          "deletionDate",
          k.key().deletionDate() == null ? null : k.key().deletionDate().toString());
      out.add(m);
    }
    return Reply.ok(Map.of("keys", out));
  }

  private Reply createShare(Principal who, Call.In in) throws IOException {
    JsonNode body = in.json();
    String bucket = StorageApi.text(body, "bucket");
    String key = StorageApi.text(body, "key");
    if (bucket == null || key == null || key.isEmpty()) {
      throw new InvalidArgumentException("bucket and key are required");
    }
    long seconds = body.path("expiresInSeconds").asLong(0);
    JsonNode max = body.get("maxDownloads");
    Integer maxDownloads =
        max == null || max.isNull() || max.asText().isEmpty() ? null : max.asInt(-1);
    ShareService.Created created =
        s.shares()
            .create(
                who,
                new BucketName(bucket),
                key,
                Duration.ofSeconds(seconds),
                StorageApi.text(body, "password"),
                maxDownloads,
                in.conditions());
    Map<String, Object> out = share(created.link());
    // Absolute when the operator set the public address; else the page adds its own origin.
    out.put(
        "url", (s.publicUrl() == null ? "" : s.publicUrl().toString()) + "/s/" + created.token());
    return Reply.created(out).auditing(bucket, key, details(created.link()));
  }

  /** What the trail keeps of a link: its id, expiry and limits; never its token. */
  static String details(ShareLinkRecord l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("share", l.id());
    m.put("expiresAt", l.expires().toString());
    m.put("passwordProtected", l.passwordHash() != null);
    m.put("maxDownloads", l.maxDownloads());
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> share(ShareLinkRecord l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("bucket", l.bucket().value());
    m.put("key", l.key());
    m.put("createdAt", l.created().toString());
    m.put("createdBy", l.creator());
    m.put("expiresAt", l.expires().toString());
    m.put("passwordProtected", l.passwordHash() != null);
    m.put("maxDownloads", l.maxDownloads());
    m.put("downloads", l.downloads());
    return m;
  }

  private Path exportToSpool(Principal who, Call.In in) throws IOException {
    s.access().authorize(who, "coffre:ExportAuditTrail", null, null, in.conditions());
    Files.createDirectories(s.spool());
    Path file = Files.createTempFile(s.spool(), "console-audit-", ".jsonl");
    try (var out = new BufferedOutputStream(Files.newOutputStream(file))) {
      s.audit().export(who.tenant(), out);
    } catch (IOException e) {
      Files.deleteIfExists(file);
      // The server's failure (a full disk, say), not the client's: no path in the answer.
      throw new AuditUnavailableException("the audit trail could not be exported", e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  private Reply export(Principal who, Call.In in) throws IOException {
    Path file = exportToSpool(who, in);
    long length = Files.size(file);
    InputStream content = Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
    return Reply.download(
        content, length, "application/x-ndjson", "coffre-audit-" + who.tenant() + ".jsonl");
  }

  /** The tenant's records, newest first, filtered; start records (status 0) are left out. */
  private Reply audit(Principal who, Call.In in) throws IOException {
    String operation = lower(in.query("operation"));
    String bucket = in.query("bucket");
    String actor = lower(in.query("actor"));
    String outcome = in.query("outcome");
    int limit = StorageApi.parseInt(in.query("limit"), 200, 1, MAX_AUDIT_RECORDS);
    Path file = exportToSpool(who, in);
    // A cluster's export holds each node's records one node after the other: the newest are
    // picked by time (fixed-width UTC, so text order is time order), ties in the order read.
    record Found(String time, long order, Map<String, Object> record) {}
    Comparator<Found> oldestFirst =
        Comparator.comparing(Found::time).thenComparingLong(Found::order);
    PriorityQueue<Found> newest = new PriorityQueue<>(oldestFirst);
    List<String> missingNodes = new ArrayList<>();
    long matched = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode n = JSON.readTree(line);
        if ("part".equals(n.path("type").asText()) && n.has("missing")) {
          missingNodes.add(n.path("node").asText());
          continue;
        }
        if (!"record".equals(n.path("type").asText()) || n.path("status").asInt() == 0) {
          continue;
        }
        int status = n.path("status").asInt();
        if (operation != null
                && !(n.path("operation").asText() + " " + operationName(n))
                    .toLowerCase(Locale.ROOT)
                    .contains(operation)
            || bucket != null && !bucket.isEmpty() && !bucket.equals(n.path("bucket").asText(null))
            || actor != null && !actorText(n.path("principal")).contains(actor)
            || "ok".equals(outcome) && status >= 400
            || "error".equals(outcome) && status < 400) {
          continue;
        }
        matched++;
        newest.add(new Found(n.path("time").asText(), matched, record(n, status)));
        if (newest.size() > limit) {
          newest.poll();
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
    List<Map<String, Object>> records =
        newest.stream().sorted(oldestFirst.reversed()).map(Found::record).toList();
    // Nodes of a cluster whose records could not be gathered (down): the list is incomplete.
    return Reply.ok(Map.of("records", records, "matched", matched, "missingNodes", missingNodes));
  }

  private static Map<String, Object> record(JsonNode n, int status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", n.path("time").asText());
    m.put("operation", operationName(n));
    // An operator's call is recorded as its request; the request stays for who wants it.
    m.put(
        "request", "admin".equals(n.path("source").asText()) ? n.path("operation").asText() : null);
    m.put("source", n.path("source").asText(null));
    m.put("actor", actorLabel(n.path("principal")));
    m.put("address", n.path("address").asText(null));
    m.put("bucket", n.path("bucket").asText(null));
    m.put("key", n.path("key").asText(null));
    m.put("status", status);
    m.put("error", n.path("error").asText(null));
    m.put("requestId", n.path("requestId").asText(null));
    return m;
  }

  private static String operationName(JsonNode n) {
    String recorded = n.path("operation").asText(null);
    return AdminOperations.name(recorded).orElse(recorded);
  }

  private static String actorLabel(JsonNode p) {
    String type = p.path("type").asText("anonymous");
    return switch (type) {
      case "user" -> p.path("tenant").asText() + "/" + p.path("user").asText();
      case "root" -> p.path("tenant").asText() + "/root";
      case "operator" -> "operator";
      case "unauthenticated" -> "unauthenticated (" + p.path("accessKey").asText() + ")";
      default -> type;
    };
  }

  private static String actorText(JsonNode p) {
    return (actorLabel(p) + " " + p.path("accessKey").asText("")).toLowerCase(Locale.ROOT);
  }

  private static String lower(String s) {
    return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
  }
}
