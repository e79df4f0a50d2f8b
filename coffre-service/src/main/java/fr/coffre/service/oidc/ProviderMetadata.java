package fr.coffre.service.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's discovery document ({@code /.well-known/openid-configuration}) says, the parts
 * a relying party uses. Its {@code issuer} must be the configured one exactly (OIDC Discovery 1.0
 * section 4.3), so a document served elsewhere cannot redirect trust.
 */
public record ProviderMetadata(
    String issuer,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    @Nullable URI userinfoEndpoint,
    URI jwksUri) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The discovery document's address for an issuer (a path after the host is kept). */
  public static URI discoveryUri(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return URI.create(base + "/.well-known/openid-configuration");
  }

  /** Fetches and checks the discovery document of {@code issuer}. */
  public static ProviderMetadata discover(OidcHttp http, String issuer) {
    URI uri = discoveryUri(issuer);
    OidcHttp.Answer a;
    try {
      a = http.get(uri, null);
    } catch (IOException e) {
      throw new OidcException(
          OidcException.Reason.PROVIDER,
          "the identity provider " + issuer + " cannot be reached: " + e.getMessage(),
          e);
    }
    if (a.status() != 200) {
      throw new OidcException(OidcException.Reason.PROVIDER, uri + " answered HTTP " + a.status());
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(a.body());
    } catch (IOException e) {
      throw new OidcException(OidcException.Reason.PROVIDER, uri + " is not JSON", e);
    }
    if (doc == null || !doc.isObject()) {
      throw new OidcException(OidcException.Reason.PROVIDER, uri + " is not a JSON object");
    }
    String said = doc.path("issuer").asText("");
    if (!said.equals(issuer)) {
      throw new OidcException(
          OidcException.Reason.ISSUER,
          uri + " names the issuer '" + said + "', not the configured '" + issuer + "'");
    }
    URI userinfo = optionalUri(doc, "userinfo_endpoint", uri);
    return new ProviderMetadata(
        issuer,
        requiredUri(doc, "authorization_endpoint", uri),
        requiredUri(doc, "token_endpoint", uri),
        userinfo,
        requiredUri(doc, "jwks_uri", uri));
  }

  private static URI requiredUri(JsonNode doc, String field, URI from) {
    URI u = optionalUri(doc, field, from);
    if (u == null) {
      throw new OidcException(OidcException.Reason.PROVIDER, from + " has no " + field);
    }
    return u;
  }

  private static @Nullable URI optionalUri(JsonNode doc, String field, URI from) {
    String text = doc.path(field).asText("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      URI u = new URI(text);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new OidcException(
            OidcException.Reason.PROVIDER, from + ": " + field + " is not an http(s) URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new OidcException(
          OidcException.Reason.PROVIDER, from + ": " + field + " is not a URL", e);
    }
  }
}
