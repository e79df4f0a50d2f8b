package fr.coffre.s3.query;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jspecify.annotations.Nullable;

/**
 * The XML of the AWS query APIs (IAM, STS): {@code <ActionResponse><ActionResult>…} with {@code
 * <member>} lists, and {@code <ErrorResponse>}, written with the JDK's StAX writer (which escapes).
 */
final class QueryXml {
  static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  private QueryXml() {}

  /** An element: text, or children. */
  record El(String name, @Nullable String text, List<El> children) {}

  static El el(String name, @Nullable String text) {
    return new El(name, text == null ? "" : text, List.of());
  }

  static El el(String name, El... children) {
    return new El(name, null, Arrays.asList(children));
  }

  static El el(String name, List<El> children) {
    return new El(name, null, List.copyOf(children));
  }

  /** A list of {@code <member>} elements. */
  static El members(String name, List<El> members) {
    List<El> m = new ArrayList<>();
    for (El e : members) {
      m.add(new El("member", e.text(), e.children()));
    }
    return el(name, m);
  }

  static String date(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code <ActionResponse>} with its result (null for actions that answer none). */
  static byte[] response(String ns, String action, @Nullable El result, String requestId) {
    List<El> parts = new ArrayList<>();
    if (result != null) {
      parts.add(result);
    }
    parts.add(el("ResponseMetadata", el("RequestId", requestId)));
    return write(ns, el(action + "Response", parts));
  }

  static byte[] error(String ns, String code, String message, boolean sender, String requestId) {
    return write(
        ns,
        el(
            "ErrorResponse",
            el(
                "Error",
                el("Type", sender ? "Sender" : "Receiver"),
                el("Code", code),
                el("Message", message)),
            el("RequestId", requestId)));
  }

  private static byte[] write(String ns, El root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      XMLStreamWriter w =
          XMLOutputFactory.newFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
      w.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      w.writeStartElement(root.name());
      w.writeDefaultNamespace(ns);
      children(w, root);
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing a query API answer failed", e);
    }
    return out.toByteArray();
  }

  private static void children(XMLStreamWriter w, El e) throws XMLStreamException {
    if (e.text() != null) {
      w.writeCharacters(e.text());
      return;
    }
    for (El c : e.children()) {
      w.writeStartElement(c.name());
      children(w, c);
      w.writeEndElement();
    }
  }
}
