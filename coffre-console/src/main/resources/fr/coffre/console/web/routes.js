// Hash routes of the tenant console. The hash holds only view names, bucket names and folder
// prefixes — never a token or a secret.

/** #/buckets, #/objects/B/PREFIX, #/residency/B, #/shares, #/keys, #/audit → {view, bucket, prefix}. */
export function parseRoute(hash = location.hash) {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = parts[0] || 'buckets';
  let prefix = '';
  try {
    prefix = decodeURIComponent(parts.slice(2).join('/'));
  } catch {
    prefix = '';
  }
  return { view, bucket: parts[1] || null, prefix };
}

export const hrefs = {
  buckets: () => '#/buckets',
  objects: (bucket, prefix = '') => `#/objects/${encodeURIComponent(bucket)}/${encodeURIComponent(prefix)}`,
  residency: (bucket) => `#/residency/${encodeURIComponent(bucket)}`,
  shares: () => '#/shares',
  keys: () => '#/keys',
  audit: () => '#/audit',
  iam: () => '#/iam',
  support: () => '#/support',
};

/** The path of a bucket's API resources. Bucket names are S3 names: lower-case ASCII, safe in a path. */
export function bucketPath(bucket) {
  return `/buckets/${encodeURIComponent(bucket)}`;
}
