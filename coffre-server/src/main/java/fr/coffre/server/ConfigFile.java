package fr.coffre.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration file (YAML), every key optional; see {@code coffre.example.yaml} for each key
 * and its default. Flags and environment variables override it. An unknown key or a value of the
 * wrong shape is refused with a message naming the key: a typo never silently falls back to a
 * default.
 */
public record ConfigFile(
    @JsonProperty("data") String data,
    @JsonProperty("address") String address,
    @JsonProperty("region") String region,
    @JsonProperty("domain") String domain,
    @JsonProperty("ops-address") String opsAddress,
    @JsonProperty("admin-address") String adminAddress,
    @JsonProperty("console-address") String consoleAddress,
    @JsonProperty("upload-expiry") String uploadExpiry,
    @JsonProperty("tls") Tls tls,
    @JsonProperty("root-key") RootKey rootKey,
    @JsonProperty("audit") Audit audit,
    @JsonProperty("placement") Placement placement,
    @JsonProperty("metadata") Metadata metadata,
    @JsonProperty("ops-token-file") String opsTokenFile,
    @JsonProperty("insecure-dev") String insecureDev,
    @JsonProperty("lifecycle-interval") String lifecycleInterval,
    @JsonProperty("limits") Limits limits,
    @JsonProperty("console") Console console,
    @JsonProperty("auth") Auth auth,
    @JsonProperty("cluster") Cluster cluster,
    @JsonProperty("notifications") Notifications notifications) {

  public static final ConfigFile EMPTY =
      new ConfigFile(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null);

  /**
   * The {@code auth} section: how S3 requests may be signed.
   *
   * @param sigv2 whether AWS Signature Version 2 (HMAC-SHA1) is accepted; on by default
   */
  public record Auth(
      @JsonProperty("sigv2") String sigv2, @JsonProperty("web-identity") WebIdentity webIdentity) {}

  /**
   * {@code auth.web-identity}: the OIDC issuer whose tokens STS {@code AssumeRoleWithWebIdentity}
   * accepts, with its signing keys given as a static JWKS file (no discovery, no rotation: the
   * operator replaces the file and restarts; docs/identities.md).
   *
   * @param issuer the tokens' {@code iss}, exactly
   * @param jwksFile a JSON Web Key Set file holding the issuer's public keys
   * @param clientIds the audiences accepted ({@code aud} must hold one); empty: any
   */
  public record WebIdentity(
      @JsonProperty("issuer") String issuer,
      @JsonProperty("jwks-file") String jwksFile,
      @JsonProperty("client-ids") java.util.List<String> clientIds) {}

  /**
   * The {@code limits} section: what one client may hold of the listeners, and the free space
   * writes leave on the volumes (docs/security.md).
   */
  public record Limits(
      @JsonProperty("header-timeout") String headerTimeout,
      @JsonProperty("idle-timeout") String idleTimeout,
      @JsonProperty("max-connections") String maxConnections,
      @JsonProperty("max-connections-per-address") String maxConnectionsPerAddress,
      @JsonProperty("max-requests-per-address") String maxRequestsPerAddress,
      @JsonProperty("max-header-size") String maxHeaderSize,
      @JsonProperty("max-header-count") String maxHeaderCount,
      @JsonProperty("max-url-length") String maxUrlLength,
      @JsonProperty("volume-reserve") String volumeReserve) {}

  /**
   * The {@code console} section.
   *
   * @param publicUrl the address users reach the console at (behind a proxy, a public name), e.g.
   *     {@code https://coffre.example.fr}: share links start with it instead of the address the
   *     link's maker browses from
   * @param oidc sign-in through the organisation's OpenID Connect provider (docs/identities.md)
   */
  public record Console(
      @JsonProperty("public-url") String publicUrl, @JsonProperty("oidc") Oidc oidc) {}

  /**
   * The {@code console.oidc} section: one OpenID Connect provider for the tenant console ({@link
   * OidcConfig} checks it; docs/identities.md, "OIDC sign-in").
   */
  public record Oidc(
      @JsonProperty("name") String name,
      @JsonProperty("issuer") String issuer,
      @JsonProperty("client-id") String clientId,
      @JsonProperty("client-secret-file") String clientSecretFile,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("userinfo") Boolean userinfo,
      @JsonProperty("user-claim") String userClaim,
      @JsonProperty("tenant-claim") String tenantClaim,
      @JsonProperty("tenants") java.util.Map<String, String> tenants,
      @JsonProperty("groups-claim") String groupsClaim,
      @JsonProperty("groups") java.util.Map<String, List<String>> groups,
      @JsonProperty("default-policies") List<String> defaultPolicies,
      @JsonProperty("policies") java.util.Map<String, String> policies) {}

  /**
   * The {@code metadata} section: where the rows live when not in DATA/metadata.db (SQLite).
   *
   * @param url the PostgreSQL database, e.g. {@code postgresql://coffre@db1:5432/coffre}
   * @param passwordFile a file holding its password (never in the URL)
   */
  public record Metadata(
      @JsonProperty("url") String url, @JsonProperty("password-file") String passwordFile) {}

  /**
   * The {@code placement} section: where data may live (docs/placement.md).
   *
   * @param operator the name of the operator running this server (its "own sites")
   * @param defaultClass the class of buckets created without one
   * @param locations the sites and their volumes; none: one undeclared site with DATA/volume
   * @param classes classes added to (or replacing) the defaults
   */
  public record Placement(
      @JsonProperty("operator") String operator,
      @JsonProperty("default-class") String defaultClass,
      @JsonProperty("locations") List<Location> locations,
      @JsonProperty("classes") List<SensitivityClass> classes,
      @JsonProperty("scrub-interval") String scrubInterval,
      @JsonProperty("accept-out-of-policy") Boolean acceptOutOfPolicy,
      @JsonProperty("custom-qualifications") List<String> customQualifications) {}

  /** One site of {@code placement.locations}. */
  public record Location(
      @JsonProperty("site") String site,
      @JsonProperty("country") String country,
      @JsonProperty("jurisdiction") String jurisdiction,
      @JsonProperty("operator") String operator,
      @JsonProperty("qualifications") List<String> qualifications,
      @JsonProperty("volumes") List<Volume> volumes) {}

  /**
   * A volume of a site: a name and a directory; in a cluster, the node that serves it (another
   * node's volume needs no path here).
   */
  public record Volume(
      @JsonProperty("name") String name,
      @JsonProperty("path") String path,
      @JsonProperty("node") String node) {}

  /**
   * The {@code notifications} section (docs/notifications.md): the only webhook targets bucket
   * notification configurations may name.
   *
   * @param maxBackoff the longest wait between two attempts at a target that fails ({@code 60s})
   */
  public record Notifications(
      @JsonProperty("targets") List<NotificationTarget> targets,
      @JsonProperty("max-backoff") String maxBackoff) {}

  /**
   * A webhook target.
   *
   * @param url where events are posted: https, or http to a loopback address
   * @param secretFile the file holding the key of the payloads' HMAC-SHA256 signature
   */
  public record NotificationTarget(
      @JsonProperty("name") String name,
      @JsonProperty("url") String url,
      @JsonProperty("secret-file") String secretFile) {}

  /**
   * The {@code cluster} section (docs/cluster.md).
   *
   * @param node this node's name
   * @param address where peers reach this node's internal API, {@code HOST:PORT}
   * @param secretFile the file holding the secret every node shares
   * @param tlsCert this node's certificate chain (PEM) on its internal API; default: {@code
   *     tls.cert}
   * @param tlsKey its private key (PKCS#8 PEM); default: {@code tls.key}
   * @param caFile the cluster CA (PEM bundle) that signs every node's certificate: with it, the
   *     internal API speaks mutual TLS
   * @param sourceAddress the IP address of this machine that calls to peers leave from; default:
   *     the system's choice
   */
  public record Cluster(
      @JsonProperty("node") String node,
      @JsonProperty("address") String address,
      @JsonProperty("secret-file") String secretFile,
      @JsonProperty("tls-cert") String tlsCert,
      @JsonProperty("tls-key") String tlsKey,
      @JsonProperty("ca-file") String caFile,
      @JsonProperty("source-address") String sourceAddress) {}

  /**
   * An operator-defined class of {@code placement.classes}.
   *
   * @param sigv2 whether Signature Version 2 requests may reach its buckets; absent: as the default
   *     class of that name says, or yes for a new class
   * @param publicAccess whether its buckets may be made public (public ACLs and bucket policies);
   *     absent: as the default class of that name says, or yes for a new class
   */
  public record SensitivityClass(
      @JsonProperty("name") String name,
      @JsonProperty("countries") List<String> countries,
      @JsonProperty("eea") Boolean eea,
      @JsonProperty("eu-jurisdiction") Boolean euJurisdiction,
      @JsonProperty("qualifications") List<String> qualifications,
      @JsonProperty("own-sites-only") Boolean ownSitesOnly,
      @JsonProperty("copies") Integer copies,
      @JsonProperty("sites") Integer sites,
      @JsonProperty("key-modes") List<String> keyModes,
      @JsonProperty("sigv2") Boolean sigv2,
      @JsonProperty("public-access") Boolean publicAccess) {}

  /** The {@code audit} section. */
  public record Audit(
      @JsonProperty("enabled") String enabled,
      @JsonProperty("retention") String retention,
      @JsonProperty("fail-closed") String failClosed,
      @JsonProperty("checkpoint-interval") String checkpointInterval) {}

  /** The {@code root-key} section: where the root key lives. */
  public record RootKey(
      @JsonProperty("pkcs11") Pkcs11 pkcs11,
      @JsonProperty("passphrase-file") String passphraseFile) {}

  /** The {@code root-key.pkcs11} section. */
  public record Pkcs11(
      @JsonProperty("library") String library,
      @JsonProperty("slot") String slot,
      @JsonProperty("pin-file") String pinFile,
      @JsonProperty("key-label") String keyLabel) {}

  /** The {@code tls} section. */
  public record Tls(@JsonProperty("cert") String cert, @JsonProperty("key") String key) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks the shape of a file; IllegalArgumentException names the file and key. */
  public static ConfigFile load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      return EMPTY;
    }
    try {
      ConfigFile c = YAML.readValue(bytes, ConfigFile.class);
      return c == null ? EMPTY : c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "config "
              + file
              + ": unknown key '"
              + path(e)
              + "' (known: "
              + e.getKnownPropertyIds()
              + ")",
          e);
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException(
          "config " + file + ": key '" + path(e) + "' has a value of the wrong kind", e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "config " + file + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("config: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String path(MismatchedInputException e) {
    StringBuilder b = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(ref.getFieldName());
      }
    }
    return b.toString();
  }
}
