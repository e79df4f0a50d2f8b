package fr.coffre.s3;

import fr.coffre.core.Principal;

/** Says who an access key stands for and whether the policies in force allow an operation. */
public interface Authorizer {

  /** The principal of an authenticated access key; anonymous when the key is null. */
  Principal principal(String accessKey);

  /** Throws (AccessDenied) unless the request's principal may perform the operation. */
  void authorize(S3Request request, S3Operation operation);
}
