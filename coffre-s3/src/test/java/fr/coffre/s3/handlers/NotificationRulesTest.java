package fr.coffre.s3.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.NotificationDocuments.NotificationConfiguration;
import fr.coffre.s3.xml.NotificationDocuments.NotificationRule;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.Notifications;
import fr.coffre.service.ObjectEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotificationRulesTest {
  private static final Notifications ONLY_AUDIT_HOOK =
      new Notifications() {
        @Override
        public boolean knowsTarget(String name) {
          return name.equals("audit-hook");
        }

        @Override
        public void enqueue(String target, String configurationId, ObjectEvent event) {}
      };

  /** What aws-cli sends for a Queue and a Topic rule with a key filter. */
  private static final String CLI_XML =
      """
      <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <QueueConfiguration>
          <Id>images</Id>
          <Queue>arn:coffre:sqs::acme:audit-hook</Queue>
          <Event>s3:ObjectCreated:*</Event>
          <Filter><S3Key>
            <FilterRule><Name>prefix</Name><Value>images/</Value></FilterRule>
            <FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule>
          </S3Key></Filter>
        </QueueConfiguration>
        <TopicConfiguration>
          <Id>removals</Id>
          <Topic>audit-hook</Topic>
          <Event>s3:ObjectRemoved:Delete</Event>
        </TopicConfiguration>
      </NotificationConfiguration>
      """;

  private static NotificationConfiguration parse(String xml) {
    return S3Xml.read(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
        NotificationConfiguration.class);
  }

  @Test
  void cliDocument_parsesBothForms_andRoundTrips() {
    NotificationConfiguration config = parse(CLI_XML);
    NotificationRules.validate(config, ONLY_AUDIT_HOOK);
    assertThat(config.rules())
        .extracting(NotificationRule::id)
        .containsExactly("removals", "images");
    NotificationConfiguration again =
        parse(new String(S3Xml.write(config), StandardCharsets.UTF_8));
    assertThat(again).isEqualTo(config);
  }

  @Test
  void matches_followsEventWildcardsAndKeyFilters() {
    NotificationConfiguration config = parse(CLI_XML);
    NotificationRule images = config.queues().get(0);
    NotificationRule removals = config.topics().get(0);
    assertThat(NotificationRules.matches(images, "ObjectCreated:Put", "images/cat.jpg")).isTrue();
    assertThat(
            NotificationRules.matches(
                images, "ObjectCreated:CompleteMultipartUpload", "images/a.jpg"))
        .isTrue();
    assertThat(NotificationRules.matches(images, "ObjectCreated:Put", "docs/cat.jpg")).isFalse();
    assertThat(NotificationRules.matches(images, "ObjectCreated:Put", "images/cat.png")).isFalse();
    assertThat(NotificationRules.matches(images, "ObjectRemoved:Delete", "images/cat.jpg"))
        .isFalse();
    assertThat(NotificationRules.matches(removals, "ObjectRemoved:Delete", "x")).isTrue();
    assertThat(NotificationRules.matches(removals, "ObjectRemoved:DeleteMarkerCreated", "x"))
        .isFalse();
  }

  @Test
  void targetName_takesTheLastFieldOfAnArn() {
    assertThat(NotificationRules.targetName("arn:coffre:sqs::acme:audit-hook"))
        .isEqualTo("audit-hook");
    assertThat(NotificationRules.targetName("arn:aws:sns:us-east-1:123:audit-hook"))
        .isEqualTo("audit-hook");
    assertThat(NotificationRules.targetName("audit-hook")).isEqualTo("audit-hook");
  }

  @Test
  void undeclaredTarget_isRefusedWithItsName() {
    String xml =
        CLI_XML.replace("<Topic>audit-hook</Topic>", "<Topic>https://evil.example/</Topic>");
    assertThatThrownBy(() -> NotificationRules.validate(parse(xml), ONLY_AUDIT_HOOK))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT))
        .hasMessageContaining("https://evil.example/")
        .hasMessageContaining("not one the operator allows");
  }

  @Test
  void unknownEventOrFilter_isRefused() {
    assertThatThrownBy(
            () ->
                NotificationRules.validate(
                    parse(CLI_XML.replace("s3:ObjectRemoved:Delete", "s3:ObjectRestore:Post")),
                    ONLY_AUDIT_HOOK))
        .hasMessageContaining("s3:ObjectRestore:Post");
    assertThatThrownBy(
            () ->
                NotificationRules.validate(
                    parse(CLI_XML.replace("<Name>Suffix</Name>", "<Name>infix</Name>")),
                    ONLY_AUDIT_HOOK))
        .hasMessageContaining("infix");
    assertThatThrownBy(
            () ->
                NotificationRules.validate(
                    parse(CLI_XML.replace("<Name>Suffix</Name>", "<Name>prefix</Name>")),
                    ONLY_AUDIT_HOOK))
        .hasMessageContaining("one 'prefix'");
  }

  @Test
  void emptyConfiguration_isValid() {
    NotificationConfiguration empty =
        parse("<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
    NotificationRules.validate(empty, Notifications.NONE);
    assertThat(empty.rules()).isEmpty();
  }
}
