package fr.coffre.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an access decision costs per S3 request: a cross-account ListBucket (so both the caller's
 * identity policy and the bucket policy must allow it), with policies of 1 statement or of 50 where
 * the matching statement is last. The matching bucket statement has three conditions (IpAddress,
 * StringLike on s3:prefix, Bool on aws:SecureTransport); with 50 statements the bucket policy also
 * carries a DenyHttp statement and decoys that fail on action, principal or resource. Run with
 * bench/policy.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBenchmark {
  private static final String OWNER = "111122223333";
  private static final Caller CAROL = Caller.user("444455556666", "carol");

  @Param({"1", "50"})
  public int statements;

  private Policy bucketPolicy;
  private List<Policy> identityPolicies;
  private RequestContext request;
  private Map<String, List<String>> keys;

  @Setup
  public void setUp() throws MalformedPolicyException {
    List<String> bucket = new ArrayList<>();
    List<String> identity = new ArrayList<>();
    if (statements > 1) {
      bucket.add(
          "{\"Sid\":\"DenyHttp\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
              + "\"Resource\":[\"arn:aws:s3:::bench\",\"arn:aws:s3:::bench/*\"],"
              + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}");
    }
    for (int i = bucket.size(); i < statements - 1; i++) {
      bucket.add(
          switch (i % 3) {
            case 0 ->
                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:user/u"
                    + i
                    + "\"},"
                    + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bench\","
                    + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"u"
                    + i
                    + "/*\"}}}";
            case 1 ->
                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"s3:PutObject\","
                    + "\"s3:Get*\"],\"Resource\":\"arn:aws:s3:::bench/dept"
                    + i
                    + "/*\"}";
            default ->
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                    + "\"Resource\":\"arn:aws:s3:::bench/public"
                    + i
                    + "/*\","
                    + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}";
          });
    }
    bucket.add(
        "{\"Sid\":\"CarolHome\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:user/carol\"},"
            + "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::bench\",\"arn:aws:s3:::bench/*\"],"
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]},"
            + "\"StringLike\":{\"s3:prefix\":\"home/${aws:username}/*\"},\"Bool\":{\"aws:SecureTransport\":\"true\"}}}");
    for (int i = 0; i < statements - 1; i++) {
      identity.add(
          "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
              + "\"Resource\":\"arn:aws:s3:::other"
              + i
              + "/*\"}");
    }
    identity.add(
        "{\"Sid\":\"ListBench\",\"Effect\":\"Allow\",\"Action\":\"s3:List*\","
            + "\"Resource\":\"arn:aws:s3:::bench\"}");
    bucketPolicy = Policy.parseBucketPolicy(document(bucket), "bench");
    identityPolicies = List.of(Policy.parse(document(identity), PolicyKind.IDENTITY));
    keys =
        Map.of(
            "aws:SourceIp",
            List.of("10.1.2.3"),
            "aws:SecureTransport",
            List.of("true"),
            "s3:prefix",
            List.of("home/carol/photos/"),
            "s3:max-keys",
            List.of("1000"),
            "aws:CurrentTime",
            List.of("2026-11-23T10:00:00Z"));
    request = new RequestContext(CAROL, "s3:ListBucket", "arn:aws:s3:::bench", keys);
    Decision d = AccessDecision.decide(request, OWNER, identityPolicies, bucketPolicy);
    if (!d.allowed()) {
      throw new IllegalStateException("the benchmark request must be allowed: " + d.reason());
    }
  }

  private static String document(List<String> statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  /** The decision alone, for a request context the S3 layer has already built. */
  @Benchmark
  public Decision decide() {
    return AccessDecision.decide(request, OWNER, identityPolicies, bucketPolicy);
  }

  /** What the S3 layer pays per request: building the context (key normalisation) and deciding. */
  @Benchmark
  public Decision contextAndDecide() {
    RequestContext ctx = new RequestContext(CAROL, "s3:ListBucket", "arn:aws:s3:::bench", keys);
    return AccessDecision.decide(ctx, OWNER, identityPolicies, bucketPolicy);
  }
}
