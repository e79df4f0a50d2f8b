package fr.coffre.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.s3.xml.LoggingDocuments.BucketLoggingStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BucketLoggingStatus read as AWS clients write it, and written as S3 answers it. */
class LoggingDocumentsTest {
  private static BucketLoggingStatus read(String xml) throws IOException {
    return S3Xml.readOptional(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), BucketLoggingStatus.class);
  }

  @Test
  void enabled_withPartitionedPrefix_isRead() throws IOException {
    var s =
        read(
            """
            <BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
            <LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>src/</TargetPrefix>
            <TargetGrants/>
            <TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>EventTime\
            </PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat>
            </LoggingEnabled></BucketLoggingStatus>""");
    assertThat(s.loggingEnabled().targetBucket()).isEqualTo("logs");
    assertThat(s.loggingEnabled().prefix()).isEqualTo("src/");
    assertThat(s.loggingEnabled().keyFormat().partitionedPrefix().partitionDateSource())
        .isEqualTo("EventTime");
  }

  @Test
  void enabled_withSimplePrefix_isRead() throws IOException {
    var s =
        read(
            "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket>"
                + "<TargetPrefix></TargetPrefix><TargetObjectKeyFormat><SimplePrefix/>"
                + "</TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>");
    assertThat(s.loggingEnabled().targetBucket()).isEqualTo("logs");
    assertThat(s.loggingEnabled().prefix()).isEmpty();
    assertThat(s.loggingEnabled().keyFormat().partitionedPrefix()).isNull();
  }

  @Test
  void emptyStatus_meansOff() throws IOException {
    var s = read("<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" />");
    assertThat(s == null || s.loggingEnabled() == null).isTrue();
  }

  @Test
  void written_readsBack_andOffIsAnEmptyElement() throws IOException {
    var on = new BucketLoggingStatus(new LoggingDocuments.LoggingEnabled("logs", "p/", null));
    String xml = new String(S3Xml.write(on), StandardCharsets.UTF_8);
    assertThat(xml)
        .contains(
            "<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>p/</TargetPrefix>"
                + "</LoggingEnabled>");
    assertThat(read(xml)).isEqualTo(on);
    String off = new String(S3Xml.write(new BucketLoggingStatus(null)), StandardCharsets.UTF_8);
    assertThat(off).contains("BucketLoggingStatus").doesNotContain("LoggingEnabled");
  }
}
