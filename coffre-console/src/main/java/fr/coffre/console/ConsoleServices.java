package fr.coffre.console;

import fr.coffre.core.Principal;
import fr.coffre.service.AccessService;
import fr.coffre.service.AuditService;
import fr.coffre.service.BucketService;
import fr.coffre.service.IdentityService;
import fr.coffre.service.KeyService;
import fr.coffre.service.Lockouts;
import fr.coffre.service.MultipartService;
import fr.coffre.service.ObjectService;
import fr.coffre.service.PlacementService;
import fr.coffre.service.ResidencyReports;
import fr.coffre.service.RoleService;
import fr.coffre.service.Sessions;
import fr.coffre.service.ShareService;
import fr.coffre.service.TenantConsent;
import fr.coffre.service.oidc.OidcSignIn;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The use cases the tenant console calls, as the server wires them.
 *
 * @param lockouts failed sign-ins count with failed S3 signatures, per access key
 * @param spool a private directory for audit exports being filtered
 * @param publicUrl where users reach the console ({@code console.public-url}), the start of share
 *     links; null: the page uses the address it was loaded from
 * @param consent the tenant's consent to operator help (enrolment, support windows), or null
 * @param oidc sign-in through the organisation's OpenID Connect provider, or null when none is
 *     configured
 * @param roles the tenant's roles, groups and managed policies (the IAM self-service page)
 */
public record ConsoleServices(
    IdentityService identities,
    AccessService access,
    BucketService buckets,
    ObjectService objects,
    MultipartService multipart,
    KeyService keys,
    ShareService shares,
    ResidencyReports residency,
    PlacementService placement,
    AuditService audit,
    Lockouts lockouts,
    Sessions sessions,
    Clock clock,
    String region,
    Path spool,
    URI publicUrl,
    @Nullable TenantConsent consent,
    @Nullable OidcSignIn oidc,
    RoleService roles) {

  /**
   * Who a console session is: the owner of the access key it signed in with, or the federated user
   * an OIDC sign-in made ({@code oidc:tenant/user}); empty when that is gone or disabled.
   */
  public Optional<Principal> principal(String sessionSubject) {
    if (sessionSubject.startsWith(OidcSignIn.SUBJECT_PREFIX)) {
      return OidcSignIn.federatedPrincipal(identities, sessionSubject);
    }
    return identities.principal(sessionSubject);
  }
}
