package fr.coffre.s3.handlers;

import fr.coffre.core.AclException;
import fr.coffre.core.Principal;
import fr.coffre.s3.S3Action;
import fr.coffre.s3.S3Error;
import fr.coffre.s3.S3Exception;
import fr.coffre.s3.S3Request;
import fr.coffre.s3.S3Response;
import fr.coffre.s3.xml.AclDocuments;
import fr.coffre.s3.xml.S3Xml;
import fr.coffre.service.PublicAccessBlock;

/**
 * S3 Control's Get/Put/DeletePublicAccessBlock on an account: the caller's tenant's own block,
 * which covers every bucket it owns (combined flag by flag with each bucket's). The account the
 * request names ({@code x-amz-account-id}) must be the caller's.
 */
public final class AccountPublicAccessBlockHandler implements S3Action {
  /** Which of the three actions this handler serves. */
  public enum Verb {
    GET,
    PUT,
    DELETE
  }

  private final ApiContext ctx;
  private final Verb verb;

  public AccountPublicAccessBlockHandler(ApiContext ctx, Verb verb) {
    this.ctx = ctx;
    this.verb = verb;
  }

  @Override
  public S3Response handle(S3Request request) {
    Principal caller = request.principal();
    String named = request.header("x-amz-account-id");
    if (caller.isAnonymous() || named == null || !named.equals(caller.accountId())) {
      throw new S3Exception(
          S3Error.ACCESS_DENIED,
          "the account named by x-amz-account-id is not the caller's: a tenant sets only its own"
              + " account-level Block Public Access");
    }
    String tenant = caller.tenant();
    return switch (verb) {
      case GET -> {
        PublicAccessBlock b =
            ctx.acls()
                .tenantPublicAccessBlock(tenant)
                .orElseThrow(
                    () ->
                        new AclException(
                            AclException.Reason.NO_PUBLIC_ACCESS_BLOCK,
                            "The public access block configuration was not found"));
        yield S3Response.xml(
            new AclDocuments.PublicAccessBlockConfiguration(
                b.blockPublicAcls(),
                b.ignorePublicAcls(),
                b.blockPublicPolicy(),
                b.restrictPublicBuckets()));
      }
      case PUT -> {
        AclDocuments.PublicAccessBlockConfiguration c =
            S3Xml.read(request.body(), AclDocuments.PublicAccessBlockConfiguration.class);
        ctx.acls()
            .putTenantPublicAccessBlock(
                tenant,
                new PublicAccessBlock(
                    Boolean.TRUE.equals(c.blockPublicAcls()),
                    Boolean.TRUE.equals(c.ignorePublicAcls()),
                    Boolean.TRUE.equals(c.blockPublicPolicy()),
                    Boolean.TRUE.equals(c.restrictPublicBuckets())));
        yield S3Response.ok();
      }
      case DELETE -> {
        ctx.acls().deleteTenantPublicAccessBlock(tenant);
        yield S3Response.status(204);
      }
    };
  }
}
