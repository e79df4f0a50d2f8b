package fr.coffre.s3.chunked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ContentLengthInputStreamTest {
  @Test
  void read_exactlyTheDeclaredLength_endsNormally() throws IOException {
    assertThat(
            new ContentLengthInputStream(new ByteArrayInputStream("hello".getBytes()), 5)
                .readAllBytes())
        .isEqualTo("hello".getBytes());
    assertThat(new ContentLengthInputStream(new ByteArrayInputStream(new byte[0]), 0).read())
        .isEqualTo(-1);
  }

  @Test
  void read_fewerBytesThanDeclared_failsWithIncompleteBody() throws IOException {
    ContentLengthInputStream in =
        new ContentLengthInputStream(new ByteArrayInputStream("hell".getBytes()), 5);
    assertThat(in.readNBytes(4)).isEqualTo("hell".getBytes());
    assertThatThrownBy(in::read)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(S3Error.INCOMPLETE_BODY);
              assertThat(e.getMessage()).contains("4 of 5");
            });
    assertThatThrownBy(in::read).isInstanceOf(S3Exception.class);
  }

  @Test
  void read_moreBytesThanDeclared_stopsAtTheDeclaredEnd() throws IOException {
    ByteArrayInputStream source = new ByteArrayInputStream("hello world".getBytes());
    assertThat(new ContentLengthInputStream(source, 5).readAllBytes())
        .isEqualTo("hello".getBytes());
    assertThat(source.available()).isEqualTo(6); // the rest is not this body's
  }
}
