package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.ObjectVersion;
import fr.coffre.core.Principal;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.xml.NotificationDocuments.FilterRule;
import fr.coffre.s3.xml.NotificationDocuments.NotificationConfiguration;
import fr.coffre.s3.xml.NotificationDocuments.NotificationRule;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.Notifications;
import fr.coffre.service.ObjectEvent;
import fr.coffre.service.ObjectInfo;
import fr.coffre.service.ObjectService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bucket's notification configuration: its checks when it is put, and which of its rules an
 * object event matches. Handlers call {@link #publish} once their change committed.
 */
public final class NotificationRules {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationRules.class);

  /** The event names a rule may select (with the {@code s3:} prefix, as S3 writes them). */
  static final Set<String> EVENTS =
      Set.of(
          "s3:ObjectCreated:*",
          "s3:ObjectCreated:Put",
          "s3:ObjectCreated:Post",
          "s3:ObjectCreated:Copy",
          "s3:ObjectCreated:CompleteMultipartUpload",
          "s3:ObjectRemoved:*",
          "s3:ObjectRemoved:Delete",
          "s3:ObjectRemoved:DeleteMarkerCreated");

  static final int MAX_RULES = 100;

  private final ApiContext ctx;

  public NotificationRules(ApiContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The target name a rule's Topic, Queue or CloudFunction names: the last field of an ARN ({@code
   * arn:coffre:sqs::tenant:NAME}), or the bare name.
   */
  static String targetName(String arnOrName) {
    String s = arnOrName.strip();
    return s.startsWith("arn:") ? s.substring(s.lastIndexOf(':') + 1) : s;
  }

  /**
   * Refuses a configuration S3 would refuse, or that names a target the operator did not declare.
   */
  static void validate(NotificationConfiguration config, Notifications targets) {
    List<NotificationRule> rules = config.rules();
    if (rules.size() > MAX_RULES) {
      throw invalid("at most " + MAX_RULES + " notification rules per bucket", "Rule");
    }
    Set<String> ids = new HashSet<>();
    for (NotificationRule rule : rules) {
      if (rule.target() == null || rule.target().isBlank()) {
        throw invalid("a notification rule must name its Topic, Queue or CloudFunction", "Target");
      }
      String name = targetName(rule.target());
      if (!targets.knowsTarget(name)) {
        throw invalid(
            "the notification target '"
                + rule.target()
                + "' is not one the operator allows (notifications.targets in the server's"
                + " configuration)",
            rule.target());
      }
      if (rule.id() != null && !ids.add(rule.id())) {
        throw invalid("two notification rules share the Id '" + rule.id() + "'", "Id");
      }
      if (rule.eventList().isEmpty()) {
        throw invalid("a notification rule must name at least one Event", "Event");
      }
      for (String e : rule.eventList()) {
        if (!EVENTS.contains(e)) {
          throw invalid("the event '" + e + "' is not supported for notifications", e);
        }
      }
      Set<String> names = new HashSet<>();
      for (FilterRule f : rule.filterRules()) {
        String n = f.name() == null ? "" : f.name().toLowerCase(Locale.ROOT);
        if (!n.equals("prefix") && !n.equals("suffix")) {
          throw invalid(
              "filter rule names are 'prefix' or 'suffix', not '" + f.name() + "'", "FilterRule");
        }
        if (!names.add(n)) {
          throw invalid("a filter may have one '" + n + "' rule", "FilterRule");
        }
      }
    }
  }

  private static S3Exception invalid(String message, String argument) {
    return new S3Exception(S3Error.INVALID_ARGUMENT, message)
        .with("ArgumentName", argument)
        .with("ArgumentValue", argument);
  }

  /** Whether {@code rule} selects an event of this name (without {@code s3:}) on this key. */
  static boolean matches(NotificationRule rule, String eventName, String key) {
    boolean selected = false;
    for (String e : rule.eventList()) {
      String wanted = e.substring("s3:".length());
      if (wanted.equals(eventName)
          || (wanted.endsWith(":*")
              && eventName.startsWith(wanted.substring(0, wanted.length() - 1)))) {
        selected = true;
        break;
      }
    }
    if (!selected) {
      return false;
    }
    for (FilterRule f : rule.filterRules()) {
      String value = f.value() == null ? "" : f.value();
      boolean prefix = f.name().equalsIgnoreCase("prefix");
      if (prefix ? !key.startsWith(value) : !key.endsWith(value)) {
        return false;
      }
    }
    return true;
  }

  /** Publishes the creation of {@code info} ({@code kind}: Put, Post, Copy, ...). */
  void created(
      S3Request request,
      Principal principal,
      BucketName bucket,
      ObjectKey key,
      String kind,
      ObjectInfo info) {
    publish(
        request,
        principal,
        bucket,
        key.value(),
        "ObjectCreated:" + kind,
        info.size(),
        info.etag().value(),
        versionOrNull(info.versionId()));
  }

  /** Publishes a delete ({@code asked}: the version the client named, or null). */
  void removed(
      S3Request request,
      BucketName bucket,
      ObjectKey key,
      @Nullable String asked,
      ObjectService.Deleted deleted) {
    boolean marker = asked == null && deleted.deleteMarker();
    publish(
        request,
        request.principal(),
        bucket,
        key.value(),
        marker ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
        0,
        null,
        versionOrNull(marker ? deleted.versionId() : asked));
  }

  private static @Nullable String versionOrNull(@Nullable String versionId) {
    return versionId == null || ObjectVersion.NULL_ID.equals(versionId) ? null : versionId;
  }

  /** The bucket's configuration, if one was put. */
  Optional<NotificationConfiguration> configuration(BucketName bucket) {
    return ctx.buckets()
        .setting(bucket, BucketSettings.NOTIFICATION)
        .map(
            xml ->
                S3Xml.read(
                    new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                    NotificationConfiguration.class));
  }

  /**
   * Enqueues the event for every rule of the bucket that selects it. Called after the change
   * committed: a failure here is logged, not sent to the client, whose change stands.
   */
  void publish(
      S3Request request,
      Principal principal,
      BucketName bucket,
      String key,
      String eventName,
      long size,
      @Nullable String etag,
      @Nullable String versionId) {
    try {
      Optional<NotificationConfiguration> config = configuration(bucket);
      if (config.isEmpty()) {
        return;
      }
      ObjectEvent event = null;
      for (NotificationRule rule : config.get().rules()) {
        if (!matches(rule, eventName, key)) {
          continue;
        }
        if (event == null) {
          event =
              new ObjectEvent(
                  eventName,
                  ctx.objects().now(),
                  ctx.buckets().get(bucket).tenant(),
                  bucket.value(),
                  key,
                  principal.isAnonymous() || principal.accessKey() == null
                      ? "anonymous"
                      : principal.accessKey(),
                  request.sourceIp(),
                  size,
                  etag,
                  versionId);
        }
        ctx.notifications()
            .enqueue(targetName(rule.target()), rule.id() == null ? "" : rule.id(), event);
      }
    } catch (RuntimeException e) {
      LOG.error(
          "the {} event of {}/{} could not be enqueued for notification; it is lost",
          eventName,
          bucket.value(),
          key,
          e);
    }
  }
}
