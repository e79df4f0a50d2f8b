package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import org.jspecify.annotations.Nullable;

/** Get/PutBucketLogging body, as S3 writes it (docs/access-logs.md). */
public final class LoggingDocuments {
  private LoggingDocuments() {}

  /** The bucket's server access logging: on with {@code LoggingEnabled}, off without it. */
  @JacksonXmlRootElement(localName = "BucketLoggingStatus", namespace = S3Xml.NS)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BucketLoggingStatus(
      @JsonProperty("LoggingEnabled") @Nullable LoggingEnabled loggingEnabled) {}

  /** Where the log objects of a bucket go. */
  @JsonPropertyOrder({"TargetBucket", "TargetPrefix", "TargetObjectKeyFormat"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LoggingEnabled(
      @JsonProperty("TargetBucket") @Nullable String targetBucket,
      @JsonProperty("TargetPrefix") @Nullable String targetPrefix,
      @JsonProperty("TargetObjectKeyFormat") @Nullable TargetObjectKeyFormat keyFormat) {

    /** The prefix, empty when none was given. */
    public String prefix() {
      return targetPrefix == null ? "" : targetPrefix;
    }
  }

  /**
   * How log object keys are formed: {@code SimplePrefix} (prefix + date-time + unique part) or
   * {@code PartitionedPrefix} (prefix + account/region/bucket/yyyy/mm/dd/ + the simple form).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TargetObjectKeyFormat(
      @JsonProperty("SimplePrefix") @Nullable Object simplePrefix,
      @JsonProperty("PartitionedPrefix") @Nullable PartitionedPrefix partitionedPrefix) {}

  /** The partitioned form; the date is the event's time or the delivery's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PartitionedPrefix(
      @JsonProperty("PartitionDateSource") @Nullable String partitionDateSource) {}
}
