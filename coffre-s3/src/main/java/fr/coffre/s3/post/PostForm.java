package fr.coffre.s3.post;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;

/**
 * A browser form upload (multipart/form-data) read as it streams: the fields before the {@code
 * file} field are read into memory (20 KiB at most, as S3 allows), the file is handed over as a
 * stream that ends at its boundary, and fields after it are ignored, as S3 does. Nothing is
 * buffered to disk: the content reaches the encrypting writer directly.
 */
public final class PostForm {
  static final int MAX_FIELD_BYTES = 20 * 1024;

  private final Map<String, String> fields;
  private final String fileName;
  private final InputStream file;

  private PostForm(Map<String, String> fields, String fileName, InputStream file) {
    this.fields = Collections.unmodifiableMap(fields);
    this.fileName = fileName;
    this.file = file;
  }

  /**
   * Reads the form up to its file; MalformedPOSTRequest, MaxPostPreDataLengthExceeded or
   * InvalidArgument.
   */
  public static PostForm read(InputStream body, String contentType) {
    String boundary = boundary(contentType);
    try {
      MultipartInput in =
          MultipartInput.builder()
              .setInputStream(body)
              .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
              .get();
      in.setHeaderCharset(StandardCharsets.UTF_8);
      Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      int total = 0;
      boolean next = in.skipPreamble();
      while (next) {
        Map<String, String> disposition = disposition(in.readHeaders());
        String name = disposition.get("name");
        if (name == null) {
          throw malformed();
        }
        if (name.equalsIgnoreCase("file")) {
          return new PostForm(
              fields, disposition.getOrDefault("filename", ""), in.newInputStream());
        }
        byte[] value;
        try (InputStream part = in.newInputStream()) {
          value = part.readNBytes(MAX_FIELD_BYTES - total + 1);
        }
        total += value.length + name.length();
        if (total > MAX_FIELD_BYTES) {
          throw new S3Exception(S3Error.MAX_POST_PRE_DATA_LENGTH_EXCEEDED);
        }
        fields.putIfAbsent(
            name.toLowerCase(Locale.ROOT), new String(value, StandardCharsets.UTF_8));
        next = in.readBoundary();
      }
      throw new S3Exception(
              S3Error.INVALID_ARGUMENT, "POST requires exactly one file upload per request.")
          .with("ArgumentName", "file");
    } catch (FileUploadException e) {
      throw malformed();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String boundary(String contentType) {
    if (contentType == null) {
      throw malformed();
    }
    ParameterParser parser = new ParameterParser();
    parser.setLowerCaseNames(true);
    String b = parser.parse(contentType, new char[] {';', ','}).get("boundary");
    if (b == null || b.isEmpty() || b.length() > 70) {
      throw malformed();
    }
    return b;
  }

  /** The parameters of the part's Content-Disposition (name, filename), and its Content-Type. */
  private static Map<String, String> disposition(String headers) {
    Map<String, String> out = new TreeMap<>();
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (header.equals("content-disposition")) {
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        out.putAll(parser.parse(value, ';'));
      }
    }
    return out;
  }

  private static S3Exception malformed() {
    return new S3Exception(S3Error.MALFORMED_POST_REQUEST);
  }

  /** The fields before the file, by lower-case name. */
  public Map<String, String> fields() {
    return fields;
  }

  /** The name of the uploaded file as the browser sent it (may be empty). */
  public String fileName() {
    return fileName;
  }

  /** The file's content, ending at its boundary. */
  public InputStream file() {
    return file;
  }
}
