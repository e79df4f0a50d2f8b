package fr.coffre.s3.handlers;

import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.LoggingDocuments.BucketLoggingStatus;
import fr.coffre.s3.xml.LoggingDocuments.LoggingEnabled;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.AccessLogs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** A bucket's server access logging setting: its checks when it is put, and its target. */
public final class LoggingRules {
  static final Set<String> DATE_SOURCES = Set.of("EventTime", "DeliveryTime");

  private final ApiContext ctx;

  public LoggingRules(ApiContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Refuses what S3 refuses: a target that does not exist or that another tenant owns
   * (InvalidTargetBucketForLogging), a target that is itself logged (InvalidArgument, as s3-tests
   * expects), an unknown partition date source (MalformedXML).
   */
  void validate(BucketRecord source, LoggingEnabled enabled) {
    if (enabled.targetBucket() == null || enabled.targetBucket().isBlank()) {
      throw new S3Exception(S3Error.MALFORMED_XML, "LoggingEnabled must name its TargetBucket");
    }
    var format = enabled.keyFormat();
    if (format != null
        && format.partitionedPrefix() != null
        && !DATE_SOURCES.contains(format.partitionedPrefix().partitionDateSource())) {
      throw new S3Exception(
          S3Error.MALFORMED_XML,
          "PartitionDateSource is EventTime or DeliveryTime, not '"
              + format.partitionedPrefix().partitionDateSource()
              + "'");
    }
    BucketRecord target;
    try {
      target = ctx.buckets().get(new BucketName(enabled.targetBucket()));
    } catch (NoSuchBucketException | IllegalArgumentException e) {
      throw invalidTarget(enabled.targetBucket(), "does not exist");
    }
    if (!target.tenant().equals(source.tenant())) {
      throw invalidTarget(enabled.targetBucket(), "is not owned by the source bucket's tenant");
    }
    if (!target.name().equals(source.name()) && configuration(target.name()).isPresent()) {
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT,
              "the target bucket '"
                  + enabled.targetBucket()
                  + "' has server access logging enabled itself; choose a bucket that is not"
                  + " logged")
          .with("ArgumentName", "TargetBucket")
          .with("ArgumentValue", enabled.targetBucket());
    }
  }

  private static S3Exception invalidTarget(String bucket, String why) {
    return new S3Exception(
            S3Error.INVALID_TARGET_BUCKET_FOR_LOGGING,
            "The target bucket for logging '" + bucket + "' " + why + ".")
        .with("TargetBucket", bucket);
  }

  /** The bucket's logging, if it is on. */
  public Optional<LoggingEnabled> configuration(BucketName bucket) {
    return ctx.buckets()
        .setting(bucket, BucketSettings.LOGGING)
        .map(LoggingRules::parse)
        .map(BucketLoggingStatus::loggingEnabled);
  }

  static BucketLoggingStatus parse(String xml) {
    return S3Xml.read(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), BucketLoggingStatus.class);
  }

  /**
   * Where the lines of {@code source} go; with a partitioned key format, the keys also name the
   * source's tenant, region and bucket ({@code prefix/tenant/region/bucket/yyyy/MM/dd/...}).
   */
  AccessLogs.Target target(BucketRecord source, LoggingEnabled enabled) {
    var format = enabled.keyFormat();
    boolean partitioned = format != null && format.partitionedPrefix() != null;
    return new AccessLogs.Target(
        source.tenant(),
        new BucketName(enabled.targetBucket()),
        enabled.prefix(),
        partitioned
            ? source.tenant() + "/" + source.region() + "/" + source.name().value() + "/"
            : null);
  }
}
