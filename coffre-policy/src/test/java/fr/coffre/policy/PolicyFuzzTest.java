package fr.coffre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.testing.Fuzz;
import fr.coffre.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the policy parser, and the evaluation of whatever it accepts: policies come from clients
 * (PutBucketPolicy, the admin API), and a policy that parses is then evaluated on every request,
 * with request values that come from clients too. Whatever the text, parsing returns a policy or
 * throws {@link MalformedPolicyException}; whatever the request, evaluating an accepted policy
 * returns a decision. Nothing else may escape: either would be a 500, the second on every request
 * to the bucket.
 */
class PolicyFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BUCKET = "photos";
  private static final String OWNER = "111122223333";

  private static final List<String> VALID =
      List.of(
          """
      {"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":"*",
       "Action":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/*"],
       "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]},
       "Bool":{"aws:SecureTransport":"true"}}}]}""",
          """
      {"Version":"2012-10-17","Id":"home","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":
       ["arn:aws:iam::111122223333:user/alice","444455556666"]},"NotAction":"s3:Get*",
       "NotResource":"arn:aws:s3:::photos/${aws:username}/*","Condition":{"StringNotLike":
       {"s3:prefix":["${aws:username}/*","${s3:x, 'd''x'}","a${*}b${?}c${$}"]},
       "NumericLessThanEquals":{"s3:max-keys":["10","1e3","-2.5"]},
       "DateGreaterThan":{"aws:CurrentTime":"2025-01-31T12:00:00+01:00"},
       "ForAllValues:StringEqualsIgnoreCase":{"s3:RequestObjectTagKeys":["A","b"]},
       "Null":{"s3:x-amz-server-side-encryption":"true"}}}}""",
          """
      {"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
       "Action":"*","Resource":"arn:aws:s3:::photos/a?c*${aws:username}",
       "Condition":{"DateLessThanEquals":{"aws:EpochTime":["1735689600","2025-01-01"]},
       "NotIpAddress":{"aws:SourceIp":"::ffff:192.0.2.1/120"},
       "StringEqualsIfExists":{"aws:UserAgent":"x"}}}]}""",
          """
      {"Statement":[{"Effect":"Allow","Principal":"*","Action":"coffre:ExportAuditTrail",
       "Resource":"*"},{"Sid":"2","Effect":"Deny","Principal":{"AWS":["*"]},"Action":"s3:Delete*",
       "Resource":"arn:aws:s3:::photos/*","Condition":{"ForAnyValue:NumericGreaterThan":
       {"s3:object-size":[1,2.5,true]}}}]}""");

  private static final List<String> DICTIONARY =
      List.of(
          "{",
          "}",
          "[",
          "]",
          "\"",
          ":",
          ",",
          "\\",
          "\\u0000",
          "\\ud800",
          "\\udc00\\ud800",
          "\\\"",
          "null",
          "true",
          "false",
          "[[[[[[[[",
          "{\"a\":{\"a\":",
          "\"Statement\"",
          "\"Effect\"",
          "\"Allow\"",
          "\"Deny\"",
          "\"Principal\"",
          "\"NotPrincipal\"",
          "\"AWS\"",
          "\"Action\"",
          "\"NotAction\"",
          "\"Resource\"",
          "\"NotResource\"",
          "\"Condition\"",
          "\"Version\"",
          "\"2012-10-17\"",
          "\"Sid\"",
          "${",
          "}",
          "${aws:username}",
          "${s3:x, '",
          "'",
          "''",
          "*",
          "?",
          "/",
          "arn:aws:s3:::",
          "arn:aws:iam::",
          ":root",
          ":user/",
          "s3:",
          "aws:",
          "IfExists",
          "ForAnyValue:",
          "ForAllValues:",
          "StringLike",
          "NumericEquals",
          "DateEquals",
          "IpAddress",
          "Bool",
          "Null",
          "::",
          "::ffff:",
          ".",
          "/",
          "/129",
          "/33",
          "/-1",
          "%eth0",
          "T",
          "Z",
          "+01:00",
          "e",
          "E",
          "-",
          "1e99999",
          "\u00e9",
          "\ud83d\ude00",
          "\u0000",
          " ",
          "\t",
          "\n");

  private static final List<String> OPERATORS =
      List.of(
          "StringEquals",
          "StringNotEquals",
          "StringEqualsIgnoreCase",
          "StringNotEqualsIgnoreCase",
          "StringLike",
          "StringNotLike",
          "NumericEquals",
          "NumericNotEquals",
          "NumericLessThan",
          "NumericLessThanEquals",
          "NumericGreaterThan",
          "NumericGreaterThanEquals",
          "DateEquals",
          "DateNotEquals",
          "DateLessThan",
          "DateLessThanEquals",
          "DateGreaterThan",
          "DateGreaterThanEquals",
          "Bool",
          "IpAddress",
          "NotIpAddress",
          "Null",
          "stringequals",
          "StringEqualz",
          "",
          "IfExists",
          "ForAnyValue:",
          "Null IfExists");

  private static final List<String> KEYS =
      List.of(
          "aws:SourceIp",
          "aws:SecureTransport",
          "aws:CurrentTime",
          "aws:EpochTime",
          "aws:UserAgent",
          "aws:username",
          "aws:userid",
          "aws:PrincipalType",
          "s3:prefix",
          "s3:delimiter",
          "s3:max-keys",
          "s3:x-amz-acl",
          "s3:object-size",
          "s3:ExistingObjectTag/k",
          "S3:Prefix",
          "aws:",
          "ec2:x",
          "s3:a b",
          "aws:x\u0000",
          "nocolon",
          "");

  /** Values at the edges of what each condition family parses. */
  private static final List<String> VALUES =
      List.of(
          "",
          "*",
          "?",
          "x",
          "${aws:username}",
          "${",
          "${}",
          "${aws:x",
          "${aws:x, 'd'}",
          "${aws:x, d}",
          "${aws:x, '}",
          "${ * }",
          "${?}${$}",
          "a*b?c",
          "true",
          "FALSE",
          "yes",
          "0",
          "-0",
          "1",
          "-1",
          "1.5",
          "1e3",
          "1e309",
          "-1e-400",
          "9223372036854775807",
          "9223372036854775808",
          "123456789012345678",
          "1234567890123456789",
          "-",
          ".",
          "1.",
          ".5",
          "1e",
          "1e+",
          "NaN",
          "Infinity",
          "0x10",
          "2025-01-01",
          "2025-02-30",
          "2025-01-01T00:00:00Z",
          "2025-01-01T00:00:00",
          "2025-01-01t00:00:00+14:00",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01",
          "9223372036854775",
          "92233720368547758",
          "-9223372036854776",
          "2025-13-01",
          "T",
          "203.0.113.7",
          "203.0.113.0/24",
          "203.0.113.0/33",
          "203.0.113.0/",
          "203.0.113.0/0",
          "0.0.0.0/0",
          "256.1.1.1",
          "1.2.3",
          "1.2.3.4.5",
          "01.2.3.4",
          "2001:db8::/32",
          "::",
          "::/0",
          "::/129",
          ":::",
          "1::2::3",
          "::ffff:1.2.3.4",
          "::ffff:1.2.3.4/95",
          "::ffff:1.2.3.4/128",
          "1:2:3:4:5:6:7:8",
          "1:2:3:4:5:6:7:8:9",
          "1:2:3:4:5:6:1.2.3.4",
          "1:2:3:4:5:6:7:1.2.3.4",
          "fe80::1%eth0",
          "fe80::1%eth0/64",
          "::1.2.3.4",
          "1.2.3.4/0032",
          "\u0661\u0662\u0663.1.1.1",
          "\uff11::",
          "arn:aws:s3:::photos/*",
          "arn:aws:s3:::other",
          "arn:aws:s3:::",
          "arn:aws:s3:::photos*",
          "arn:aws:iam::111122223333:root",
          "arn:aws:iam::111122223333:user/alice",
          "arn:aws:iam::111122223333:user/",
          "111122223333",
          "11112222333",
          "s3:GetObject",
          "s3:*",
          "S3:get*",
          "s3:",
          "s3:Get-Object",
          "coffre:ExportAuditTrail",
          "iam:CreateUser",
          "\u00e9",
          "\ud800",
          "\u0000");

  // ---------------------------------------------------------------- generators

  /**
   * Policies built element by element; each choice takes an invalid alternative with a small
   * probability (for half of the policies) or a large one, so that both acceptance and every
   * refusal are reached.
   */
  private static String structured(Random random) {
    Gen g = new Gen(random, random.nextBoolean() ? 0.01 : 0.25);
    ObjectNode root = NODES.objectNode();
    if (!g.bad(5)) {
      root.set(
          "Version",
          g.bad()
              ? scalar(random)
              : NODES.textNode(random.nextBoolean() ? "2012-10-17" : "2008-10-17"));
    }
    if (random.nextInt(6) == 0) {
      root.set("Id", g.bad() ? scalar(random) : NODES.textNode(value(random)));
    }
    if (g.bad(0.1)) {
      root.set(random.nextBoolean() ? "statement" : "Other", NODES.textNode("x"));
    }
    if (!g.bad(0.1)) {
      int n = 1 + random.nextInt(random.nextInt(6) == 0 ? 12 : 3);
      if (n == 1 && random.nextBoolean()) {
        root.set("Statement", g.statement());
      } else {
        ArrayNode statements = root.putArray("Statement");
        for (int i = 0; i < n; i++) {
          statements.add(g.bad(0.2) ? scalar(random) : g.statement());
        }
      }
    }
    return random.nextInt(20) == 0 ? root.toPrettyString() : root.toString();
  }

  /** Draws the parts of a policy, each invalid with probability {@code badRate}. */
  private record Gen(Random r, double badRate) {
    boolean bad() {
      return r.nextDouble() < badRate;
    }

    /** Rarer than {@link #bad()} by {@code factor} (less than 1) or more often (more than 1). */
    boolean bad(double factor) {
      return r.nextDouble() < badRate * factor;
    }

    ObjectNode statement() {
      ObjectNode s = NODES.objectNode();
      if (r.nextInt(4) == 0) {
        s.put("Sid", r.nextInt(3) == 0 ? "same" : Mutations.randomString(r, 8, "abcAB01 _-"));
      }
      if (!bad(0.3)) {
        s.set("Effect", bad() ? scalar(r) : NODES.textNode(r.nextBoolean() ? "Allow" : "Deny"));
      }
      // Principal: needed in bucket policies, refused in identity ones; either way both kinds are
      // tried.
      if (r.nextInt(3) > 0) {
        s.set(r.nextInt(8) > 0 ? "Principal" : "NotPrincipal", principal());
      }
      if (bad(0.2)) {
        s.set("NotPrincipal", principal());
      }
      s.set(r.nextInt(6) > 0 ? "Action" : "NotAction", strings(this::action));
      if (bad(0.2)) {
        s.set("NotAction", strings(this::action));
      }
      s.set(r.nextInt(6) > 0 ? "Resource" : "NotResource", strings(this::resource));
      if (r.nextInt(2) == 0) {
        s.set("Condition", condition());
      }
      if (bad(0.2)) {
        s.put(r.nextBoolean() ? "effect" : "Extra", "x");
      }
      return s;
    }

    JsonNode principal() {
      if (bad()) {
        return switch (r.nextInt(4)) {
          case 0 -> NODES.textNode(value(r));
          case 1 -> scalar(r);
          case 2 -> NODES.objectNode();
          default -> NODES.objectNode().set("Service", strings(this::principalValue));
        };
      }
      return r.nextInt(3) == 0
          ? NODES.textNode("*")
          : NODES.objectNode().set("AWS", strings(this::principalValue));
    }

    String principalValue(Random ignored) {
      if (bad()) {
        return r.nextBoolean()
            ? value(r)
            : "arn:aws:iam::"
                + OWNER
                + ":user/"
                + Mutations.randomString(r, 70, "ab+=,.@_-/*\u00e9");
      }
      return switch (r.nextInt(4)) {
        case 0 -> "*";
        case 1 -> OWNER;
        case 2 -> "arn:aws:iam::" + OWNER + ":root";
        default ->
            "arn:aws:iam::444455556666:user/" + Mutations.randomString(r, 8, "ab+=,.@_-") + "x";
      };
    }

    String action(Random ignored) {
      if (bad()) {
        return r.nextBoolean()
            ? value(r)
            : "s3:" + Mutations.randomString(r, 12, "GetObjectList*?-/ ");
      }
      return Mutations.pick(
          r,
          List.of(
              "*",
              "s3:*",
              "s3:GetObject",
              "s3:Get*",
              "s3:?ut*",
              "coffre:ExportAuditTrail",
              "S3:PUTOBJECT",
              "s3:List*",
              "s3:DeleteObject"));
    }

    String resource(Random ignored) {
      if (bad()) {
        return r.nextBoolean()
            ? value(r)
            : "arn:aws:s3:::other/" + Mutations.randomString(r, 8, "ab*");
      }
      return switch (r.nextInt(4)) {
        case 0 -> "arn:aws:s3:::" + BUCKET;
        case 1 ->
            "arn:aws:s3:::"
                + BUCKET
                + "/${"
                + Mutations.pick(
                    r,
                    List.of(
                        "aws:username", "s3:prefix", "aws:userid", "aws:PrincipalAccount", "s3:x"))
                + (r.nextBoolean() ? "}" : ", 'd''f'}");
        default ->
            "arn:aws:s3:::" + BUCKET + "/" + Mutations.randomString(r, 20, "ab/*?$ ,:\u00e9");
      };
    }

    JsonNode condition() {
      if (bad(0.2)) {
        return scalar(r);
      }
      ObjectNode c = NODES.objectNode();
      int operators = 1 + r.nextInt(3);
      for (int i = 0; i < operators; i++) {
        ConditionOperator.Base base = Mutations.pick(r, List.of(ConditionOperator.Base.values()));
        String op = base.awsName;
        if (base != ConditionOperator.Base.NULL && r.nextInt(3) == 0) {
          op =
              Mutations.pick(r, List.of("", "ForAnyValue:", "ForAllValues:"))
                  + op
                  + (r.nextBoolean() ? "IfExists" : "");
        }
        if (bad()) {
          op =
              r.nextBoolean()
                  ? Mutations.pick(r, OPERATORS)
                  : Mutations.mutate(r, op, 40, DICTIONARY);
        }
        if (bad(0.2)) {
          c.set(op, r.nextBoolean() ? scalar(r) : NODES.objectNode());
          continue;
        }
        ObjectNode keys = c.putObject(op);
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
          keys.set(
              bad() ? Mutations.pick(r, KEYS) : Mutations.pick(r, KEYS.subList(0, 14)),
              operands(base));
        }
      }
      return c;
    }

    JsonNode operands(ConditionOperator.Base base) {
      if (bad()) {
        return switch (r.nextInt(4)) {
          case 0 -> NODES.arrayNode();
          case 1 -> NODES.objectNode();
          case 2 -> NODES.arrayNode().add(NODES.arrayNode());
          default -> strings(x -> value(r));
        };
      }
      return strings(x -> operand(base.family));
    }

    /** A value of the family's syntax, often at its edges. */
    String operand(ConditionOperator.Family family) {
      return switch (family) {
        case STRING -> r.nextBoolean() ? value(r) : Mutations.randomString(r, 10, "ab*?${}'");
        case NUMERIC ->
            Mutations.pick(
                r,
                List.of(
                    "0",
                    "-0",
                    "-1",
                    "1.5",
                    "1e3",
                    "-1e-400",
                    "9223372036854775807",
                    "123456789012345678",
                    "1234567890123456789",
                    Long.toString(r.nextLong()),
                    r.nextDouble() * 1e300 + ""));
        case DATE ->
            Mutations.pick(
                r,
                List.of(
                    "2025-01-01",
                    "2025-01-01T00:00:00Z",
                    "2025-01-01T00:00:00",
                    "2025-01-01t00:00:00+14:00",
                    "+999999999-12-31T23:59:59Z",
                    "-999999999-01-01",
                    "9223372036854775",
                    "-9223372036854775",
                    "0",
                    Long.toString(r.nextInt())));
        case BOOL, NULL -> Mutations.pick(r, List.of("true", "false", "TRUE", "False"));
        case IP ->
            Mutations.pick(
                r,
                List.of(
                    "203.0.113.7",
                    "203.0.113.0/24",
                    "0.0.0.0/0",
                    "2001:db8::/32",
                    "::",
                    "::/0",
                    "::ffff:1.2.3.4",
                    "::ffff:1.2.3.4/96",
                    "1:2:3:4:5:6:7:8",
                    "1:2:3:4:5:6:1.2.3.4",
                    "::1.2.3.4",
                    "fe80::1",
                    "1.2.3.4/032"));
      };
    }

    JsonNode strings(java.util.function.Function<Random, String> one) {
      if (bad(0.5)) {
        return r.nextBoolean() ? scalar(r) : NODES.arrayNode();
      }
      if (r.nextBoolean()) {
        return NODES.textNode(one.apply(r));
      }
      ArrayNode a = NODES.arrayNode();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        a.add(bad(0.1) ? scalar(r) : NODES.textNode(one.apply(r)));
      }
      return a;
    }
  }

  private static String value(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> Mutations.randomString(r, 24, "ab*?${}',:/.-0123456789eETZ ");
      case 1 -> Mutations.mutate(r, Mutations.pick(r, VALUES), 64, DICTIONARY);
      default -> Mutations.pick(r, VALUES);
    };
  }

  private static JsonNode scalar(Random r) {
    return switch (r.nextInt(7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(r.nextBoolean());
      case 2 -> NODES.numberNode(r.nextLong());
      case 3 -> NODES.numberNode(r.nextDouble() * 1e300);
      case 4 -> NODES.numberNode(new java.math.BigInteger(100, r));
      case 5 -> NODES.textNode(Mutations.pick(r, VALUES));
      default -> NODES.numberNode(new java.math.BigDecimal("1e-400"));
    };
  }

  /** A valid policy, or a built one, with a few random edits to its text. */
  private static String mutated(Random r) {
    String base = r.nextInt(3) == 0 ? structured(r) : Mutations.pick(r, VALID);
    return Mutations.mutate(r, base, Policy.MAX_BYTES + 64, DICTIONARY);
  }

  /**
   * Anything: random bytes read as UTF-8 (what the HTTP layer hands over), or nesting thousands
   * deep.
   */
  private static String noise(Random r) {
    if (r.nextInt(8) == 0) {
      int depth = Mutations.pick(r, List.of(999, 1000, 1001, 5000, 10_000));
      String open = Mutations.pick(r, List.of("[", "{\"a\":", "{\"Statement\":"));
      return "{\"Statement\":" + open.repeat(depth) + (r.nextBoolean() ? "1" : "");
    }
    byte[] b = Mutations.randomBytes(r, 2048);
    if (r.nextBoolean() && b.length > 0) {
      b[0] = '{';
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- the property

  private record Request(RequestContext ctx, Caller caller, String action, String resource) {}

  private static Request request(Random r) {
    Caller caller =
        switch (r.nextInt(4)) {
          case 0 -> Caller.anonymousCaller();
          case 1 -> Caller.root(r.nextBoolean() ? OWNER : "444455556666");
          default ->
              Caller.user(
                  r.nextBoolean() ? OWNER : "444455556666", r.nextBoolean() ? "alice" : "a=b,c@d");
        };
    String action =
        Mutations.pick(
            r,
            List.of(
                "s3:GetObject",
                "s3:PutObject",
                "s3:ListBucket",
                "s3:DeleteObject",
                "s3:PutBucketPolicy",
                "s3:GetBucketPolicy",
                "coffre:ExportAuditTrail"));
    // Keys and request values are the client's: anything may be in them.
    String resource = "arn:aws:s3:::" + BUCKET + (r.nextBoolean() ? "" : "/" + value(r));
    Map<String, List<String>> keys = new HashMap<>();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      List<String> values = new ArrayList<>();
      int m = 1 + r.nextInt(3);
      for (int k = 0; k < m; k++) {
        values.add(value(r));
      }
      keys.putIfAbsent(Mutations.pick(r, KEYS).toLowerCase(java.util.Locale.ROOT), values);
    }
    return new Request(
        new RequestContext(caller, action, resource, keys), caller, action, resource);
  }

  /** Parses as both kinds; evaluates what parses on random requests. */
  private static String parseAndEvaluate(String json, Random r) {
    String label = "malformed";
    for (boolean bucketPolicy : new boolean[] {true, false}) {
      Policy policy;
      try {
        policy =
            bucketPolicy
                ? Policy.parseBucketPolicy(json, BUCKET)
                : Policy.parse(json, PolicyKind.IDENTITY);
      } catch (MalformedPolicyException e) {
        assertThat(e.getMessage()).as("message").isNotBlank();
        continue;
      }
      label = "ok";
      assertThat(policy.json()).isEqualTo(json);
      for (int i = 0; i < 4; i++) {
        Request q = request(r);
        Decision d =
            bucketPolicy
                ? AccessDecision.decide(q.ctx(), OWNER, List.of(), policy)
                : AccessDecision.decide(q.ctx(), OWNER, List.of(policy), null);
        assertThat(d).isNotNull();
        assertThat(policy.evaluate(q.ctx())).isNotNull();
        assertThat(
                bucketPolicy
                    ? AccessDecision.review(
                        q.caller(), q.action(), q.resource(), OWNER, List.of(), policy)
                    : AccessDecision.review(
                        q.caller(), q.action(), q.resource(), OWNER, List.of(policy), null))
            .isNotNull();
      }
    }
    return label;
  }

  private record Input(String json, long requestSeed) {
    @Override
    public String toString() {
      return Fuzz.literal(json) + " (requests drawn from seed " + requestSeed + ")";
    }
  }

  private static Fuzz.Outcomes run(
      String name, java.util.function.Function<Random, String> generator, int tries) {
    return Fuzz.of(name, r -> new Input(generator.apply(r), r.nextLong()))
        .tries(tries)
        .seed(20261205L + name.hashCode())
        .check(in -> parseAndEvaluate(in.json(), new Random(in.requestSeed())));
  }

  @Test
  void parse_builtPolicies_returnAPolicyThatEvaluatesOrThrowMalformedPolicy() {
    Fuzz.Outcomes o = run("policy-built", PolicyFuzzTest::structured, 8000);
    // Both sides are reached: the generator is neither all valid nor all refused at the first
    // check.
    assertThat(o.count("ok")).as("parsed").isGreaterThanOrEqualTo(o.tries() / 10);
    assertThat(o.count("malformed")).as("refused").isGreaterThanOrEqualTo(o.tries() / 10);
  }

  @Test
  void parse_mutatedPolicies_returnAPolicyThatEvaluatesOrThrowMalformedPolicy() {
    Fuzz.Outcomes o = run("policy-mutated", PolicyFuzzTest::mutated, 8000);
    assertThat(o.count("ok")).as("parsed").isGreaterThanOrEqualTo(o.tries() / 200);
  }

  @Test
  void parse_noise_throwsMalformedPolicy() {
    run("policy-noise", PolicyFuzzTest::noise, 5000);
  }
}
