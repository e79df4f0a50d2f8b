package fr.coffre.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.core.BlobSlice;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.crypto.SigningKey;
import fr.coffre.metadata.MetadataStore;
import fr.coffre.policy.placement.Location;
import fr.coffre.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The residency report of a bucket (docs/placement.md): for every object, where each copy is —
 * volume, site, country, jurisdiction, operator, qualifications — whether that complies with the
 * bucket's class, and totals; signed by the server's Ed25519 key so that a tenant can hand it to an
 * auditor, who verifies it offline with {@code coffre residency verify}.
 *
 * <p>The signature covers the {@code report} object in canonical form: compact JSON, object keys
 * sorted at every level, as {@link #canonical} writes it.
 */
public final class ResidencyReports {
  /** Version 2: copies are counted per object (volumes holding all its blobs), not per blob. */
  public static final String FORMAT = "coffre-residency-report/2";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private final PlacementService placement;
  private final Supplier<SigningKey> signing;
  private final Clock clock;

  public ResidencyReports(
      MetadataStore metadata,
      BlobStore blobs,
      PlacementService placement,
      Supplier<SigningKey> signing,
      Clock clock) {
    this.metadata = metadata;
    this.blobs = blobs;
    this.placement = placement;
    this.signing = signing;
    this.clock = clock;
  }

  /** The signed report of a bucket, as the JSON document handed out. */
  public String report(BucketName bucket) {
    BucketRecord b =
        metadata.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
    ObjectNode report = JSON.createObjectNode();
    report.put("format", FORMAT);
    report.put("bucket", b.name().value());
    report.put("tenant", b.tenant());
    report.put("class", b.sensitivityClass());
    report.put("generatedAt", clock.instant().toString());
    ArrayNode objects = report.putArray("objects");
    Map<String, Integer> bySite = new TreeMap<>();
    Map<String, Integer> byCountry = new TreeMap<>();
    long[] counts = new long[3]; // objects, copies, non-compliant objects
    try {
      ObjectWalk.each(
          metadata,
          bucket,
          o -> {
            counts[0]++;
            ObjectNode obj = objects.addObject();
            obj.put("key", o.key().value());
            obj.put("size", o.size());
            // An object's copies are the volumes that hold every one of its blobs (a multipart
            // object has one blob per part): counting blob copies would count parts as copies.
            List<List<String>> perBlob = new ArrayList<>();
            ArrayNode blobList = obj.putArray("blobs");
            List<String> problems = new ArrayList<>();
            for (BlobSlice slice : o.blobs()) {
              ObjectNode blob = blobList.addObject();
              blob.put("blob", slice.blob().value());
              List<String> volumes = blobs.volumesOf(slice.blob());
              perBlob.add(volumes);
              ArrayNode volumeList = blob.putArray("volumes");
              volumes.forEach(volumeList::add);
              for (String p : placement.check(b.sensitivityClass(), volumes)) {
                problems.add("blob " + slice.blob().value() + ": " + p);
              }
            }
            Set<String> whole = new TreeSet<>(perBlob.isEmpty() ? List.of() : perBlob.get(0));
            perBlob.forEach(whole::retainAll);
            ArrayNode copyList = obj.putArray("copies");
            Set<String> sites = new TreeSet<>();
            Set<String> countries = new TreeSet<>();
            for (String v : whole) {
              counts[1]++;
              copyList.add(copy(v, sites, countries));
            }
            sites.forEach(site -> bySite.merge(site, 1, Integer::sum));
            countries.forEach(country -> byCountry.merge(country, 1, Integer::sum));
            if (perBlob.size() > 1 && perBlob.stream().anyMatch(v -> !whole.containsAll(v))) {
              obj.put(
                  "copiesSpread", true); // some parts have copies on volumes that lack other parts
            }
            ArrayNode problemList = obj.putArray("problems");
            problems.forEach(problemList::add);
            obj.put("compliant", problems.isEmpty());
            if (!problems.isEmpty()) {
              counts[2]++;
            }
            return true;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long count = counts[0];
    long copies = counts[1];
    long nonCompliant = counts[2];
    ObjectNode totals = report.putObject("totals");
    totals.put("objects", count);
    totals.put("copies", copies);
    totals.put("nonCompliantObjects", nonCompliant);
    totals.set("copiesBySite", JSON.valueToTree(bySite));
    totals.set("copiesByCountry", JSON.valueToTree(byCountry));
    report.put("compliant", nonCompliant == 0);
    report.put(
        "summary",
        nonCompliant == 0
            ? "Every copy of the "
                + count
                + " objects of bucket "
                + b.name().value()
                + " is where class '"
                + b.sensitivityClass()
                + "' allows."
            : nonCompliant
                + " of "
                + count
                + " objects of bucket "
                + b.name().value()
                + " do not comply with class '"
                + b.sensitivityClass()
                + "'; each is named with its problems.");
    SigningKey key = signing.get();
    ObjectNode doc = JSON.createObjectNode();
    doc.set("report", report);
    doc.put("algorithm", SigningKey.ALGORITHM);
    doc.put("publicKey", key.publicKeyBase64());
    doc.put("signature", Base64.getEncoder().encodeToString(key.sign(canonical(report))));
    try {
      return PRETTY.writeValueAsString(doc) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode copy(String volume, Set<String> sites, Set<String> countries) {
    ObjectNode c = JSON.createObjectNode();
    c.put("volume", volume);
    Location l = placement.topology().locationOf(volume).orElse(null);
    if (l != null) {
      c.put("site", l.site());
      c.put("country", l.country());
      c.put("jurisdiction", l.jurisdiction() == null ? null : l.jurisdiction().name());
      c.put("operator", l.operator());
      ArrayNode q = c.putArray("qualifications");
      l.qualifications().stream().sorted().forEach(q::add);
      sites.add(l.site());
      countries.add(l.country() == null ? "undeclared" : l.country());
    }
    return c;
  }

  /** The report's signed bytes: compact JSON, keys sorted at every level. */
  static byte[] canonical(JsonNode report) {
    try {
      return JSON.writeValueAsString(sorted(report)).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        out.set(name, sorted(n.get(name)));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return n;
  }

  /** The outcome of verifying a report. */
  public record Verdict(boolean valid, boolean compliant, String message) {}

  /**
   * Verifies a report offline: the signature over its canonical bytes, by {@code trustedKey} when
   * given (PEM or base64), else by the key it carries (integrity, not origin).
   */
  public static Verdict verify(String json, String trustedKey) {
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (IOException e) {
      return new Verdict(false, false, "not a residency report: " + e.getMessage());
    }
    if (doc == null
        || !doc.path("report").isObject()
        || !doc.path("signature").isTextual()
        || !doc.path("publicKey").isTextual()
        || !FORMAT.equals(doc.path("report").path("format").asText())) {
      return new Verdict(false, false, "not a residency report (" + FORMAT + ")");
    }
    if (!SigningKey.ALGORITHM.equals(doc.path("algorithm").asText())) {
      return new Verdict(
          false, false, "unknown signature algorithm " + doc.path("algorithm").asText());
    }
    String carried = doc.get("publicKey").asText();
    if (trustedKey != null
        && !Arrays.equals(SigningKey.spki(trustedKey), SigningKey.spki(carried))) {
      return new Verdict(false, false, "signed by another key than the trusted one");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(doc.get("signature").asText());
    } catch (IllegalArgumentException e) {
      return new Verdict(false, false, "the signature is not base64");
    }
    if (!SigningKey.verify(carried, canonical(doc.get("report")), signature)) {
      return new Verdict(
          false, false, "the signature does not match the report: it was changed after signing");
    }
    JsonNode r = doc.get("report");
    boolean compliant = r.path("compliant").asBoolean(false);
    return new Verdict(
        true,
        compliant,
        "valid residency report of bucket "
            + r.path("bucket").asText()
            + " (class "
            + r.path("class").asText()
            + ", "
            + r.path("generatedAt").asText()
            + ")"
            + (trustedKey == null
                ? ", signed by the key it carries (pass --public-key to check who signed it)"
                : ", signed by the trusted key")
            + ": "
            + r.path("summary").asText());
  }
}
