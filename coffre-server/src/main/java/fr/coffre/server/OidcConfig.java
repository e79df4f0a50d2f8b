package fr.coffre.server;

import fr.coffre.service.oidc.OidcSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code console.oidc} section into {@link OidcSettings}: defaults filled in, the client
 * secret read from its file or from {@code COFFRE_OIDC_CLIENT_SECRET}, the redirect URI derived
 * from {@code console.public-url} (required: the provider must know where to send the browser
 * back). Every refusal names the key.
 */
final class OidcConfig {
  /** The environment variable that may hold the client secret instead of a file. */
  static final String SECRET_ENV = "COFFRE_OIDC_CLIENT_SECRET";

  private OidcConfig() {}

  static @Nullable OidcSettings resolve(
      ConfigFile.@Nullable Oidc o, @Nullable URI publicUrl, Map<String, String> env) {
    if (o == null) {
      return null;
    }
    if (publicUrl == null) {
      throw new IllegalArgumentException(
          "console.oidc needs console.public-url (where the provider sends the browser back)");
    }
    if (o.issuer() != null && o.issuer().startsWith("http://") && !loopback(o.issuer())) {
      // The client secret and the codes would cross the network in clear.
      throw new IllegalArgumentException(
          "console.oidc.issuer must be https:// beyond loopback: " + o.issuer());
    }
    String secret = env.get(SECRET_ENV);
    if (o.clientSecretFile() != null) {
      try {
        secret = Files.readString(Path.of(o.clientSecretFile())).strip();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "console.oidc.client-secret-file: cannot read " + o.clientSecretFile(), e);
      }
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(
          "console.oidc needs the client secret: client-secret-file, or " + SECRET_ENV);
    }
    String base = publicUrl.toString();
    URI redirect =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/oidc/callback");
    return new OidcSettings(
        o.name() == null ? "le fournisseur d’identité" : o.name(),
        o.issuer(),
        o.clientId(),
        secret,
        redirect,
        o.scopes() == null ? List.of("openid", "email", "profile") : o.scopes(),
        o.userinfo() != null && o.userinfo(),
        o.userClaim() == null ? "sub" : o.userClaim(),
        o.tenantClaim(),
        o.tenants() == null ? Map.of() : o.tenants(),
        o.groupsClaim(),
        o.groups() == null ? Map.of() : o.groups(),
        o.defaultPolicies() == null ? List.of() : o.defaultPolicies(),
        o.policies() == null ? Map.of() : o.policies());
  }

  private static boolean loopback(String url) {
    try {
      String host = URI.create(url).getHost();
      return host != null
          && (host.equals("localhost") || host.equals("[::1]") || host.startsWith("127."));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
