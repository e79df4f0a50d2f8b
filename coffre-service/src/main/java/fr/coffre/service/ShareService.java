package fr.coffre.service;

import fr.coffre.core.AccessDeniedException;
import fr.coffre.core.BucketName;
import fr.coffre.core.BucketRecord;
import fr.coffre.core.InvalidArgumentException;
import fr.coffre.core.NoSuchBucketException;
import fr.coffre.core.NoSuchKeyException;
import fr.coffre.core.ObjectKey;
import fr.coffre.core.Principal;
import fr.coffre.core.ShareLinkException;
import fr.coffre.core.ShareLinkException.Reason;
import fr.coffre.core.ShareLinkRecord;
import fr.coffre.metadata.MetadataStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Share links (docs/console.md): a user lends one object to someone without an account, until a
 * date, optionally behind a password and up to a number of downloads. The link carries a random
 * token of which only the SHA-256 is stored. Each download runs with the rights of the user who
 * made the link, checked again at that moment, so a link dies with its maker's access.
 */
public final class ShareService {
  public static final Duration MAX_EXPIRY = Duration.ofDays(30);
  public static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
  public static final int MAX_DOWNLOADS = 100_000;
  static final int PBKDF2_ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MetadataStore metadata;
  private final ObjectService objects;
  private final AccessService access;
  private final IdentityService identities;
  private final Lockouts passwordFailures;
  private final Clock clock;

  /**
   * @param passwordFailures counts wrong passwords per link, and locks a link that gets too many
   */
  public ShareService(
      MetadataStore metadata,
      ObjectService objects,
      AccessService access,
      IdentityService identities,
      Lockouts passwordFailures,
      Clock clock) {
    this.metadata = metadata;
    this.objects = objects;
    this.access = access;
    this.identities = identities;
    this.passwordFailures = passwordFailures;
    this.clock = clock;
  }

  /** A new link and its token, which is shown once and never stored. */
  public record Created(ShareLinkRecord link, String token) {}

  /** An open download: the link (already counted) and the object's content. */
  public record Download(ShareLinkRecord link, ObjectService.OpenObject object) {}

  /**
   * Makes a link to an object of the caller's tenant that the caller may read.
   *
   * @param password null or empty for none
   * @param maxDownloads null for no limit
   * @param conditions the request's policy condition keys (aws:SourceIp, ...)
   */
  public Created create(
      Principal caller,
      BucketName bucket,
      String key,
      Duration expiresIn,
      String password,
      Integer maxDownloads,
      Map<String, List<String>> conditions) {
    if (caller.isAnonymous()) {
      throw new AccessDeniedException("Access Denied");
    }
    if (caller.accessKey() == null) {
      // A link's downloads run with the rights of the access key that made it; a federated (OIDC)
      // user has none.
      throw new InvalidArgumentException(
          "share links are made by users with an access key; a user signed in through the"
              + " identity provider has none");
    }
    if (expiresIn == null
        || expiresIn.compareTo(MIN_EXPIRY) < 0
        || expiresIn.compareTo(MAX_EXPIRY) > 0) {
      throw new InvalidArgumentException("a share link expires after 1 minute to 30 days");
    }
    if (maxDownloads != null && (maxDownloads < 1 || maxDownloads > MAX_DOWNLOADS)) {
      throw new InvalidArgumentException("maxDownloads must be between 1 and " + MAX_DOWNLOADS);
    }
    if (password != null && password.length() > 1024) {
      throw new InvalidArgumentException("the password is too long");
    }
    ObjectKey objectKey = new ObjectKey(key);
    access.authorize(caller, "s3:GetObject", bucket, key, conditions);
    BucketRecord owner =
        metadata.bucket(bucket).orElseThrow(() -> new NoSuchBucketException(bucket.value()));
    if (!owner.tenant().equals(caller.tenant())) {
      // A link is the bucket owner's to give: it is listed, revoked and audited in the owner's
      // tenant.
      throw new AccessDeniedException("Access Denied");
    }
    // NoSuchKey, or an SSE-C object refused; the link is to this version of the key's content.
    String etag = objects.head(bucket, objectKey, ReadConditions.NONE).etag().value();
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] idBytes = new byte[9];
    RANDOM.nextBytes(idBytes);
    String id = "sh-" + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
    Instant now = clock.instant();
    ShareLinkRecord link =
        new ShareLinkRecord(
            id,
            hashToken(token),
            caller.tenant(),
            bucket,
            key,
            etag,
            caller.accessKey(),
            caller.isRoot()
                ? "root"
                : caller.isRoleSession() ? "role/" + caller.role() : caller.user(),
            now,
            now.plus(expiresIn),
            password == null || password.isEmpty() ? null : hashPassword(password),
            maxDownloads,
            0,
            null);
    metadata.createShare(link);
    return new Created(link, token);
  }

  /**
   * The links that still work and that the caller may manage: those it made, and in buckets where
   * it is granted {@code coffre:ManageShareLinks} (a tenant's root: all of its tenant's).
   */
  public List<ShareLinkRecord> active(Principal caller, Map<String, List<String>> conditions) {
    Instant now = clock.instant();
    return metadata.shares(caller.tenant()).stream()
        .filter(l -> l.state(now) == ShareLinkRecord.State.ACTIVE && manages(caller, l, conditions))
        .toList();
  }

  /** Revokes a link the caller may manage (see {@link #active}); NOT_FOUND for any other. */
  public ShareLinkRecord revoke(Principal caller, String id, Map<String, List<String>> conditions) {
    ShareLinkRecord link =
        metadata
            .share(id)
            .filter(l -> l.tenant().equals(caller.tenant()) && manages(caller, l, conditions))
            .orElseThrow(() -> new ShareLinkException(Reason.NOT_FOUND, "no such share link"));
    if (!metadata.revokeShare(id, clock.instant())) {
      throw new ShareLinkException(Reason.REVOKED, "this link has already been revoked");
    }
    return metadata.share(id).orElse(link);
  }

  private boolean manages(
      Principal caller, ShareLinkRecord link, Map<String, List<String>> conditions) {
    if (caller.accessKey() != null && caller.accessKey().equals(link.createdBy())
        || !caller.isRoot() && caller.user() != null && caller.user().equals(link.creator())) {
      return true;
    }
    try {
      access.authorize(caller, "coffre:ManageShareLinks", link.bucket(), null, conditions);
      return true;
    } catch (AccessDeniedException e) {
      return false;
    }
  }

  /** The link a token names, working or not (for the record of a refused download). */
  public Optional<ShareLinkRecord> find(String token) {
    return token == null ? Optional.empty() : metadata.shareByTokenHash(hashToken(token));
  }

  /** The link a token opens, if it still works (nothing counted). */
  public ShareLinkRecord resolve(String token) {
    ShareLinkRecord link =
        token == null ? null : metadata.shareByTokenHash(hashToken(token)).orElse(null);
    if (link == null) {
      throw new ShareLinkException(Reason.NOT_FOUND, "this link does not exist");
    }
    ended(link);
    return link;
  }

  /**
   * The size of the object a working link leads to, for the recipient's page: the link must still
   * work for a download (its maker's rights, the same content).
   */
  public long size(ShareLinkRecord link, Map<String, List<String>> conditions) {
    makerMayRead(link, conditions);
    ObjectInfo info;
    try {
      info = objects.head(link.bucket(), new ObjectKey(link.key()), ReadConditions.NONE);
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw gone();
    }
    sameContent(link, info);
    return info.size();
  }

  /**
   * Opens a download: checks the password, the maker's rights and that the object is still the one
   * shared, opens it, and only then counts the download (atomically, so a limit holds under
   * concurrent downloads).
   */
  public Download open(String token, String password, Map<String, List<String>> conditions) {
    ShareLinkRecord link = resolve(token);
    if (link.passwordHash() != null) {
      checkPassword(link, password);
    }
    makerMayRead(link, conditions);
    ObjectService.OpenObject object;
    try {
      object =
          objects.get(
              link.bucket(), new ObjectKey(link.key()), ReadConditions.NONE, null, false, null);
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw gone();
    }
    try {
      sameContent(link, object.info());
      if (!metadata.countShareDownload(link.id(), clock.instant())) {
        ended(metadata.share(link.id()).orElse(link));
        throw new ShareLinkException(Reason.USED_UP, "this link has reached its download limit");
      }
    } catch (RuntimeException e) {
      closeQuietly(object);
      throw e;
    }
    return new Download(metadata.share(link.id()).orElse(link), object);
  }

  private static void closeQuietly(ObjectService.OpenObject object) {
    try {
      object.content().close();
    } catch (IOException e) {
      // nothing was sent; the descriptor is released either way
    }
  }

  /** At most this many password checks run at once (each is a deliberate ~0.1 s of CPU). */
  private final Semaphore hashing = new Semaphore(2);

  /** Checks of one link's password are serialized, so its lock-out counts every guess. */
  private final Object[] stripes = IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

  private void checkPassword(ShareLinkRecord link, String password) {
    if (password == null || password.isEmpty()) {
      throw new ShareLinkException(Reason.PASSWORD_REQUIRED, "this link needs its password");
    }
    String lockKey = "share:" + link.id();
    synchronized (stripes[Math.floorMod(link.id().hashCode(), stripes.length)]) {
      if (passwordFailures.lockedUntil(lockKey) != null) {
        throw new ShareLinkException(Reason.LOCKED, "too many wrong passwords; try again later");
      }
      boolean ok;
      hashing.acquireUninterruptibly();
      try {
        ok = checkPassword(password, link.passwordHash());
      } finally {
        hashing.release();
      }
      if (!ok) {
        passwordFailures.failed(lockKey, null);
        throw new ShareLinkException(Reason.WRONG_PASSWORD, "wrong password");
      }
    }
  }

  private void makerMayRead(ShareLinkRecord link, Map<String, List<String>> conditions) {
    Principal maker =
        identities
            .principal(link.createdBy())
            .orElseThrow(
                () ->
                    new ShareLinkException(
                        Reason.REVOKED, "the access that made this link is gone"));
    try {
      access.authorize(maker, "s3:GetObject", link.bucket(), link.key(), conditions);
    } catch (AccessDeniedException e) {
      throw new ShareLinkException(
          Reason.REVOKED, "the user who made this link may no longer read the object");
    }
  }

  private static void sameContent(ShareLinkRecord link, ObjectInfo info) {
    if (!info.etag().value().equals(link.etag())) {
      throw gone();
    }
  }

  private static ShareLinkException gone() {
    return new ShareLinkException(
        Reason.OBJECT_CHANGED, "the shared file has been replaced or deleted");
  }

  private void ended(ShareLinkRecord link) {
    switch (link.state(clock.instant())) {
      case ACTIVE -> {}
      case REVOKED -> throw new ShareLinkException(Reason.REVOKED, "this link has been revoked");
      case EXPIRED -> throw new ShareLinkException(Reason.EXPIRED, "this link has expired");
      case USED_UP ->
          throw new ShareLinkException(Reason.USED_UP, "this link has reached its download limit");
    }
  }

  /** Deletes links that ended more than {@code after} ago. */
  public int purge(Duration after) {
    return metadata.deleteSharesEndedBefore(clock.instant().minus(after));
  }

  static String hashToken(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hashPassword(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return "pbkdf2-sha256$"
        + PBKDF2_ITERATIONS
        + "$"
        + Base64.getEncoder().encodeToString(salt)
        + "$"
        + Base64.getEncoder().encodeToString(pbkdf2(password, salt, PBKDF2_ITERATIONS));
  }

  static boolean checkPassword(String password, String stored) {
    String[] p = stored.split("\\$");
    if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(p[3]);
    return MessageDigest.isEqual(
        expected, pbkdf2(password, Base64.getDecoder().decode(p[2]), Integer.parseInt(p[1])));
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      spec.clearPassword();
    }
  }
}
