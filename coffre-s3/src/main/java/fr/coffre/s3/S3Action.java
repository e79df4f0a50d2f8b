package fr.coffre.s3;

/** One S3 action (e.g. PutObject): turns an authenticated request into a response. */
@FunctionalInterface
public interface S3Action {
  S3Response handle(S3Request request) throws Exception;
}
