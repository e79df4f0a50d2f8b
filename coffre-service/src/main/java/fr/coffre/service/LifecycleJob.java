package fr.coffre.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchUploadException;
import fr.coffre.core.UploadRecord;
import fr.coffre.service.lifecycle.Lifecycle;
import fr.coffre.service.lifecycle.LifecycleAction;
import fr.coffre.service.lifecycle.LifecycleRule;
import fr.coffre.service.lifecycle.LifecycleTargets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lifecycle pass over every bucket that has a lifecycle configuration: expires what its rules
 * say is due at the pass's instant, aborts the unfinished uploads they name, and records each
 * removal in the bucket's tenant's audit chain (source {@code server}). The server runs it
 * periodically and the operator can run it now ({@code coffre admin lifecycle run}).
 *
 * <p>The configuration is the bucket's {@value #SETTING} document, which the protocol layer owns
 * and reads for the job ({@code reader}); a document that cannot be read is reported and its bucket
 * skipped. Versions are reached through {@link LifecycleTargets}, the seam versioning plugs into.
 * Nothing is removed while the audit trail cannot be written (when the server fails closed): the
 * pass stops there and says so.
 */
public final class LifecycleJob {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int UPLOAD_PAGE = 1000;

  /** The name of the bucket setting that holds the lifecycle configuration. */
  public static final String SETTING = "lifecycle";

  private final BucketService buckets;
  private final MultipartService multipart;
  private final AuditService audit;
  private final LifecycleTargets targets;
  private final Function<String, List<LifecycleRule>> reader;
  private final Clock clock;

  /**
   * @param reader the rules a stored configuration document holds (the protocol layer's parser)
   */
  public LifecycleJob(
      BucketService buckets,
      MultipartService multipart,
      AuditService audit,
      LifecycleTargets targets,
      Function<String, List<LifecycleRule>> reader,
      Clock clock) {
    this.buckets = buckets;
    this.multipart = multipart;
    this.audit = audit;
    this.targets = targets;
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * What one pass did.
   *
   * @param now the instant the rules were evaluated at
   * @param buckets buckets with a lifecycle configuration
   * @param examined versions looked at
   * @param expired current versions expired
   * @param noncurrentRemoved noncurrent versions removed
   * @param deleteMarkersRemoved lone delete markers removed
   * @param uploadsAborted unfinished multipart uploads aborted
   * @param skipped versions some rule might have touched but whose tags could not be read
   * @param problems what went wrong, one line each
   */
  public record Result(
      Instant now,
      int buckets,
      long examined,
      long expired,
      long noncurrentRemoved,
      long deleteMarkersRemoved,
      long uploadsAborted,
      long skipped,
      List<String> problems) {}

  private static final class Counts {
    int buckets;
    long examined;
    long expired;
    long noncurrent;
    long markers;
    long uploads;
    long skipped;
    final List<String> problems = new ArrayList<>();
  }

  /** One pass over every bucket, at the clock's current instant. */
  public synchronized Result run() {
    Instant now = clock.instant();
    Counts c = new Counts();
    for (BucketRecord b : buckets.list()) {
      Optional<Lifecycle> lifecycle = lifecycle(b.name(), c);
      if (lifecycle.isEmpty()) {
        continue;
      }
      c.buckets++;
      try {
        if (lifecycle.get().actsOnVersions()) {
          versions(b, lifecycle.get(), now, c);
        }
        if (lifecycle.get().abortsUploads()) {
          uploads(b, lifecycle.get(), now, c);
        }
      } catch (AuditUnavailableException e) {
        c.problems.add("stopped: the audit trail cannot be written (" + e.getMessage() + ")");
        LOG.error("lifecycle pass stopped: the audit trail cannot be written", e);
        break;
      } catch (NoSuchBucketException e) {
        // deleted meanwhile
      } catch (RuntimeException e) {
        c.problems.add(b.name().value() + ": " + e);
        LOG.warn("lifecycle: bucket {} failed", b.name().value(), e);
      }
    }
    Result r =
        new Result(
            now,
            c.buckets,
            c.examined,
            c.expired,
            c.noncurrent,
            c.markers,
            c.uploads,
            c.skipped,
            List.copyOf(c.problems));
    if (r.expired() + r.noncurrentRemoved() + r.deleteMarkersRemoved() + r.uploadsAborted() > 0
        || !r.problems().isEmpty()) {
      LOG.info("lifecycle pass: {}", r);
    }
    return r;
  }

  private Optional<Lifecycle> lifecycle(BucketName bucket, Counts c) {
    Optional<String> document;
    try {
      document = buckets.setting(bucket, SETTING);
    } catch (NoSuchBucketException e) {
      return Optional.empty();
    }
    if (document.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Lifecycle(reader.apply(document.get())));
    } catch (RuntimeException e) {
      c.problems.add(bucket.value() + ": its lifecycle configuration cannot be read: " + e);
      LOG.error("lifecycle: the configuration of bucket {} cannot be read", bucket.value(), e);
      return Optional.empty();
    }
  }

  private void versions(BucketRecord b, Lifecycle lifecycle, Instant now, Counts c) {
    targets.forEach(
        b.name(),
        v -> {
          c.examined++;
          if (!lifecycle.mayAct(v.facts(), now)) {
            return true;
          }
          Optional<Map<String, String>> tags = targets.tags(b.name(), v);
          if (tags.isEmpty()) {
            c.skipped++;
            return true;
          }
          Lifecycle.Decision d = lifecycle.decide(v.facts().withTags(tags.get()), now);
          if (d.isNone()) {
            return true;
          }
          requireAudit();
          if (!targets.apply(b.name(), v, d.action())) {
            return true;
          }
          switch (d.action()) {
            case EXPIRE_CURRENT -> c.expired++;
            case REMOVE_NONCURRENT -> c.noncurrent++;
            case REMOVE_DELETE_MARKER -> c.markers++;
            default -> throw new IllegalStateException(d.action().toString());
          }
          record(b, v.facts().key(), v.versionId(), d, null);
          return true;
        });
  }

  private void uploads(BucketRecord b, Lifecycle lifecycle, Instant now, Counts c) {
    String keyMarker = null;
    String idMarker = null;
    while (true) {
      List<UploadRecord> page = multipart.uploads(b.name(), null, keyMarker, idMarker, UPLOAD_PAGE);
      int n = Math.min(page.size(), UPLOAD_PAGE);
      for (UploadRecord u : page.subList(0, n)) {
        Lifecycle.Decision d = lifecycle.decideUpload(u.key().value(), u.initiated(), now);
        if (d.isNone()) {
          continue;
        }
        requireAudit();
        try {
          multipart.abort(b.name(), u.key(), u.uploadId());
        } catch (NoSuchUploadException e) {
          continue; // completed or aborted meanwhile
        }
        c.uploads++;
        record(b, u.key().value(), null, d, u.uploadId());
      }
      if (page.size() <= UPLOAD_PAGE) {
        return;
      }
      UploadRecord last = page.get(n - 1);
      keyMarker = last.key().value();
      idMarker = last.uploadId();
    }
  }

  /** Nothing is removed that could not be recorded. */
  private void requireAudit() {
    if (!audit.healthy()) {
      throw new AuditUnavailableException("the audit trail is not writable");
    }
  }

  private void record(
      BucketRecord b, String key, String versionId, Lifecycle.Decision d, String uploadId) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rule", d.ruleId());
    details.put("due", d.due().toString());
    if (uploadId != null) {
      details.put("uploadId", uploadId);
    }
    audit.recordFor(
        b.tenant(),
        new AuditEvent(
            clock.instant(),
            null,
            "server",
            AuditEvent.Actor.server(),
            null,
            false,
            operation(d.action()),
            b.name().value(),
            key,
            versionId,
            204,
            null,
            0,
            0,
            json(details)));
  }

  /** The audit trail's operation name of a lifecycle removal. */
  static String operation(LifecycleAction action) {
    return switch (action) {
      case EXPIRE_CURRENT -> "LifecycleExpireObject";
      case REMOVE_NONCURRENT -> "LifecycleRemoveNoncurrentVersion";
      case REMOVE_DELETE_MARKER -> "LifecycleRemoveDeleteMarker";
      case ABORT_UPLOAD -> "LifecycleAbortMultipartUpload";
      case NONE -> throw new IllegalArgumentException("nothing to record");
    };
  }

  private static String json(Map<String, Object> details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
