package fr.coffre.s3.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.dataformat.xml.JacksonXmlAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.xml.JacksonXmlModule;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import org.codehaus.stax2.XMLOutputFactory2;

/** Reads and writes S3's XML documents with Jackson; the one place that configures the mapper. */
public final class S3Xml {
  public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  // Request documents are small (DeleteObjects tops out near 1000 keys); a cap stops a client
  // from making the server buffer an endless body.
  public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

  private static final XmlMapper MAPPER = mapper();
  private static final ObjectWriter ERROR_WRITER = MAPPER.writer().withRootName("Error");
  private static final ObjectWriter CONTROL_ERROR_WRITER =
      MAPPER.writer().withRootName("ErrorResponse");

  private S3Xml() {}

  private static XmlMapper mapper() {
    JacksonXmlModule module = new JacksonXmlModule();
    module.setDefaultUseWrapper(false);
    XMLOutputFactory output = XMLOutputFactory.newFactory();
    // Keys may hold control characters (S3 stores them): they are written as character references,
    // as S3 does, instead of failing the whole listing.
    output.setProperty(XMLOutputFactory2.P_TEXT_ESCAPER, ControlCharacterEscaper.FACTORY);
    output.setProperty(XMLOutputFactory2.P_ATTR_VALUE_ESCAPER, ControlCharacterEscaper.FACTORY);
    // null: Jackson makes its own input factory, with external entities and DTDs off.
    XmlMapper m = new XmlMapper(new XmlFactory(null, output), module);
    m.setAnnotationIntrospector(new S3Namespace());
    m.setDefaultPropertyInclusion(
        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    m.configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    // An element marked xsi:nil="true" reads as null: in a list (<AllowedMethod xsi:nil="true"/>)
    // it is MalformedXML here, not a null every handler would have to expect.
    m.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    return m;
  }

  /**
   * Puts every element of a document in S3's namespace, as S3 writes them: without it Jackson
   * writes the root in the namespace and resets each child with {@code xmlns=""}, which
   * namespace-aware parsers read as elements S3 never sends. Attributes stay unqualified.
   */
  private static final class S3Namespace extends JacksonXmlAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    S3Namespace() {
      super(false); // lists are repeated elements unless a wrapper is named, as in S3
    }

    @Override
    public String findNamespace(MapperConfig<?> config, Annotated ann) {
      String ns = super.findNamespace(config, ann);
      if (ns != null && !ns.isEmpty()) {
        return ns;
      }
      Boolean attribute = super.isOutputAsAttribute(config, ann);
      return Boolean.TRUE.equals(attribute) ? ns : NS;
    }
  }

  public static byte[] write(Object document) {
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + document.getClass(), e);
    }
  }

  /** An {@code <Error>} document with the given child elements, in order. */
  public static byte[] error(Map<String, String> elements) {
    try {
      return ERROR_WRITER.writeValueAsBytes(elements);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an error", e);
    }
  }

  /**
   * An S3 Control error: {@code <ErrorResponse><Error>...</Error><RequestId/><HostId/>}, the
   * REST-XML shape S3 Control clients parse (S3's own has {@code <Error>} at the root).
   */
  public static byte[] controlError(Map<String, String> elements) {
    Map<String, Object> wrapped = new LinkedHashMap<>();
    Map<String, String> error = new LinkedHashMap<>(elements);
    wrapped.put("Error", error);
    for (String outer : new String[] {"RequestId", "HostId"}) {
      String v = error.remove(outer);
      if (v != null) {
        wrapped.put(outer, v);
      }
    }
    try {
      return CONTROL_ERROR_WRITER.writeValueAsBytes(wrapped);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize an error", e);
    }
  }

  /** Parses a request document; MalformedXML when it is not what the operation expects. */
  public static <T> T read(InputStream body, Class<T> type) {
    try {
      byte[] bytes = body.readNBytes(MAX_REQUEST_BYTES + 1);
      if (bytes.length > MAX_REQUEST_BYTES) {
        throw new S3Exception(S3Error.MALFORMED_XML, "The XML document is too large");
      }
      if (bytes.length == 0) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new S3Exception(S3Error.MALFORMED_XML);
      }
      return value;
    } catch (S3Exception e) {
      throw e;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new S3Exception(S3Error.MALFORMED_XML);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #read} but an empty body yields null. */
  public static <T> T readOptional(InputStream body, Class<T> type) throws IOException {
    byte[] bytes = body.readNBytes(MAX_REQUEST_BYTES + 1);
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return null;
    }
    return read(new ByteArrayInputStream(bytes), type);
  }
}
