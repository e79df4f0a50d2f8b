package fr.coffre.s3.post;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.SigV4;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes browser form uploads: the multipart/form-data reader ({@link PostForm}), then what the
 * handler does with the fields before storing anything, the signature ({@link PostSignature}) and
 * the policy ({@link PostPolicy}). Forms are signed ones damaged at random (boundaries, headers,
 * parts, the policy's base64 and JSON), under any Content-Type. Each step returns or throws a 4xx
 * S3 error; reading the file part may also end in the reader's own error for a malformed stream,
 * which the object service reports as IncompleteBody.
 */
class PostFormFuzzTest {
  private static final String AKID = "AKIAFORMEXAMPLE";
  private static final String SECRET = "form/Secret+EXAMPLE";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final String CREDENTIAL = AKID + "/20261205/eu-west-3/s3/aws4_request";

  private static final List<String> FORM_WORDS =
      List.of(
          "\r\n",
          "\r\n\r\n",
          "--",
          "--\r\n",
          "\"",
          ";",
          ":",
          "=",
          "Content-Disposition: form-data; name=\"",
          "Content-Disposition: form-data; name=\"file\"; filename=\"",
          "Content-Disposition: attachment",
          "Content-Type: text/plain; charset=UTF-16\r\n",
          "name=",
          "filename=",
          "filename*=UTF-8''%C3%A9",
          "name*=",
          "\\\"",
          "\u00e9",
          "\u0000",
          "\uffff",
          "file",
          "policy",
          "key",
          "x-amz-signature",
          "${filename}");

  private static final List<String> POLICY_WORDS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          "\"",
          ":",
          ",",
          "\"expiration\"",
          "\"conditions\"",
          "\"eq\"",
          "\"starts-with\"",
          "\"content-length-range\"",
          "\"$key\"",
          "\"$\"",
          "null",
          "true",
          "2026-12-05T12:00:00Z",
          "1e999",
          "-1",
          "[[[[[[[[[[[[",
          "{\"a\":",
          "\\u0000",
          "\\ud800");

  /** A form body, the Content-Type it came with, and the seed of what follows. */
  private record Form(String contentType, byte[] body) {
    @Override
    public String toString() {
      return "Content-Type " + Fuzz.literal(contentType) + ", body " + Fuzz.literal(body);
    }
  }

  /** A policy naming exactly the fields given (and the bucket and key), sometimes damaged. */
  private static String policyJson(Random r, List<String[]> fields) {
    List<String> conditions =
        new ArrayList<>(List.of("{\"bucket\":\"forms\"}", "[\"starts-with\",\"$key\",\"user/\"]"));
    for (String[] f : fields) {
      if (!f[0].equals("key")) {
        conditions.add(
            r.nextBoolean()
                ? "{\"" + f[0] + "\":\"" + f[1] + "\"}"
                : "[\"eq\",\"$" + f[0] + "\",\"" + f[1] + "\"]");
      }
    }
    if (r.nextBoolean()) {
      conditions.add(
          "[\"content-length-range\","
              + (r.nextBoolean()
                  ? "0,1000"
                  : Mutations.interestingNumber(r) + "," + Mutations.interestingNumber(r))
              + "]");
    }
    java.util.Collections.shuffle(conditions, r);
    String expiration =
        r.nextInt(8) > 0
            ? "2026-12-05T13:00:00.000Z"
            : Mutations.pick(
                r,
                List.of(
                    "2026-12-05T11:00:00Z",
                    "2026-12-05",
                    "+1000000000-01-01T00:00:00Z",
                    "",
                    "now"));
    String json =
        "{\"expiration\":\""
            + expiration
            + "\",\"conditions\":["
            + String.join(",", conditions)
            + "]}";
    return r.nextInt(3) == 0 ? Mutations.mutate(r, json, 4096, POLICY_WORDS) : json;
  }

  private static String signature(String policy) {
    byte[] key = SigV4.signingKey(SECRET, "20261205", "eu-west-3", "s3");
    return SigV4.hmacSha256Hex(key, policy);
  }

  private static Form form(Random r) {
    String boundary =
        r.nextInt(4) > 0
            ? "----coffreBoundary" + Long.toHexString(r.nextLong())
            : Mutations.randomString(r, 75, "ab-_'()+,./:=? \"\u00e9;");
    boolean v4 = r.nextInt(5) > 0;
    List<String[]> signed = new ArrayList<>();
    signed.add(new String[] {"key", r.nextBoolean() ? "user/${filename}" : "user/a.png"});
    if (v4) {
      signed.add(new String[] {"x-amz-algorithm", "AWS4-HMAC-SHA256"});
      signed.add(
          new String[] {
            "x-amz-credential",
            r.nextInt(10) > 0
                ? CREDENTIAL
                : Mutations.mutate(r, CREDENTIAL, 200, List.of("/", "s3", "aws4_request"))
          });
      signed.add(new String[] {"x-amz-date", "20261205T120000Z"});
    }
    if (r.nextBoolean()) {
      signed.add(new String[] {"Content-Type", "image/png"});
    }
    if (r.nextBoolean()) {
      signed.add(new String[] {"success_action_status", "201"});
    }
    if (r.nextInt(4) == 0) {
      signed.add(
          new String[] {
            Mutations.pick(r, List.of("x-amz-meta-tag", "x-ignore-x", "extra", "tagging", "acl")),
            Mutations.randomString(r, 20, "ab<>/&=;\u00e9")
          });
    }
    String policy = Base64.getEncoder().encodeToString(policyJson(r, signed).getBytes(UTF_8));
    if (r.nextInt(10) == 0) {
      policy = Mutations.mutate(r, policy, 4096, List.of("=", "==", "\r\n", "*", "-", "_"));
    }
    List<String[]> fields = new ArrayList<>(signed);
    fields.add(new String[] {"policy", policy});
    if (v4) {
      fields.add(new String[] {"X-Amz-Signature", signature(policy)});
    } else {
      fields.add(new String[] {"AWSAccessKeyId", AKID});
      fields.add(new String[] {"signature", Mutations.pick(r, List.of("", "AAAA", "!!", "abc="))});
    }
    if (r.nextInt(8) == 0) {
      // a field the policy does not name
      fields.add(
          new String[] {
            Mutations.pick(
                r,
                List.of("x-amz-meta-other", "x-ignore-y", "x-amz-checksum-crc32", "Policy", "KEY")),
            "v"
          });
    }
    java.util.Collections.shuffle(fields, r);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Browsers send the file last; S3 ignores the fields after it, which the policy may then miss.
    int filePosition = r.nextInt(4) > 0 ? fields.size() : r.nextInt(fields.size() + 1);
    for (int i = 0; i <= fields.size(); i++) {
      if (i == filePosition && r.nextInt(10) > 0) {
        out.writeBytes(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + Mutations.pick(r, List.of("photo.png", "", "a\\\"b.png", "\u00e9.png"))
                    + "\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(UTF_8));
        out.writeBytes(Mutations.randomBytes(r, 600));
        out.writeBytes("\r\n".getBytes(UTF_8));
      }
      if (i < fields.size()) {
        out.writeBytes(
            ("--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + fields.get(i)[0]
                    + "\"\r\n\r\n"
                    + fields.get(i)[1]
                    + "\r\n")
                .getBytes(UTF_8));
      }
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(UTF_8));
    byte[] body = out.toByteArray();
    if (r.nextInt(3) == 0) {
      List<String> words = new ArrayList<>(FORM_WORDS);
      words.add("--" + boundary);
      words.add("\r\n--" + boundary + "\r\n");
      body = Mutations.mutate(r, body, 64 * 1024, words);
    } else if (r.nextInt(10) == 0) {
      body = Mutations.randomBytes(r, 2000);
    }
    String quoted = r.nextBoolean() ? boundary : "\"" + boundary + "\"";
    String contentType =
        switch (r.nextInt(12)) {
          case 0 -> null;
          case 1 -> "multipart/form-data";
          case 2 -> "multipart/form-data; boundary=";
          case 3 -> "multipart/form-data; charset=UTF-8, Boundary=" + quoted;
          case 4 -> Mutations.mutate(r, "multipart/form-data; boundary=" + quoted, 200, FORM_WORDS);
          default -> "multipart/form-data; boundary=" + quoted;
        };
    return new Form(contentType, body);
  }

  private static final Map<String, String> KEYS = Map.of(AKID, SECRET);

  /**
   * What PostObjectHandler does before storing: read the form, check its signature and policy, read
   * the file.
   */
  private static String handle(Form f) throws IOException {
    try {
      PostForm form = PostForm.read(new ByteArrayInputStream(f.body()), f.contentType());
      Map<String, String> fields = form.fields();
      String signer = PostSignature.verify(fields, k -> Optional.ofNullable(KEYS.get(k)));
      assertThat(signer).isEqualTo(AKID);
      PostPolicy policy = PostPolicy.parse(fields.get("policy"));
      policy.check(fields, "forms", NOW);
      try (InputStream file =
          new LengthRange(form.file(), policy.minLength(), policy.maxLength())) {
        file.readNBytes(1 << 20);
      } catch (FileUploadException e) {
        return "file: malformed stream";
      }
      return "accepted";
    } catch (S3Exception e) {
      assertThat(e.error().status())
          .as("%s %s: a 4xx", e.error(), e.getMessage())
          .isBetween(400, 499);
      return e.error().code();
    }
  }

  @Test
  void post_hostileForms_areAcceptedOrRefusedWithAClientError() {
    Fuzz.Outcomes o =
        Fuzz.of("post-form", PostFormFuzzTest::form)
            .tries(10000)
            .seed(7)
            .check(PostFormFuzzTest::handle);
    assertThat(o.count("accepted")).as("accepted").isGreaterThanOrEqualTo(o.tries() / 50);
    assertThat(o.countOther("accepted")).as("refused").isGreaterThanOrEqualTo(o.tries() / 5);
  }

  /** A policy field: base64 of built or damaged JSON, or not base64 at all. */
  private static String policyField(Random r) {
    return switch (r.nextInt(7)) {
      case 6 ->
          Base64.getEncoder()
              .encodeToString(
                  ("{\"expiration\":\"2026-12-05T13:00:00Z\",\"conditions\":"
                          + "[".repeat(Mutations.pick(r, List.of(999, 1000, 1001, 15_000))))
                      .getBytes(UTF_8));
      case 0 -> Mutations.randomString(r, 200, "ABCabc019+/=\r\n -_*");
      case 1 -> Base64.getMimeEncoder().encodeToString(Mutations.randomBytes(r, 300));
      default -> Base64.getEncoder().encodeToString(policyJson(r, List.of()).getBytes(UTF_8));
    };
  }

  @Test
  void parse_hostilePolicies_parseOrThrowInvalidPolicyDocument() {
    Fuzz.Outcomes o =
        Fuzz.of(
                "post-policy",
                r ->
                    new String[] {
                      policyField(r),
                      (r.nextInt(4) > 0 ? "user/" : "")
                          + Mutations.randomString(r, 30, "user/abc${}\u00e9")
                    })
            .tries(8000)
            .seed(8)
            .shownAs(p -> "policy " + Fuzz.literal(p[0]) + ", key " + Fuzz.literal(p[1]))
            .check(
                p -> {
                  try {
                    PostPolicy policy = PostPolicy.parse(p[0]);
                    policy.check(Map.of("key", p[1], "policy", p[0]), "forms", NOW);
                    return "accepted";
                  } catch (S3Exception e) {
                    assertThat(e.error().status())
                        .as("%s %s: a 4xx", e.error(), e.getMessage())
                        .isBetween(400, 499);
                    return e.error().code();
                  }
                });
    assertThat(o.count("accepted")).as("accepted").isGreaterThanOrEqualTo(o.tries() / 50);
  }
}
