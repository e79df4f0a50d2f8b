package fr.coffre.service.lifecycle;

/** What a lifecycle pass does to one version or upload. */
public enum LifecycleAction {
  /** Nothing is due. */
  NONE,
  /**
   * The current version expires: deleted in an unversioned bucket; in a versioned one, a delete
   * marker is put on top of it (as a DELETE without version id does).
   */
  EXPIRE_CURRENT,
  /** A noncurrent version (or noncurrent delete marker) is removed for good. */
  REMOVE_NONCURRENT,
  /** A delete marker that is the only version left of its key is removed. */
  REMOVE_DELETE_MARKER,
  /** An unfinished multipart upload is aborted and its parts reclaimed. */
  ABORT_UPLOAD
}
