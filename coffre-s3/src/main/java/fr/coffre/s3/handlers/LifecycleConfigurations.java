package fr.coffre.s3.handlers;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.LifecycleDocuments;
import fr.coffre.s3.xml.LifecycleDocuments.LifecycleConfiguration;
import fr.coffre.s3.xml.LifecycleDocuments.Rule;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.lifecycle.LifecycleFilter;
import fr.coffre.service.lifecycle.LifecycleRule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a lifecycle configuration as S3 does, with S3's error codes and messages, and turns it
 * into the service's rules. The stored document is the client's, normalised (IDs given to rules
 * without one, dates written as instants), so that GET answers what was put; the lifecycle job
 * reads it back through {@link #rules(String)}.
 *
 * <p>Transitions are refused with {@code 400 InvalidRequest}: Coffre keeps every object in one
 * storage class, so there is nothing to transition to. A 400 (not a 501) because it is the
 * configuration that cannot be honoured, and SDKs neither retry it nor read it as a server fault.
 */
public final class LifecycleConfigurations {
  /** S3's limit on rules per configuration. */
  public static final int MAX_RULES = 1000;

  static final int MAX_ID_LENGTH = 255;
  static final int MAX_NEWER_NONCURRENT_VERSIONS = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  private LifecycleConfigurations() {}

  /** A checked configuration: the document to store and the rules it means. */
  record Checked(LifecycleConfiguration document, List<LifecycleRule> rules) {}

  /** Parses and checks a PUT body; S3Exception (MalformedXML, InvalidArgument, ...) if invalid. */
  static Checked check(byte[] body) {
    return check(S3Xml.read(new ByteArrayInputStream(body), LifecycleConfiguration.class));
  }

  /** The rules of a stored document (the lifecycle job's reader). */
  public static List<LifecycleRule> rules(String stored) {
    return check(stored.getBytes(StandardCharsets.UTF_8)).rules();
  }

  static Checked check(LifecycleConfiguration config) {
    List<Rule> rules = config.rules() == null ? List.of() : config.rules();
    if (rules.isEmpty()) {
      throw malformed();
    }
    if (rules.size() > MAX_RULES) {
      throw new S3Exception(
          S3Error.MALFORMED_XML,
          "The lifecycle configuration may hold at most " + MAX_RULES + " rules");
    }
    List<Rule> stored = new ArrayList<>(rules.size());
    List<LifecycleRule> parsed = new ArrayList<>(rules.size());
    Set<String> ids = new HashSet<>();
    for (Rule r : rules) {
      Rule named = r.id() == null || r.id().isEmpty() ? r.withId(newId()) : r;
      LifecycleRule rule = rule(named);
      if (!ids.add(rule.id())) {
        throw new S3Exception(
                S3Error.INVALID_ARGUMENT,
                "Rule ID must be unique. Found same ID for more than one rule")
            .with("ArgumentName", "ID")
            .with("ArgumentValue", rule.id());
      }
      parsed.add(rule);
      stored.add(
          named.expiration() == null || named.expiration().date() == null
              ? named
              : named.withExpiration(
                  new LifecycleDocuments.Expiration(
                      rule.expiration().date().toString(),
                      null,
                      named.expiration().expiredObjectDeleteMarker())));
    }
    return new Checked(new LifecycleConfiguration(stored), parsed);
  }

  private static LifecycleRule rule(Rule r) {
    if (r.id().length() > MAX_ID_LENGTH) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "ID length should not exceed allowed limit of 255")
          .with("ArgumentName", "ID")
          .with("ArgumentValue", r.id());
    }
    if (r.status() == null || !(r.status().equals("Enabled") || r.status().equals("Disabled"))) {
      throw malformed();
    }
    if ((r.filter() == null) == (r.prefix() == null)) {
      // One of Filter and the legacy Prefix, never both, never neither.
      throw malformed();
    }
    LifecycleFilter filter = r.filter() == null ? LifecycleFilter.prefix(r.prefix()) : filter(r);
    if (notEmpty(r.transitions()) || notEmpty(r.noncurrentTransitions())) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST,
          "Transition and NoncurrentVersionTransition are not supported: Coffre keeps every object"
              + " in the STANDARD storage class");
    }
    LifecycleRule.Expiration expiration = expiration(r.expiration(), filter);
    LifecycleRule.NoncurrentExpiration noncurrent = noncurrent(r.noncurrent());
    Integer abort = abort(r.abort(), filter);
    if (r.expiration() == null && noncurrent == null && abort == null) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST, "At least one action needs to be specified in a rule");
    }
    // An Expiration that only says ExpiredObjectDeleteMarker=false is an action that does nothing.
    LifecycleRule.Expiration effective =
        expiration == null && r.expiration() != null
            ? new LifecycleRule.Expiration(null, null, false)
            : expiration;
    return new LifecycleRule(
        r.id(), r.status().equals("Enabled"), filter, effective, noncurrent, abort);
  }

  private static LifecycleFilter filter(Rule r) {
    LifecycleDocuments.Filter f = r.filter();
    int given = count(f.prefix(), f.tag(), f.sizeGreaterThan(), f.sizeLessThan(), f.and());
    if (given > 1) {
      throw new S3Exception(
          S3Error.MALFORMED_XML,
          "Filter holds at most one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan and"
              + " And; several conditions go in And");
    }
    if (f.and() != null) {
      LifecycleDocuments.And and = f.and();
      List<ConfigDocuments.Tag> tags = and.tags() == null ? List.of() : and.tags();
      if (count(and.prefix(), and.sizeGreaterThan(), and.sizeLessThan()) + tags.size() == 0) {
        throw malformed();
      }
      return filter(and.prefix(), tags, and.sizeGreaterThan(), and.sizeLessThan());
    }
    return filter(
        f.prefix(),
        f.tag() == null ? List.of() : List.of(f.tag()),
        f.sizeGreaterThan(),
        f.sizeLessThan());
  }

  private static LifecycleFilter filter(
      String prefix, List<ConfigDocuments.Tag> tags, Long greater, Long less) {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (ConfigDocuments.Tag t : tags) {
      if (t.key() == null || t.key().isEmpty() || t.value() == null) {
        throw malformed();
      }
      if (t.key().length() > 128 || t.value().length() > 256) {
        throw new S3Exception(
            S3Error.INVALID_TAG, "The TagKey or TagValue you have provided is too long");
      }
      if (byKey.put(t.key(), t.value()) != null) {
        throw new S3Exception(S3Error.INVALID_REQUEST, "Duplicate Tag Keys are not allowed.");
      }
    }
    if ((greater != null && greater < 0) || (less != null && less < 0)) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "Object size filters must be non-negative integers")
          .with(
              "ArgumentName",
              greater != null && greater < 0 ? "ObjectSizeGreaterThan" : "ObjectSizeLessThan");
    }
    if (greater != null && less != null && greater >= less) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "ObjectSizeGreaterThan must be less than ObjectSizeLessThan")
          .with("ArgumentName", "ObjectSizeGreaterThan");
    }
    return new LifecycleFilter(prefix, byKey, greater, less);
  }

  private static LifecycleRule.Expiration expiration(
      LifecycleDocuments.Expiration e, LifecycleFilter filter) {
    if (e == null) {
      return null;
    }
    boolean marker = Boolean.TRUE.equals(e.expiredObjectDeleteMarker());
    int given = count(e.days(), e.date()) + (e.expiredObjectDeleteMarker() != null ? 1 : 0);
    if (given != 1) {
      // Exactly one of Days, Date and ExpiredObjectDeleteMarker.
      throw malformed();
    }
    if (e.days() != null) {
      if (e.days() < 1) {
        throw new S3Exception(
                S3Error.INVALID_ARGUMENT, "'Days' for Expiration action must be a positive integer")
            .with("ArgumentName", "Days");
      }
      return LifecycleRule.Expiration.afterDays(e.days());
    }
    if (e.date() != null) {
      return LifecycleRule.Expiration.on(date(e.date()));
    }
    if (marker && filter.hasTags()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST, "ExpiredObjectDeleteMarker cannot be specified with Tags.");
    }
    return marker ? LifecycleRule.Expiration.deleteMarkers() : null;
  }

  /** An ISO-8601 date or date-time, which must be a midnight UTC. */
  static Instant date(String text) {
    Instant date;
    String t = text.strip();
    try {
      if (t.length() == 10) {
        date = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        date = OffsetDateTime.parse(t).toInstant();
      } else {
        date = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid date: " + text)
          .with("ArgumentName", "Date");
    }
    if (!date.truncatedTo(ChronoUnit.DAYS).equals(date)) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "'Date' must be at midnight GMT")
          .with("ArgumentName", "Date");
    }
    return date;
  }

  private static LifecycleRule.NoncurrentExpiration noncurrent(
      LifecycleDocuments.NoncurrentVersionExpiration n) {
    if (n == null) {
      return null;
    }
    if (n.noncurrentDays() == null) {
      throw malformed();
    }
    if (n.noncurrentDays() < 1) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
          .with("ArgumentName", "NoncurrentDays");
    }
    Integer newer = n.newerNoncurrentVersions();
    if (newer != null && (newer < 1 || newer > MAX_NEWER_NONCURRENT_VERSIONS)) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive"
                  + " integer up to "
                  + MAX_NEWER_NONCURRENT_VERSIONS)
          .with("ArgumentName", "NewerNoncurrentVersions");
    }
    return new LifecycleRule.NoncurrentExpiration(n.noncurrentDays(), newer);
  }

  private static Integer abort(
      LifecycleDocuments.AbortIncompleteMultipartUpload a, LifecycleFilter filter) {
    if (a == null) {
      return null;
    }
    if (a.daysAfterInitiation() == null) {
      throw malformed();
    }
    if (a.daysAfterInitiation() < 1) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive"
                  + " integer")
          .with("ArgumentName", "DaysAfterInitiation");
    }
    if (filter.hasTags()) {
      throw new S3Exception(
          S3Error.INVALID_REQUEST, "AbortIncompleteMultipartUpload cannot be specified with Tags.");
    }
    return a.daysAfterInitiation();
  }

  /** A rule ID for a rule that came without one, as S3 makes one up. */
  private static String newId() {
    byte[] b = new byte[30];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }

  private static int count(Object... values) {
    int n = 0;
    for (Object v : values) {
      if (v != null) {
        n++;
      }
    }
    return n;
  }

  private static boolean notEmpty(List<?> list) {
    return list != null && !list.isEmpty();
  }

  private static S3Exception malformed() {
    return new S3Exception(S3Error.MALFORMED_XML);
  }
}
