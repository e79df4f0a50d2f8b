package fr.coffre.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostFormTest {
  private static final String BOUNDARY = "----coffreBoundary7MA4YWxkTrZu0gW";
  private static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  private static byte[] field(String name, String value) {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] form(byte[] content, String... namesAndValues) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.write(field(namesAndValues[i], namesAndValues[i + 1]));
    }
    out.write(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.write(("\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(field("after", "ignored"));
    out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void read_fieldsThenFile_streamsTheExactBytes() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 5];
    new Random(7).nextBytes(content);
    // Bytes that look like a boundary start inside the content must stay content.
    byte[] tricky =
        ("\r\n--" + BOUNDARY.substring(0, 10) + "\r\n--").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tricky, 0, content, 1000, tricky.length);
    PostForm f =
        PostForm.read(
            new ByteArrayInputStream(form(content, "Key", "user/${filename}", "x-amz-meta-a", "é")),
            TYPE);
    assertThat(f.fields())
        .containsEntry("key", "user/${filename}")
        .containsEntry("x-amz-meta-a", "é");
    assertThat(f.fileName()).isEqualTo("photo.jpg");
    try (InputStream file = f.file()) {
      assertThat(file.readAllBytes()).isEqualTo(content);
    }
    assertThat(f.fields()).doesNotContainKey("after");
  }

  @Test
  void read_streamsWithoutReadingAhead() throws Exception {
    // A body that fails if read past the start of the file content: the form must not buffer it.
    byte[] head = form(new byte[0], "key", "k");
    int fileStart =
        new String(head, StandardCharsets.ISO_8859_1).indexOf("image/jpeg\r\n\r\n")
            + "image/jpeg\r\n\r\n".length();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }
        };
    PostForm f =
        PostForm.read(
            new SequenceInputStream(new ByteArrayInputStream(head, 0, fileStart), endless), TYPE);
    byte[] first = f.file().readNBytes(100_000);
    assertThat(first).hasSize(100_000).containsOnly((byte) 'x');
  }

  @Test
  void read_withoutFile_isInvalidArgument() {
    byte[] body =
        (new String(field("key", "k"), StandardCharsets.UTF_8) + "--" + BOUNDARY + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PostForm.read(new ByteArrayInputStream(body), TYPE))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT));
  }

  @Test
  void read_oversizedFields_areRefused() throws Exception {
    byte[] body = form(new byte[1], "key", "k", "x-amz-meta-big", "a".repeat(21 * 1024));
    assertThatThrownBy(() -> PostForm.read(new ByteArrayInputStream(body), TYPE))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.error()).isEqualTo(S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED));
  }

  @Test
  void read_notMultipart_isMalformed() {
    assertThatThrownBy(
            () ->
                PostForm.read(new ByteArrayInputStream("key=v".getBytes()), "multipart/form-data"))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_POST_REQUEST));
    assertThatThrownBy(() -> PostForm.read(new ByteArrayInputStream("garbage".getBytes()), TYPE))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e ->
                assertThat(e.error())
                    .isIn(S3Error.MALFORMED_POST_REQUEST, S3Error.INVALID_ARGUMENT));
  }
}
