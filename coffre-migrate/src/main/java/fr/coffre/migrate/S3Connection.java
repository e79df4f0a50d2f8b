package fr.coffre.migrate;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3 client for an endpoint, with the caller's own credentials. */
public final class S3Connection {
  private S3Connection() {}

  /**
   * A path-style client. Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID,
   * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, ~/.aws) or from a named profile. Checksums are sent
   * only when an operation requires them or the export recorded one, so that servers without
   * aws-chunked trailers accept the uploads.
   */
  public static S3Client open(String endpoint, String region, @Nullable String profile) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new ExportException("--endpoint " + endpoint + ": not a URL (" + e.getReason() + ")");
    }
    if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new ExportException(
          "--endpoint " + endpoint + ": expected http://HOST:PORT or https://HOST:PORT");
    }
    AwsCredentialsProvider credentials =
        profile == null
            ? DefaultCredentialsProvider.builder().build()
            : ProfileCredentialsProvider.create(profile);
    return S3Client.builder()
        .endpointOverride(uri)
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .build();
  }
}
