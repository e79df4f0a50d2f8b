package fr.coffre.service.oidc;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One organisation's identity provider for the tenant console, as the server's configuration
 * describes it ({@code console.oidc}; docs/identities.md, "OIDC sign-in").
 *
 * @param name what the sign-in button says ("Se connecter avec {name}")
 * @param issuer the provider's issuer identifier (discovery is at its {@code
 *     /.well-known/openid-configuration})
 * @param clientId this server's client id at the provider
 * @param clientSecret its secret (from a file or the environment, never the YAML itself)
 * @param redirectUri where the provider sends the browser back: the console's public URL and {@code
 *     /oidc/callback}
 * @param scopes the scopes asked for ({@code openid} first)
 * @param userinfo whether the userinfo endpoint is read (its claims are added to the ID token's)
 * @param userClaim the claim that names the user in the tenant ({@code sub}, {@code uid}, {@code
 *     email}…)
 * @param tenantClaim the claim that designates the tenant (e.g. {@code siret})
 * @param tenants claim value → tenant name; empty: the claim's value is the tenant's name
 * @param groupsClaim the claim listing the person's groups or roles (e.g. {@code groups})
 * @param groupPolicies group → names of the policies it grants
 * @param defaultPolicies the policies granted to everyone the provider signs in (may be none)
 * @param policies policy name → identity policy document (JSON), besides the built-in ones
 */
public record OidcSettings(
    String name,
    String issuer,
    String clientId,
    String clientSecret,
    URI redirectUri,
    List<String> scopes,
    boolean userinfo,
    String userClaim,
    String tenantClaim,
    Map<String, String> tenants,
    @Nullable String groupsClaim,
    Map<String, List<String>> groupPolicies,
    List<String> defaultPolicies,
    Map<String, String> policies) {

  /** Every tenant may be given these without declaring them. */
  public static final Map<String, String> BUILT_IN_POLICIES =
      Map.of(
          "TenantAdmin",
          """
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
          "ReadWrite",
          """
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""",
          "ReadOnly",
          """
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
          "Action":["s3:Get*","s3:List*"],"Resource":"*"}]}""");

  public OidcSettings {
    require(name, "name");
    require(issuer, "issuer");
    require(clientId, "client-id");
    require(clientSecret, "client secret");
    require(userClaim, "user-claim");
    require(tenantClaim, "tenant-claim");
    if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
      throw new IllegalArgumentException("console.oidc.issuer must be an http(s) URL: " + issuer);
    }
    scopes = List.copyOf(scopes);
    if (!scopes.contains("openid")) {
      throw new IllegalArgumentException("console.oidc.scopes must contain openid: " + scopes);
    }
    tenants = Map.copyOf(tenants);
    groupPolicies = Map.copyOf(groupPolicies);
    defaultPolicies = List.copyOf(defaultPolicies);
    Map<String, String> declared = Map.copyOf(policies);
    policies = declared;
    for (List<String> names : groupPolicies.values()) {
      names.forEach(n -> document(declared, n));
    }
    defaultPolicies.forEach(n -> document(declared, n));
  }

  /** The document of a policy this configuration names (declared or built in). */
  public String document(String policy) {
    return document(policies, policy);
  }

  private static String document(Map<String, String> declared, String policy) {
    String doc = declared.getOrDefault(policy, BUILT_IN_POLICIES.get(policy));
    if (doc == null) {
      throw new IllegalArgumentException(
          "console.oidc names the policy "
              + policy
              + ", which is neither declared under console.oidc.policies nor built in "
              + BUILT_IN_POLICIES.keySet());
    }
    return doc;
  }

  private static void require(@Nullable String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("console.oidc." + key + " is required");
    }
  }

  @Override
  public String toString() {
    // The secret never reaches a log.
    return "OidcSettings[name=" + name + ", issuer=" + issuer + ", clientId=" + clientId + "]";
  }
}
