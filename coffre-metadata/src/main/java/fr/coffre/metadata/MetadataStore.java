package fr.coffre.metadata;

import fr.coffre.core.CoffreException;
import fr.coffre.core.StorageFailureException;
import java.io.Closeable;

/**
 * Everything Coffre keeps as rows, one interface per aggregate: {@link BucketStore}, {@link
 * ObjectStore}, {@link UploadStore}, {@link KmsStore}, {@link IdentityStore}, {@link ShareStore}.
 * Each method's durability and atomicity contract is written on the aggregate that owns it; what
 * holds for all of them: every mutating method is one transaction, durable (synced) when it
 * returns. Errors are the domain's ({@link CoffreException}s); failures of the database itself are
 * {@link StorageFailureException}.
 *
 * <p>An implementation is one database opened once ({@link SqliteMetadataStore}, {@link
 * PostgresMetadataStore}), in practice a {@link DelegatingMetadataStore} over one small class per
 * aggregate; closing it closes the database.
 */
public interface MetadataStore
    extends BucketStore, ObjectStore, UploadStore, KmsStore, IdentityStore, ShareStore, Closeable {

  /** The cluster's nodes, kept in the same database (a single server registers nothing). */
  NodeStore nodes();

  /** Tenants' consent to operator help, named operators, four-eyes proposals. */
  GovernanceStore governance();

  /** Tenants' roles, groups, managed policies and STS temporary credentials. */
  RoleStore roles();

  /** Signed-in web sessions, shared by the nodes of a cluster. */
  SessionStore sessions();

  /** Failed-authentication counts and lock-outs, shared by the nodes of a cluster. */
  LockoutStore lockouts();

  /**
   * From now on, seals ETags and checksums as rows are written and opens them as they are read
   * (docs/security.md). Before this, values are written in clear and sealed ones cannot be read.
   */
  void sealValuesWith(ValueSealer sealer);

  /**
   * Seals up to {@code max} values still in clear (rows written before sealing existed), each in
   * place; how many it sealed, 0 when none is left or no sealer is installed. Resumable: call it
   * until it answers 0.
   */
  int sealClearValues(int max);
}
