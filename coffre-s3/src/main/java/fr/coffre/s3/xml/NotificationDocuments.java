package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Get/PutBucketNotificationConfiguration body, as S3 writes it. */
public final class NotificationDocuments {
  private NotificationDocuments() {}

  /**
   * The bucket's notification rules; Topic, Queue and CloudFunction configurations all name a
   * target the operator declared (docs/notifications.md).
   */
  @JacksonXmlRootElement(localName = "NotificationConfiguration", namespace = S3Xml.NS)
  @JsonPropertyOrder({"TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration"})
  public record NotificationConfiguration(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("TopicConfiguration")
          List<NotificationRule> topics,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("QueueConfiguration")
          List<NotificationRule> queues,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("CloudFunctionConfiguration")
          List<NotificationRule> functions) {

    /** Every rule, whatever its form. */
    public List<NotificationRule> rules() {
      List<NotificationRule> all = new ArrayList<>();
      for (List<NotificationRule> l : Arrays.asList(topics, queues, functions)) {
        if (l != null) {
          all.addAll(l);
        }
      }
      return all;
    }
  }

  /** One rule: which events, which keys, to which target. */
  @JsonPropertyOrder({"Id", "Topic", "Queue", "CloudFunction", "Event", "Filter"})
  public record NotificationRule(
      @JsonProperty("Id") String id,
      @JsonProperty("Topic") String topic,
      @JsonProperty("Queue") String queue,
      @JsonProperty("CloudFunction") String cloudFunction,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Event") List<String> events,
      @JsonProperty("Filter") Filter filter) {

    /** The target's ARN or name, whichever form the rule uses. */
    public String target() {
      return topic != null ? topic : queue != null ? queue : cloudFunction;
    }

    public List<String> eventList() {
      return events == null ? List.of() : events;
    }

    public List<FilterRule> filterRules() {
      return filter == null || filter.key() == null || filter.key().rules() == null
          ? List.of()
          : filter.key().rules();
    }
  }

  /** A rule's key filter. */
  public record Filter(@JsonProperty("S3Key") KeyFilter key) {}

  /** The prefix and suffix rules of a key filter. */
  public record KeyFilter(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("FilterRule")
          List<FilterRule> rules) {}

  /** {@code prefix} or {@code suffix}, and its value. */
  @JsonPropertyOrder({"Name", "Value"})
  public record FilterRule(
      @JsonProperty("Name") String name, @JsonProperty("Value") String value) {}
}
