/**
 * An S3-like object store for code packages: buckets, objects and object versions. Bodies are kept as
 * base64 text so every row stays plain JSON. Code package copies saved with application versions live
 * in `blobs`, addressed by SHA-256, so overwriting an object later changes no saved version.
 */
import { invalidArgument } from '../util/errors.js';
import { fromBase64, md5Hex, sha256Hex, toBase64, utf8 } from '../util/bytes.js';
import type { Store } from '../store/store.js';
import { DEMO_ARTIFACTS, DEMO_BUCKET } from './demo-artifacts.js';

export interface BucketRecord {
  name: string;
  region: string;
  account: string;
  createdAt: number;
  /** Bucket tags in the order they were put (PutBucketTagging replaces the set). */
  tags?: [string, string][];
  /** The bucket policy exactly as it was put. */
  policy?: string;
  /** The canned ACL the bucket was created or last updated with (default private). */
  acl?: string;
  /**
   * Subresource configurations as they were put (the request's XML document), by subresource name:
   * cors, website, lifecycle, encryption, logging, accelerate, requestPayment, replication, object-lock,
   * ownershipControls, publicAccessBlock, notification, acl. A deleted configuration is absent, except
   * where S3 has a default after deletion, which the wire layer answers.
   */
  config?: Record<string, string>;
}

/** What S3 stores with an object besides its bytes, as PutObject's headers set it. */
export interface ObjectMetadata {
  /** x-amz-meta-* without the prefix, names lower-cased. */
  user?: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  websiteRedirectLocation?: string;
  storageClass?: string;
  /** AES256 or aws:kms. */
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** Canned ACL other than private. */
  acl?: string;
  /** Object Lock headers as given (recorded and returned; retention is not enforced). */
  objectLockMode?: string;
  objectLockRetainUntilDate?: string;
  objectLockLegalHold?: string;
}

export interface ObjectVersionRecord {
  versionId: string;
  body: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: number;
  meta?: ObjectMetadata;
  /** Object tags of this version, in order. */
  tags?: [string, string][];
}

export interface ObjectRecord {
  key: string;
  /** Oldest first; the last entry is the current version. */
  versions: ObjectVersionRecord[];
}

export interface BlobRecord {
  body: string;
  size: number;
  md5: string;
}

/** S3 keeps every version; the simulation keeps the newest few, enough for ObjectVersion references. */
const MAX_VERSIONS = 20;

export class ArtifactStore {
  constructor(
    private store: Store,
    private now: () => number,
    private newVersionId: () => string,
  ) {}

  bucket(name: string): BucketRecord | undefined {
    return this.store.buckets.get(name);
  }

  buckets(): BucketRecord[] {
    return [...this.store.buckets.values()];
  }

  createBucket(name: string, account: string, region: string): BucketRecord {
    return (
      this.store.buckets.get(name) ?? this.store.buckets.set(name, { name, account, region, createdAt: this.now() })
    );
  }

  deleteBucket(name: string): void {
    this.store.buckets.delete(name);
  }

  /** Records a change of a bucket's configuration, tags or policy. */
  touchBucket(name: string): void {
    this.store.buckets.touch(name);
  }

  put(
    bucket: string,
    key: string,
    body: Uint8Array,
    contentType = 'application/octet-stream',
    extra: { meta?: ObjectMetadata; tags?: [string, string][] } = {},
  ): ObjectVersionRecord {
    const existing = this.store.objects.get(bucket, key);
    const version: ObjectVersionRecord = {
      versionId: this.newVersionId(),
      body: toBase64(body),
      size: body.length,
      etag: md5Hex(body),
      contentType,
      lastModified: this.now(),
      ...(extra.meta && Object.keys(extra.meta).length > 0 ? { meta: extra.meta } : {}),
      ...(extra.tags && extra.tags.length > 0 ? { tags: extra.tags } : {}),
    };
    const versions = [...(existing?.versions ?? []), version].slice(-MAX_VERSIONS);
    this.store.objects.set(bucket, key, { key, versions });
    return version;
  }

  get(bucket: string, key: string, versionId?: string): ObjectVersionRecord | undefined {
    const obj = this.store.objects.get(bucket, key);
    if (!obj) return undefined;
    if (versionId === undefined || versionId === '') return obj.versions.at(-1);
    return obj.versions.find((v) => v.versionId === versionId);
  }

  delete(bucket: string, key: string): void {
    this.store.objects.delete(bucket, key);
  }

  /** Removes one version of a key (the key goes with its last version); false when there is no such version. */
  deleteVersion(bucket: string, key: string, versionId: string): boolean {
    const obj = this.store.objects.get(bucket, key);
    if (!obj || !obj.versions.some((v) => v.versionId === versionId)) return false;
    const versions = obj.versions.filter((v) => v.versionId !== versionId);
    if (versions.length === 0) this.store.objects.delete(bucket, key);
    else this.store.objects.set(bucket, key, { key, versions });
    return true;
  }

  /** Records an in-place change of an object version (its tags). */
  touchObject(bucket: string, key: string): void {
    this.store.objects.touch(bucket, key);
  }

  list(bucket: string, prefix = ''): ObjectRecord[] {
    return this.store.objects
      .list(bucket)
      .filter((o) => o.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Resolves an S3ContentLocation to the current bytes, as the service does when a version is created.
   * A missing bucket or object is rejected like AWS rejects a missing file.
   */
  resolveCodeLocation(bucketArn: string, fileKey: string, objectVersion?: string): ObjectVersionRecord {
    const bucket = bucketArn.startsWith('arn:aws:s3:::') ? bucketArn.slice('arn:aws:s3:::'.length) : undefined;
    if (!bucket || bucket.includes('/'))
      throw invalidArgument(`Invalid S3 bucket ARN ${bucketArn}: expected arn:aws:s3:::<bucket>.`);
    if (!this.store.buckets.has(bucket))
      throw invalidArgument(`Bucket ${bucket} does not exist. Unable to access code at ${bucketArn}/${fileKey}.`);
    const obj = this.get(bucket, fileKey, objectVersion);
    if (!obj)
      throw invalidArgument(
        objectVersion
          ? `Version ${objectVersion} of ${fileKey} does not exist in bucket ${bucket}.`
          : `Unable to access code at ${bucketArn}/${fileKey}: the object does not exist.`,
      );
    return obj;
  }

  bodyOf(version: ObjectVersionRecord): Uint8Array {
    return fromBase64(version.body) ?? new Uint8Array();
  }

  /** Saves a copy of a body and returns its reference. */
  saveBlob(body: Uint8Array): { ref: string; size: number; md5: string } {
    const ref = sha256Hex(body);
    const existing = this.store.blobs.get(ref);
    if (existing) return { ref, size: existing.size, md5: existing.md5 };
    const blob: BlobRecord = { body: toBase64(body), size: body.length, md5: md5Hex(body) };
    this.store.blobs.set(ref, blob);
    return { ref, size: blob.size, md5: blob.md5 };
  }

  blob(ref: string | undefined): Uint8Array | undefined {
    if (!ref) return undefined;
    const b = this.store.blobs.get(ref);
    return b ? fromBase64(b.body) : undefined;
  }

  /** Drops saved code copies no application version refers to any more. */
  collectBlobs(inUse: Set<string>): void {
    for (const [ref] of [...this.store.blobs.entries()]) if (!inUse.has(ref)) this.store.blobs.delete(ref);
  }

  preloadDemoArtifacts(account: string, region: string): void {
    this.createBucket(DEMO_BUCKET, account, region);
    for (const [key, manifest] of Object.entries(DEMO_ARTIFACTS)) {
      if (this.get(DEMO_BUCKET, key)) continue;
      this.put(DEMO_BUCKET, key, utf8(JSON.stringify(manifest, null, 2)), 'application/java-archive');
    }
  }
}
