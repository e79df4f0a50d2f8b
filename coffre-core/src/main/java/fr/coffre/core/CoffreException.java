package fr.coffre.core;

import org.jspecify.annotations.Nullable;

/**
 * The domain's failures. They know nothing of HTTP: the protocol layer maps each one to its wire
 * error with an exhaustive switch. {@link #getMessage()} is safe to show to the client for every
 * subclass except {@link CorruptDataException} and {@link StorageFailureException}, which describe
 * the server's inside and are only logged.
 */
public abstract sealed class CoffreException extends RuntimeException
    permits NoSuchBucketException,
        NoSuchKeyException,
        BucketAlreadyOwnedException,
        BucketNotEmptyException,
        InvalidBucketNameException,
        KeyTooLongException,
        InvalidArgumentException,
        InvalidRangeException,
        PreconditionFailedException,
        NotModifiedException,
        BadDigestException,
        EntityTooLargeException,
        CorruptDataException,
        StorageFailureException,
        NoSuchUploadException,
        InvalidPartException,
        InvalidPartNumberException,
        SealedException,
        CustomerKeyException,
        KmsKeyException,
        IdentityException,
        QuotaExceededException,
        AccessDeniedException,
        MalformedPolicyException,
        AuditUnavailableException,
        PlacementRefusedException,
        ShareLinkException,
        NoSuchVersionException,
        DeleteMarkerException,
        ObjectLockException,
        AclException,
        GovernanceException {

  protected CoffreException(String message) {
    super(message);
  }

  protected CoffreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether {@link #getMessage()} may be sent to a client. */
  public boolean messageIsPublic() {
    return true;
  }
}
