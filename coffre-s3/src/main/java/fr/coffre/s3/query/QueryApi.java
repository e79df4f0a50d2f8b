package fr.coffre.s3.query;

import static fr.coffre.s3.query.QueryXml.el;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.AuditEvent;
import fr.coffre.core.AuditUnavailableException;
import fr.coffre.core.CoffreException;
import fr.coffre.core.GovernanceException;
import fr.coffre.core.IdentityException;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.MalformedPolicyException;
import fr.coffre.core.Principal;
import fr.coffre.core.SealedException;
import fr.coffre.s3.RawRequest;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.auth.Authentication;
import fr.coffre.s3.auth.SigV4Request;
import fr.coffre.s3.auth.SigV4Verifier;
import fr.coffre.s3.query.QueryXml.El;
import fr.coffre.service.AccessService;
import fr.coffre.service.AuditService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.RoleService;
import fr.coffre.service.StsService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS query APIs served on the S3 endpoint, as MinIO does: a form POST ({@code
 * application/x-www-form-urlencoded}) to the root path with an {@code Action} is STS ({@code
 * AssumeRole}, {@code AssumeRoleWithWebIdentity}, {@code GetCallerIdentity}, signed for service
 * {@code sts}; the web identity call is unsigned, its token is the proof) or IAM (the {@link
 * IamActions} subset, signed for service {@code iam}). Answers and errors are AWS's XML.
 *
 * <p>Every call that reaches an action is recorded in the caller's tenant's audit chain (source
 * {@code iam} or {@code sts}, the action as operation, its non-secret parameters in details) before
 * the answer is sent; an answer that cannot be recorded is not sent. Secrets (a new key's secret,
 * session tokens, web identity tokens, policy documents) are never recorded.
 */
public final class QueryApi {
  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest form accepted: policies are at most 20 KiB, URL-encoding triples that. */
  static final int MAX_BODY = 128 * 1024;

  private static final Set<String> STS_ACTIONS =
      Set.of("AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity");

  /** Parameters recorded in the audit trail (never secrets nor documents). */
  private static final List<String> RECORDED =
      List.of(
          "UserName",
          "GroupName",
          "RoleName",
          "PolicyName",
          "PolicyArn",
          "AccessKeyId",
          "Status",
          "RoleArn",
          "RoleSessionName",
          "DurationSeconds");

  /** An answer: status, body, content type. */
  public record Answer(int status, byte[] body) {}

  private final SigV4Verifier verifier;
  private final IdentityService identities;
  private final StsService sts;
  private final IamActions iam;
  private final AuditService audit;
  private final @Nullable BooleanSupplier sealed;
  private final Clock clock;

  public QueryApi(
      SigV4Verifier verifier,
      IdentityService identities,
      RoleService roles,
      StsService sts,
      AccessService access,
      AuditService audit,
      @Nullable BooleanSupplier sealed,
      Clock clock) {
    this.verifier = verifier;
    this.identities = identities;
    this.sts = sts;
    this.iam = new IamActions(identities, roles, access);
    this.audit = audit;
    this.sealed = sealed;
    this.clock = clock;
  }

  /** Whether a request is for the query APIs: a form POST to the root path. */
  public static boolean handles(RawRequest raw) {
    String type = raw.header("content-type");
    return raw.method().equals("POST")
        && (raw.rawPath() == null || raw.rawPath().equals("/") || raw.rawPath().isEmpty())
        && (raw.rawQuery() == null || raw.rawQuery().isEmpty())
        && type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** Serves one request; never throws. */
  public Answer serve(RawRequest raw, InputStream body, String requestId) {
    String action = null;
    String ns = QueryXml.IAM_NS;
    Principal principal = null;
    Map<String, String> form = Map.of();
    try {
      if (sealed != null && sealed.getAsBoolean()) {
        throw new SealedException();
      }
      byte[] bytes = body.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new InvalidArgumentException("the request is larger than " + MAX_BODY + " bytes");
      }
      form = decode(new String(bytes, StandardCharsets.UTF_8));
      action = form.get("Action");
      boolean isSts = STS_ACTIONS.contains(action);
      if (isSts) {
        ns = QueryXml.STS_NS;
      } else if (!IamActions.ACTIONS.contains(action)) {
        return error(
            ns,
            400,
            "InvalidAction",
            "Could not find operation " + action + " for this endpoint",
            requestId);
      }
      Map<String, List<String>> conditions = conditions(raw);
      if (action.equals("AssumeRoleWithWebIdentity")) {
        StsService.WebIdentityCredentials w =
            sts.assumeRoleWithWebIdentity(
                IamActions.required(form, "RoleArn"),
                IamActions.required(form, "RoleSessionName"),
                IamActions.required(form, "WebIdentityToken"),
                duration(form));
        principal = w.credentials().principal();
        El result =
            el(
                "AssumeRoleWithWebIdentityResult",
                credentials(w.credentials()),
                el("SubjectFromWebIdentityToken", w.subject()),
                assumedRole(w.credentials()),
                el("Provider", w.provider()),
                el("Audience", w.audience()));
        return answer(raw, requestId, ns, action, form, principal, result);
      }
      String service = isSts ? "sts" : "iam";
      Authentication auth;
      try {
        auth =
            verifier.verifyQueryApi(
                SigV4Request.of(raw.method(), "/", raw.rawQuery(), raw.headers()),
                clock.instant(),
                service,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      } catch (IdentityException e) {
        // The credentials' own refusals (a signed call): as AWS answers them, 403.
        throw new S3Exception(
            e.reason() == IdentityException.Reason.EXPIRED_TOKEN
                ? S3Error.EXPIRED_TOKEN
                : S3Error.INVALID_TOKEN);
      }
      if (auth.isAnonymous()) {
        return error(
            ns,
            403,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
            requestId);
      }
      principal =
          identities
              .principal(auth.accessKey())
              .orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID));
      El result =
          switch (action) {
            case "GetCallerIdentity" ->
                el(
                    "GetCallerIdentityResult",
                    el("Arn", principal.arn()),
                    el("UserId", userId(principal)),
                    el("Account", principal.accountId()));
            case "AssumeRole" -> {
              StsService.Credentials c =
                  sts.assumeRole(
                      principal,
                      IamActions.required(form, "RoleArn"),
                      IamActions.required(form, "RoleSessionName"),
                      duration(form),
                      conditions);
              yield el("AssumeRoleResult", credentials(c), assumedRole(c));
            }
            default -> iam.handle(action, form, principal, conditions);
          };
      return answer(raw, requestId, ns, action, form, principal, result);
    } catch (Throwable t) {
      Refusal r = refusal(t, requestId);
      if (action != null && STS_ACTIONS.contains(action)) {
        ns = QueryXml.STS_NS;
      }
      if (action != null) {
        try {
          record(raw, requestId, action, form, principal, r.status(), r.code());
        } catch (RuntimeException e) {
          LOG.error(
              "request {}: the audit record of a refusal failed: {}", requestId, e.toString());
        }
      }
      return error(ns, r.status(), r.code(), r.message(), requestId);
    }
  }

  private Answer answer(
      RawRequest raw,
      String requestId,
      String ns,
      String action,
      Map<String, String> form,
      Principal principal,
      @Nullable El result) {
    record(raw, requestId, action, form, principal, 200, null);
    return new Answer(200, QueryXml.response(ns, action, result, requestId));
  }

  private void record(
      RawRequest raw,
      String requestId,
      String action,
      Map<String, String> form,
      @Nullable Principal principal,
      int status,
      @Nullable String error) {
    ObjectNode details = JSON.createObjectNode();
    for (String name : RECORDED) {
      String v = form.get(name);
      if (v != null && v.length() <= 2048) {
        details.put(name, v);
      }
    }
    AuditEvent event =
        new AuditEvent(
            clock.instant(),
            requestId,
            STS_ACTIONS.contains(action) ? "sts" : "iam",
            AuditEvent.Actor.of(principal),
            raw.remoteAddress(),
            raw.secure(),
            action,
            null,
            null,
            null,
            status,
            error,
            0,
            0,
            details.isEmpty() ? null : details.toString());
    audit.record(event, principal, null);
  }

  private static String userId(Principal p) {
    if (p.isRoleSession()) {
      return p.role() + ":" + p.session();
    }
    return p.isRoot() ? p.accountId() : p.accountId() + ":" + p.user();
  }

  private static El credentials(StsService.Credentials c) {
    return el(
        "Credentials",
        el("AccessKeyId", c.accessKeyId()),
        el("SecretAccessKey", c.secretAccessKey()),
        el("SessionToken", c.sessionToken()),
        el("Expiration", QueryXml.date(c.expiration())));
  }

  private static El assumedRole(StsService.Credentials c) {
    return el(
        "AssumedRoleUser", el("AssumedRoleId", c.assumedRoleId()), el("Arn", c.assumedRoleArn()));
  }

  private static @Nullable Integer duration(Map<String, String> form) {
    String d = form.get("DurationSeconds");
    return d == null ? null : IamActions.integer("DurationSeconds", d);
  }

  private static Map<String, List<String>> conditions(RawRequest raw) {
    Map<String, List<String>> c = new HashMap<>();
    c.put("aws:SecureTransport", List.of(Boolean.toString(raw.secure())));
    if (raw.remoteAddress() != null) {
      c.put("aws:SourceIp", List.of(raw.remoteAddress()));
    }
    return c;
  }

  /** Decodes a form body; the first value of a name wins. */
  static Map<String, String> decode(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        form.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("the form is not URL-encoded: " + name);
      }
    }
    return form;
  }

  private record Refusal(int status, String code, String message) {}

  /** The one error ladder of the query APIs, in IAM's and STS's codes. */
  private static Refusal refusal(Throwable t, String requestId) {
    return switch (t) {
      case S3Exception e -> s3(e);
      case IdentityException e ->
          switch (e.reason()) {
            case NO_SUCH_TENANT,
                NO_SUCH_USER,
                NO_SUCH_ACCESS_KEY,
                NO_SUCH_POLICY,
                NO_SUCH_ROLE,
                NO_SUCH_GROUP ->
                new Refusal(404, "NoSuchEntity", e.getMessage());
            case TENANT_EXISTS, USER_EXISTS, ROLE_EXISTS, GROUP_EXISTS, POLICY_EXISTS ->
                new Refusal(409, "EntityAlreadyExists", e.getMessage());
            case TENANT_NOT_EMPTY -> new Refusal(409, "DeleteConflict", e.getMessage());
            case LIMIT_EXCEEDED -> new Refusal(409, "LimitExceeded", e.getMessage());
            case EXPIRED_TOKEN -> new Refusal(400, "ExpiredTokenException", e.getMessage());
            case INVALID_TOKEN ->
                new Refusal(
                    403,
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.");
            case INVALID_IDENTITY_TOKEN -> new Refusal(400, "InvalidIdentityToken", e.getMessage());
          };
      case MalformedPolicyException e ->
          new Refusal(400, "MalformedPolicyDocument", e.getMessage());
      case InvalidArgumentException e -> new Refusal(400, "ValidationError", e.getMessage());
      case AccessDeniedException e -> new Refusal(403, "AccessDenied", e.getMessage());
      case GovernanceException e -> new Refusal(403, "AccessDenied", e.getMessage());
      case SealedException e -> new Refusal(503, "ServiceUnavailable", e.getMessage());
      case AuditUnavailableException e -> new Refusal(503, "ServiceUnavailable", e.getMessage());
      case CoffreException e when e.messageIsPublic() ->
          new Refusal(400, "ValidationError", e.getMessage());
      case IOException e -> {
        LOG.debug("request {}: reading the form failed: {}", requestId, e.toString());
        yield new Refusal(400, "IncompleteBody", "The request body could not be read");
      }
      default -> {
        LOG.error("request {}: unexpected failure", requestId, t);
        yield new Refusal(500, "InternalFailure", "We encountered an internal error.");
      }
    };
  }

  private static Refusal s3(S3Exception e) {
    return switch (e.error()) {
      case INVALID_ACCESS_KEY_ID ->
          new Refusal(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid.");
      case INVALID_TOKEN ->
          new Refusal(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid.");
      case EXPIRED_TOKEN ->
          new Refusal(403, "ExpiredToken", "The security token included in the request is expired");
      case SIGNATURE_DOES_NOT_MATCH ->
          new Refusal(
              403,
              "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided.");
      case REQUEST_TIME_TOO_SKEWED ->
          new Refusal(403, "RequestExpired", "Request has expired: the clocks differ too much.");
      default -> new Refusal(e.error().status(), e.error().code(), e.getMessage());
    };
  }

  private static Answer error(String ns, int status, String code, String message, String id) {
    return new Answer(status, QueryXml.error(ns, code, message, status < 500, id));
  }
}
