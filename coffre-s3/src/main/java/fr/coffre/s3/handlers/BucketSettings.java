package fr.coffre.s3.handlers;

/** The kinds of bucket configuration document the S3 layer keeps, as the service stores them. */
final class BucketSettings {
  static final String TAGGING = "tagging";
  static final String CORS = "cors";
  static final String ENCRYPTION = "encryption";
  static final String NOTIFICATION = "notification";
  static final String LOGGING = "logging";

  private BucketSettings() {}
}
