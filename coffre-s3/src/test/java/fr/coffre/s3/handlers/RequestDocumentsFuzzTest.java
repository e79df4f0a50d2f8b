package fr.coffre.s3.handlers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.xml.ConfigDocuments;
import fr.coffre.s3.xml.Documents;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the XML request documents: CompleteMultipartUpload, DeleteObjects, CORS, tagging, ACL,
 * encryption, versioning and CreateBucket bodies, as random bytes, as valid documents damaged at
 * random, and as documents built from their own element names with every XML construct a client may
 * send (entities, CDATA, comments, namespaces, DOCTYPEs with external or exponential entities).
 *
 * <p>{@link S3Xml#read} must return a document or throw MalformedXML (400). A document it returns
 * must be one handlers can walk: no list holds a null (they iterate and dereference every element),
 * and no external entity was read into it. The checks that follow the parse and can run without a
 * server (CORS rules, tags) must then accept it or refuse it with a 4xx.
 */
class RequestDocumentsFuzzTest {
  private static final String MARKER = "XXE-READ-A-LOCAL-FILE";
  private static Path secretFile;

  @BeforeAll
  static void secret(@TempDir Path dir) throws IOException {
    secretFile = dir.resolve("secret.txt");
    Files.writeString(secretFile, MARKER);
  }

  /**
   * A request document type, valid examples of it, and its grammar: {@code "Root>A,B;A>C"} says
   * Root holds As and Bs, A holds Cs; the others hold text.
   */
  private record Kind(Class<?> type, List<String> valid, String grammar) {
    /** Each element's children, the root first; empty for text elements. */
    Map<String, List<String>> children() {
      Map<String, List<String>> children = new java.util.LinkedHashMap<>();
      for (String rule : grammar.split(";")) {
        String[] parts = rule.split(">");
        List<String> kids = List.of(parts[1].split(","));
        children.put(parts[0], kids);
        kids.forEach(k -> children.putIfAbsent(k, List.of()));
      }
      return children;
    }

    List<String> elements() {
      return List.copyOf(children().keySet());
    }
  }

  private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

  private static final List<Kind> KINDS =
      List.of(
          new Kind(
              Documents.CompleteMultipartUpload.class,
              List.of(
                  "<CompleteMultipartUpload"
                      + NS
                      + "><Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\""
                      + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>\"0c78aef83f66abc1fa1e8477f296d394\"</ETag>"
                      + "<ChecksumCRC32>NhCmhg==</ChecksumCRC32></Part></CompleteMultipartUpload>",
                  "<CompleteMultipartUpload><Part><ETag>e</ETag><PartNumber>10000</PartNumber><ChecksumSHA256>"
                      + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</ChecksumSHA256></Part></CompleteMultipartUpload>"),
              "CompleteMultipartUpload>Part;Part>PartNumber,ETag,ChecksumCRC32,ChecksumCRC32C,ChecksumCRC64NVME,"
                  + "ChecksumSHA1,ChecksumSHA256"),
          new Kind(
              Documents.Delete.class,
              List.of(
                  "<Delete"
                      + NS
                      + "><Quiet>true</Quiet><Object><Key>a/b.txt</Key></Object><Object><Key>c</Key>"
                      + "<VersionId>null</VersionId></Object></Delete>",
                  "<Delete><Object><Key>&lt;&amp;&gt;&#x1F600;</Key></Object></Delete>"),
              "Delete>Quiet,Object;Object>Key,VersionId"),
          new Kind(
              ConfigDocuments.CorsConfiguration.class,
              List.of(
                  "<CORSConfiguration"
                      + NS
                      + "><CORSRule><ID>r</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>"
                      + "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
                      + "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>",
                  "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>"
                      + "</CORSRule><CORSRule><AllowedOrigin>http://a</AllowedOrigin><AllowedMethod>DELETE</AllowedMethod>"
                      + "</CORSRule></CORSConfiguration>"),
              "CORSConfiguration>CORSRule;CORSRule>ID,AllowedOrigin,AllowedMethod,AllowedHeader,ExposeHeader,"
                  + "MaxAgeSeconds"),
          new Kind(
              ConfigDocuments.Tagging.class,
              List.of(
                  "<Tagging"
                      + NS
                      + "><TagSet><Tag><Key>project</Key><Value>x</Value></Tag><Tag><Key>k2</Key><Value></Value>"
                      + "</Tag></TagSet></Tagging>",
                  "<Tagging><TagSet/></Tagging>"),
              "Tagging>TagSet;TagSet>Tag;Tag>Key,Value"),
          new Kind(
              ConfigDocuments.AccessControlPolicy.class,
              List.of(
                  "<AccessControlPolicy"
                      + NS
                      + "><Owner><ID>o</ID><DisplayName>d</DisplayName></Owner><AccessControlList>"
                      + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
                      + "<ID>o</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList>"
                      + "</AccessControlPolicy>",
                  "<AccessControlPolicy><AccessControlList><Grant><Grantee xsi:type=\"Group\" "
                      + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><URI>http://acs.amazonaws.com/groups/global/"
                      + "AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
              "AccessControlPolicy>Owner,AccessControlList;Owner>ID,DisplayName;AccessControlList>Grant;"
                  + "Grant>Grantee,Permission;Grantee>ID,DisplayName,URI"),
          new Kind(
              ConfigDocuments.ServerSideEncryptionConfiguration.class,
              List.of(
                  "<ServerSideEncryptionConfiguration"
                      + NS
                      + "><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>"
                      + "aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>"
                      + "<BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>",
                  "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256"
                      + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"),
              "ServerSideEncryptionConfiguration>Rule;Rule>ApplyServerSideEncryptionByDefault,BucketKeyEnabled;"
                  + "ApplyServerSideEncryptionByDefault>SSEAlgorithm,KMSMasterKeyID"),
          new Kind(
              ConfigDocuments.VersioningConfiguration.class,
              List.of(
                  "<VersioningConfiguration"
                      + NS
                      + "><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete>"
                      + "</VersioningConfiguration>"),
              "VersioningConfiguration>Status,MfaDelete"),
          new Kind(
              Documents.CreateBucketConfiguration.class,
              List.of(
                  "<CreateBucketConfiguration"
                      + NS
                      + "><LocationConstraint>eu-west-3</LocationConstraint>"
                      + "</CreateBucketConfiguration>"),
              "CreateBucketConfiguration>LocationConstraint"));

  /** An element that says it is null, as XML Schema spells it. */
  private static final String NIL =
      " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"";

  private static final List<String> XML_WORDS =
      List.of(
          "<",
          ">",
          "</",
          "/>",
          "<?xml version=\"1.0\"?>",
          "<?xml version=\"1.1\" encoding=\"UTF-16\"?>",
          "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
          "<!-- c -->",
          "<!--",
          "-->",
          "<![CDATA[",
          "]]>",
          "<?pi x?>",
          "&amp;",
          "&lt;",
          "&#0;",
          "&#x0;",
          "&#1;",
          "&#xD800;",
          "&#x110000;",
          "&#99999999999;",
          "&unknown;",
          "&",
          ";",
          "\"",
          "'",
          "=",
          " xmlns=\"\"",
          " xmlns=\"urn:other\"",
          " xmlns:p=\"urn:p\"",
          "p:",
          " a=\"1\"",
          " a=\"1\" a=\"2\"",
          " xsi:nil=\"true\"",
          " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"",
          "\u0000",
          "\u00e9",
          "\ud83d\ude00",
          "\ufeff",
          "\uffff",
          "null",
          "true",
          "-1",
          "<Part/>",
          "<Tag/>",
          "<Object/>",
          "<Grant/>",
          "<Rule/>",
          "<CORSRule/>",
          "<AllowedMethod/>",
          "<AllowedOrigin/>",
          "<Part></Part>",
          "<Part> </Part>",
          "<Tag>x</Tag>",
          "<Object>k</Object>",
          "<Grant> </Grant>",
          "<Rule></Rule>",
          "<AllowedMethod></AllowedMethod>",
          "<AllowedMethod> </AllowedMethod>",
          "<AllowedOrigin xsi:nil=\"true\"/>",
          "<Part" + NIL + "/>",
          "<Object" + NIL + "/>",
          "<Tag" + NIL + "/>",
          "<Grant" + NIL + "/>",
          "<Rule" + NIL + "/>",
          "<CORSRule" + NIL + "/>",
          "<AllowedMethod" + NIL + "/>",
          "<AllowedOrigin" + NIL + "/>",
          "<Key" + NIL + "/>");

  /** A document of a kind: valid, damaged, built from its element names, or noise. */
  private record Input(Kind kind, byte[] xml) {
    @Override
    public String toString() {
      return kind.type().getSimpleName() + ": " + Fuzz.literal(xml);
    }
  }

  private static Input document(Random r) {
    Kind kind = Mutations.pick(r, KINDS);
    byte[] xml =
        switch (r.nextInt(7)) {
          case 0 -> Mutations.randomBytes(r, 400);
          case 6 -> deep(r, kind).getBytes(UTF_8);
          case 1, 2 ->
              Mutations.mutate(
                  r, Mutations.pick(r, kind.valid()).getBytes(UTF_8), 64 * 1024, words(kind));
          default -> built(r, kind).getBytes(UTF_8);
        };
    return new Input(kind, xml);
  }

  private static List<String> words(Kind kind) {
    List<String> words = new ArrayList<>(XML_WORDS);
    for (String e : kind.elements()) {
      words.add("<" + e + ">");
      words.add("</" + e + ">");
      words.add("<" + e + "/>");
    }
    return words;
  }

  /** Elements nested thousands deep, within the size a request document may have. */
  private static String deep(Random r, Kind kind) {
    int depth = Mutations.pick(r, List.of(999, 1000, 1001, 5000, 20_000, 400_000));
    String name = r.nextBoolean() ? Mutations.pick(r, kind.elements()) : "a";
    String open = "<" + name + ">";
    String close = r.nextInt(4) == 0 ? "" : "</" + name + ">";
    return "<"
        + kind.elements().get(0)
        + ">"
        + open.repeat(depth)
        + close.repeat(depth)
        + "</"
        + kind.elements().get(0)
        + ">";
  }

  /** A tree of the kind's own element names, with any XML construct in it. */
  private static String built(Random r, Kind kind) {
    StringBuilder b = new StringBuilder();
    switch (r.nextInt(8)) {
      case 0 -> b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
      case 1 ->
          b.append("<!DOCTYPE x [<!ENTITY e SYSTEM \"").append(secretFile.toUri()).append("\">]>");
      case 2 ->
          b.append(
              "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                  + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                  + "<!ENTITY f \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>");
      case 3 -> b.append("<!DOCTYPE x SYSTEM \"").append(secretFile.toUri()).append("\">");
      default -> {}
    }
    element(r, kind, kind.elements().get(0), b, 0);
    return b.toString();
  }

  private static void element(Random r, Kind kind, String name, StringBuilder b, int depth) {
    String prefix = r.nextInt(30) == 0 ? "p:" : "";
    b.append('<').append(prefix).append(name);
    if (depth == 0 && r.nextBoolean()) {
      b.append(NS);
    }
    if (r.nextInt(10) == 0) {
      b.append(
          Mutations.pick(
              r,
              List.of(
                  " xmlns:p=\"urn:p\"",
                  " a=\"1\"",
                  " xsi:nil=\"true\"",
                  NIL,
                  NIL,
                  " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"",
                  " xmlns=\"\"")));
    }
    if (r.nextInt(8) == 0) {
      b.append(depth > 0 && r.nextInt(3) == 0 ? NIL + "/>" : "/>");
      return;
    }
    b.append('>');
    // Mostly what the grammar says an element holds, sometimes anything.
    List<String> kids = kind.children().getOrDefault(name, List.of());
    int children =
        depth > 6
            ? 0
            : kids.isEmpty() ? (r.nextInt(12) == 0 ? 1 : 0) : r.nextInt(depth == 0 ? 4 : 5);
    if (children == 0 || r.nextInt(12) == 0) {
      b.append(text(r));
    }
    for (int i = 0; i < children; i++) {
      if (r.nextInt(10) == 0) {
        b.append(Mutations.pick(r, List.of("<!-- c -->", "<?pi x?>", " ", "\n", "<![CDATA[x]]>")));
      }
      String child =
          kids.isEmpty() || r.nextInt(12) == 0
              ? Mutations.pick(r, kind.elements())
              : Mutations.pick(r, kids);
      element(r, kind, child, b, depth + 1);
    }
    b.append("</").append(prefix).append(name).append('>');
  }

  private static String text(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> "";
      case 1 -> " ";
      case 2 -> "&e;";
      case 3 -> "&g;";
      case 4 -> "<![CDATA[" + Mutations.randomString(r, 10, "ab<&]>") + "]]>";
      case 5 -> Mutations.interestingNumber(r);
      case 6 ->
          Mutations.pick(
              r,
              List.of(
                  "GET",
                  "PUT",
                  "POST",
                  "DELETE",
                  "HEAD",
                  "*",
                  "http://*.a.*",
                  "aws:kms",
                  "AES256",
                  "FULL_CONTROL",
                  "true",
                  "false",
                  "Enabled",
                  "null",
                  "aws:x"));
      case 7 -> Mutations.pick(r, List.of("&#0;", "&#x1F600;", "&#xD800;", "&amp;&lt;", "&bogus;"));
      default -> Mutations.randomString(r, 12, "abcXYZ019 -_./*é\u0001");
    };
  }

  // ---------------------------------------------------------------- the property

  private static String parse(Input in) throws IOException {
    Object doc;
    try {
      doc = S3Xml.read(new ByteArrayInputStream(in.xml()), in.kind().type());
    } catch (S3Exception e) {
      assertThat(e.error()).as(e.getMessage()).isEqualTo(S3Error.MALFORMED_XML);
      return "MalformedXML";
    }
    assertThat(doc).isInstanceOf(in.kind().type());
    assertWalkable(doc, in.kind().type().getSimpleName());
    assertThat(String.valueOf(doc)).as("an external entity was read").doesNotContain(MARKER);
    assertThat(S3Xml.readOptional(new ByteArrayInputStream(in.xml()), in.kind().type()))
        .isEqualTo(doc);
    // What handlers check next, where it needs no server.
    try {
      if (doc instanceof ConfigDocuments.CorsConfiguration cors) {
        CorsRules.validate(cors);
      } else if (doc instanceof ConfigDocuments.Tagging tagging) {
        Tags.fromDocument(tagging, Tags.MAX_BUCKET_TAGS);
      }
    } catch (S3Exception e) {
      assertThat(e.error().status())
          .as("%s %s: a 4xx", e.error(), e.getMessage())
          .isBetween(400, 499);
      return "refused: " + e.error().code();
    }
    return "parsed";
  }

  /** No null in any list of the document, at any depth: handlers dereference every element. */
  private static void assertWalkable(Object value, String path) {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        assertThat(list.get(i)).as("%s[%d] is null", path, i).isNotNull();
        assertWalkable(list.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> assertWalkable(v, path + "." + k));
    } else if (value != null && value.getClass().isRecord()) {
      for (RecordComponent c : value.getClass().getRecordComponents()) {
        try {
          assertWalkable(c.getAccessor().invoke(value), path + "." + c.getName());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  @Test
  void read_hostileDocuments_returnAWalkableDocumentOrThrowMalformedXml() {
    Fuzz.Outcomes o =
        Fuzz.of("xml-documents", RequestDocumentsFuzzTest::document)
            .tries(12000)
            .seed(6)
            .check(RequestDocumentsFuzzTest::parse);
    assertThat(o.count("parsed")).as("parsed").isGreaterThanOrEqualTo(o.tries() / 20);
    assertThat(o.count("MalformedXML")).as("refused").isGreaterThanOrEqualTo(o.tries() / 20);
  }
}
