/**
 * Object operations: PutObject, CopyObject, GetObject/HeadObject (versions, ranges), DeleteObject(s), and
 * what S3 keeps with an object: metadata headers (x-amz-meta-*, Cache-Control, Content-Disposition, ...),
 * storage class, server-side encryption (SSE-S3 or SSE-KMS with a key of the emulator's KMS), tags
 * (x-amz-tagging, ?tagging) and the canned ACL (?acl).
 */
import type { BucketRecord, Engine, ObjectMetadata } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import {
  aclDocument,
  cannedAcl,
  checkAclAllowed,
  defaultEncryption,
  parseTagging,
  parseTaggingHeader,
  taggingDocument,
} from './bucket-config.js';
import { checksum } from './checksums.js';
import { lastModifiedIso, type ObjectVersionRecord } from './list-objects.js';
import { readPayload } from './payload.js';
import { empty, header, requireBucket, xmlOk, type S3Call } from './s3-call.js';
import { invalidArgument, malformedXml, noSuchBucket, noSuchKey, noSuchVersion, S3Error } from './s3-errors.js';
import { elementText, elementTexts, hasRoot, xmlDocument, type XmlContent } from './xml.js';

/** S3 stores objects it was given no type for as this. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
];

/** Headers stored as they were sent, by metadata field. */
const STORED_HEADERS: [keyof ObjectMetadata, string][] = [
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
  ['websiteRedirectLocation', 'x-amz-website-redirect-location'],
  ['objectLockMode', 'x-amz-object-lock-mode'],
  ['objectLockRetainUntilDate', 'x-amz-object-lock-retain-until-date'],
  ['objectLockLegalHold', 'x-amz-object-lock-legal-hold'],
];

/** The metadata a PutObject (or a CopyObject that replaces metadata) sets from its headers. */
function metadataFromHeaders(call: S3Call, bucket: BucketRecord): ObjectMetadata {
  const meta: ObjectMetadata = {};
  const user: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.req.headers))
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') user[name.slice('x-amz-meta-'.length)] = value;
  if (Object.keys(user).length > 0) meta.user = user;
  for (const [field, name] of STORED_HEADERS) {
    let value = header(call, name);
    // aws-chunked is the upload's framing, not the object's encoding.
    if (name === 'content-encoding' && value !== undefined)
      value =
        value
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== 'aws-chunked')
          .join(', ') || undefined;
    if (value !== undefined) (meta as Record<string, string>)[field] = value;
  }
  if (
    (meta.objectLockMode || meta.objectLockRetainUntilDate || meta.objectLockLegalHold) &&
    !bucket.config?.['object-lock']
  )
    throw new S3Error(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
  const storageClass = header(call, 'x-amz-storage-class');
  if (storageClass !== undefined) {
    if (!STORAGE_CLASSES.includes(storageClass))
      throw new S3Error(400, 'InvalidStorageClass', 'The storage class you specified is not valid', {
        StorageClassRequested: storageClass,
      });
    if (storageClass !== 'STANDARD') meta.storageClass = storageClass;
  }
  const acl = cannedAcl(call);
  if (acl !== undefined) {
    checkAclAllowed(bucket, acl, false);
    if (acl !== 'private') meta.acl = acl;
  }
  Object.assign(meta, encryption(call, bucket));
  return meta;
}

/**
 * Server-side encryption from the request's headers, else the bucket's default. SSE-KMS needs a key the
 * emulator's KMS has, enabled; the object records its ARN, as S3 reports it.
 */
function encryption(
  call: S3Call,
  bucket: BucketRecord,
): Pick<ObjectMetadata, 'serverSideEncryption' | 'sseKmsKeyId' | 'bucketKeyEnabled'> {
  const given = header(call, 'x-amz-server-side-encryption');
  const def = defaultEncryption(bucket);
  const algorithm = given ?? def.algorithm;
  if (!['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm))
    throw invalidArgument(
      'The encryption method specified is not supported',
      'x-amz-server-side-encryption',
      algorithm,
    );
  const keyHeader = header(call, 'x-amz-server-side-encryption-aws-kms-key-id');
  if (keyHeader !== undefined && !algorithm.startsWith('aws:kms'))
    throw invalidArgument(
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id',
      keyHeader,
    );
  const bucketKeyHeader = header(call, 'x-amz-server-side-encryption-bucket-key-enabled');
  const bucketKey = bucketKeyHeader !== undefined ? bucketKeyHeader.toLowerCase() === 'true' : def.bucketKey;
  if (!algorithm.startsWith('aws:kms')) return { serverSideEncryption: algorithm };
  const keyId = keyHeader ?? (given === undefined ? def.kmsKeyId : undefined);
  const out: ReturnType<typeof encryption> = { serverSideEncryption: algorithm };
  if (bucketKey) out.bucketKeyEnabled = true;
  if (keyId === undefined) return out;
  const key = call.engine.kms.findKey(call.ctx, keyId);
  if (!key) throw new S3Error(400, 'KMS.NotFoundException', `Invalid keyId ${keyId}`);
  if (key.state !== 'Enabled')
    throw new S3Error(
      400,
      key.state === 'Disabled' ? 'KMS.DisabledException' : 'KMS.KMSInvalidStateException',
      `${key.arn} is ${key.state === 'Disabled' ? 'disabled' : 'pending deletion'}.`,
    );
  out.sseKmsKeyId = key.arn;
  return out;
}

function objectKey(call: S3Call): string {
  const key = call.key!;
  if (Buffer.byteLength(key) > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Key: key });
  return key;
}

function objectHeaders(version: ObjectVersionRecord): Record<string, string> {
  const meta = version.meta ?? {};
  const headers: Record<string, string> = {
    'content-type': version.contentType,
    etag: `"${version.etag}"`,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'x-amz-version-id': version.versionId,
    'accept-ranges': 'bytes',
    ...encryptionHeaders(version),
  };
  for (const [field, name] of STORED_HEADERS) {
    const value = meta[field];
    if (typeof value === 'string') headers[name] = value;
  }
  for (const [k, v] of Object.entries(meta.user ?? {})) headers[`x-amz-meta-${k}`] = v;
  // STANDARD is the class S3 does not name.
  if (meta.storageClass) headers['x-amz-storage-class'] = meta.storageClass;
  if (version.tags?.length) headers['x-amz-tagging-count'] = String(version.tags.length);
  return headers;
}

function encryptionHeaders(version: ObjectVersionRecord): Record<string, string> {
  const meta = version.meta ?? {};
  return {
    'x-amz-server-side-encryption': meta.serverSideEncryption ?? 'AES256',
    ...(meta.sseKmsKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': meta.sseKmsKeyId } : {}),
    ...(meta.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
  };
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

export function putObject(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  const key = objectKey(call);
  const { data, checksums } = readPayload(call.req, call.body);
  // Conditional write: If-None-Match: * creates the object only if it does not exist yet.
  if (header(call, 'if-none-match') === '*' && call.engine.artifacts.get(call.bucket, key))
    throw preconditionFailed('If-None-Match');
  const meta = metadataFromHeaders(call, bucket);
  const tagging = header(call, 'x-amz-tagging');
  const tags = tagging !== undefined ? parseTaggingHeader(tagging) : undefined;
  const version = call.engine.artifacts.put(
    call.bucket,
    key,
    data,
    header(call, 'content-type') ?? DEFAULT_CONTENT_TYPE,
    {
      meta,
      tags,
    },
  );
  const echoed = Object.keys(checksums).length > 0 ? { ...checksums, 'x-amz-checksum-type': 'FULL_OBJECT' } : {};
  return empty(200, {
    etag: `"${version.etag}"`,
    'x-amz-version-id': version.versionId,
    ...encryptionHeaders(version),
    ...echoed,
  });
}

/** `x-amz-copy-source: [/]bucket/key[?versionId=…]`, URL-encoded. */
export function copyObject(call: S3Call, source: string): WireResponse {
  const bucket = requireBucket(call);
  const key = objectKey(call);
  const q = source.indexOf('?');
  let path: string;
  try {
    path = decodeURIComponent(q < 0 ? source : source.slice(0, q)).replace(/^\//, '');
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', source);
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', source);
  const [srcBucket, srcKey] = [path.slice(0, slash), path.slice(slash + 1)];
  const srcVersionId = q < 0 ? null : new URLSearchParams(source.slice(q + 1)).get('versionId');
  const store = call.engine.artifacts;
  if (!store.bucket(srcBucket)) throw noSuchBucket(srcBucket);
  const src = store.get(srcBucket, srcKey, srcVersionId ?? undefined);
  if (!src) throw srcVersionId ? noSuchVersion(srcKey, srcVersionId) : noSuchKey(srcKey);
  const replace = header(call, 'x-amz-metadata-directive') === 'REPLACE';
  if (srcBucket === call.bucket && srcKey === key && !replace)
    throw new S3Error(
      400,
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  const contentType = replace ? (header(call, 'content-type') ?? DEFAULT_CONTENT_TYPE) : src.contentType;
  // COPY keeps the source's metadata (its encryption follows this request or the target bucket's default).
  const meta = replace
    ? metadataFromHeaders(call, bucket)
    : { ...src.meta, ...encryption(call, bucket), ...(cannedAcl(call) ? { acl: cannedAcl(call) } : {}) };
  const tagging = header(call, 'x-amz-tagging');
  const tags =
    header(call, 'x-amz-tagging-directive') === 'REPLACE'
      ? tagging !== undefined
        ? parseTaggingHeader(tagging)
        : []
      : src.tags;
  const copied = store.put(call.bucket, key, store.bodyOf(src), contentType, { meta, tags });
  return xmlOk(
    xmlDocument('CopyObjectResult', [
      ['LastModified', lastModifiedIso(copied.lastModified)],
      ['ETag', `"${copied.etag}"`],
    ]),
    {
      'x-amz-version-id': copied.versionId,
      'x-amz-copy-source-version-id': src.versionId,
      ...encryptionHeaders(copied),
    },
  );
}

/** `Range: bytes=a-b | a- | -n`; undefined when absent or not a single byte range (S3 then sends it all). */
function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? undefined : { start, end };
}

/** Query parameters that override response headers (presigned downloads use them). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** GetObject, and HeadObject: the same answer, whose body the HTTP server leaves out for HEAD. */
export function getObject(call: S3Call): WireResponse {
  requireBucket(call);
  const key = objectKey(call);
  const versionId = call.query.get('versionId');
  const version = call.engine.artifacts.get(call.bucket, key, versionId ?? undefined);
  if (!version) throw versionId !== null && versionId !== '' ? noSuchVersion(key, versionId) : noSuchKey(key);
  const headers = objectHeaders(version);
  const archived = version.meta?.storageClass === 'GLACIER' || version.meta?.storageClass === 'DEEP_ARCHIVE';
  if (archived && call.method === 'GET')
    throw new S3Error(403, 'InvalidObjectState', "The operation is not valid for the object's storage class", {
      StorageClass: version.meta!.storageClass,
    });

  const etag = headers.etag!;
  const ifMatch = header(call, 'if-match');
  if (ifMatch !== undefined && !matchesEtag(ifMatch, etag)) throw preconditionFailed('If-Match');
  const ifNoneMatch = header(call, 'if-none-match');
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag))
    return empty(304, { etag, 'last-modified': headers['last-modified']!, 'x-amz-version-id': version.versionId });

  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = call.query.get(param);
    if (value !== null) headers[name] = value;
  }
  const bytes = Buffer.from(call.engine.artifacts.bodyOf(version));
  const range = parseRange(header(call, 'range'), bytes.length);
  if (range === 'unsatisfiable')
    throw new S3Error(
      416,
      'InvalidRange',
      'The requested range is not satisfiable',
      { RangeRequested: header(call, 'range'), ActualObjectSize: String(bytes.length) },
      { 'content-range': `bytes */${bytes.length}` },
    );
  if (range)
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` },
      body: bytes.subarray(range.start, range.end + 1),
    };
  // Checksum mode asks for the full object's checksum; CRC32 is the one every client validates.
  if (header(call, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED')
    Object.assign(headers, { 'x-amz-checksum-crc32': checksum('crc32', bytes), 'x-amz-checksum-type': 'FULL_OBJECT' });
  return { status: 200, headers, body: bytes };
}

function matchesEtag(condition: string, etag: string): boolean {
  return condition.split(',').some((c) => {
    const t = c.trim().replace(/^W\//, '');
    return t === '*' || t === etag || `"${t}"` === etag;
  });
}

/**
 * Removes an object. The store keeps a key's versions together: deleting without a version removes the
 * key (no delete marker), and deleting by version is possible only for a key's single version.
 */
function deleteOne(engine: Engine, bucket: string, key: string, versionId: string | undefined): Record<string, string> {
  const store = engine.artifacts;
  if (versionId === undefined) {
    store.delete(bucket, key);
    return {};
  }
  store.deleteVersion(bucket, key, versionId);
  return { 'x-amz-version-id': versionId };
}

export function deleteObject(call: S3Call): WireResponse {
  requireBucket(call);
  return empty(204, deleteOne(call.engine, call.bucket, objectKey(call), call.query.get('versionId') ?? undefined));
}

/** DeleteObjects (`POST /bucket?delete`): per-key results, errors reported inline. */
export function deleteObjects(call: S3Call): WireResponse {
  requireBucket(call);
  const xml = readPayload(call.req, call.body).data.toString('utf8');
  if (!hasRoot(xml, 'Delete')) throw malformedXml();
  const objects = elementTexts(xml, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = elementText(xml, 'Quiet')?.trim() === 'true';
  const results: [string, XmlContent][] = [];
  for (const o of objects) {
    const key = elementText(o, 'Key');
    if (key === undefined) throw malformedXml();
    const versionId = elementText(o, 'VersionId');
    try {
      deleteOne(call.engine, call.bucket, key, versionId);
      if (!quiet)
        results.push([
          'Deleted',
          [
            ['Key', key],
            ['VersionId', versionId],
          ],
        ]);
    } catch (e) {
      if (!(e instanceof S3Error)) throw e;
      results.push([
        'Error',
        [
          ['Key', key],
          ['VersionId', versionId],
          ['Code', e.code],
          ['Message', e.message],
        ],
      ]);
    }
  }
  return xmlOk(xmlDocument('DeleteResult', results));
}

/** The version an object subresource request names (versionId), or NoSuchKey / NoSuchVersion. */
function requireVersion(call: S3Call): ObjectVersionRecord {
  requireBucket(call);
  const key = objectKey(call);
  const versionId = call.query.get('versionId');
  const version = call.engine.artifacts.get(call.bucket, key, versionId ?? undefined);
  if (!version) throw versionId !== null && versionId !== '' ? noSuchVersion(key, versionId) : noSuchKey(key);
  return version;
}

export function getObjectTagging(call: S3Call): WireResponse {
  const version = requireVersion(call);
  return xmlOk(taggingDocument(version.tags ?? []), { 'x-amz-version-id': version.versionId });
}

export function putObjectTagging(call: S3Call): WireResponse {
  const version = requireVersion(call);
  const tags = parseTagging(readPayload(call.req, call.body).data.toString('utf8'), 10, 'Object');
  if (tags.length > 0) version.tags = tags;
  else delete version.tags;
  call.engine.artifacts.touchObject(call.bucket, call.key!);
  return empty(200, { 'x-amz-version-id': version.versionId });
}

export function deleteObjectTagging(call: S3Call): WireResponse {
  const version = requireVersion(call);
  delete version.tags;
  call.engine.artifacts.touchObject(call.bucket, call.key!);
  return empty(204, { 'x-amz-version-id': version.versionId });
}

export function getObjectAcl(call: S3Call): WireResponse {
  const version = requireVersion(call);
  return xmlOk(aclDocument(call.ctx.account, version.meta?.acl ?? 'private'), {
    'x-amz-version-id': version.versionId,
  });
}

/** A canned ACL (x-amz-acl) on an object; ACL documents only where they grant the owner alone. */
export function putObjectAcl(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  const version = requireVersion(call);
  const acl = cannedAcl(call);
  const xml = readPayload(call.req, call.body).data.toString('utf8').trim();
  if (xml !== '' && !hasRoot(xml, 'AccessControlPolicy')) throw malformedXml();
  const grants = xml !== '' ? elementTexts(xml, 'Grant') : [];
  checkAclAllowed(bucket, acl, grants.length > 1);
  if (acl === undefined && xml === '')
    throw new S3Error(400, 'MissingSecurityHeader', 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  const meta = (version.meta ??= {});
  if (acl && acl !== 'private') meta.acl = acl;
  else delete meta.acl;
  call.engine.artifacts.touchObject(call.bucket, call.key!);
  return empty(200, { 'x-amz-version-id': version.versionId });
}
