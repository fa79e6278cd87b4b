/**
 * The S3 subset code packages and infrastructure tools need, path style (`/bucket/key`, and
 * `bucket.localhost` hosts): buckets with their subresources (tags, policy, ACL, encryption, CORS, ...,
 * see bucket-config.ts), objects with versions, metadata and tags, listings. Answers and errors are S3's
 * XML; anything outside the subset is refused with S3's NotImplemented naming what is missing (and the
 * emulator logs it) rather than half done.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CallContext, Engine } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import {
  deleteBucketPolicy,
  deleteBucketTagging,
  deleteConfig,
  getBucketAcl,
  getBucketPolicy,
  getBucketPolicyStatus,
  getBucketTagging,
  getConfig,
  putBucketAcl,
  putBucketPolicy,
  putBucketTagging,
  putConfig,
  SUBRESOURCES,
} from './bucket-config.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketVersioning,
  headBucket,
  listBuckets,
  putBucketVersioning,
} from './bucket-ops.js';
import { listObjectsV1, listObjectsV2, listObjectVersions } from './list-objects.js';
import {
  copyObject,
  deleteObject,
  deleteObjects,
  deleteObjectTagging,
  getObject,
  getObjectAcl,
  getObjectTagging,
  putObject,
  putObjectAcl,
  putObjectTagging,
} from './object-ops.js';
import { header, ownerXml, requireBucket, type S3Call } from './s3-call.js';
import { methodNotAllowed, renderError, S3Error } from './s3-errors.js';

/**
 * Subresources S3 has and this subset does not, with the operations they stand for: refused (NotImplemented,
 * naming the operation) instead of being mistaken for plain requests.
 */
const UNSUPPORTED: Record<string, string> = {
  analytics: 'BucketAnalyticsConfiguration',
  attributes: 'GetObjectAttributes',
  'intelligent-tiering': 'BucketIntelligentTieringConfiguration',
  inventory: 'BucketInventoryConfiguration',
  'legal-hold': 'ObjectLegalHold',
  metrics: 'BucketMetricsConfiguration',
  metadataTable: 'BucketMetadataTableConfiguration',
  partNumber: 'GetObject by part number',
  restore: 'RestoreObject',
  retention: 'ObjectRetention',
  select: 'SelectObjectContent',
  torrent: 'GetObjectTorrent',
  uploadId: 'multipart upload',
  uploads: 'multipart upload',
};

const newRequestId = () => randomBytes(8).toString('hex').toUpperCase();
const newHostId = () => randomBytes(48).toString('base64');

/**
 * Answers one S3 request. `unimplemented` hears of every request answered NotImplemented, with what it
 * asked for (the emulator logs it, so a user sees exactly what is missing).
 */
export function handleS3(
  engine: Engine,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  ctx: CallContext,
  unimplemented?: (what: string) => void,
): WireResponse {
  const requestId = newRequestId();
  const hostId = newHostId();
  const method = req.method ?? 'GET';
  let level = 'service';
  try {
    const { bucket, key } = target(req);
    level = bucket === '' ? 'service' : key === undefined ? 'bucket' : 'object';
    const call: S3Call = { engine, req, query: url.searchParams, body, ctx, method, bucket, key };
    const out = bucket === '' ? service(call) : key === undefined ? bucketRoute(call) : objectRoute(call);
    return { ...out, headers: { ...out.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId } };
  } catch (e) {
    if (e instanceof S3Error) {
      if (e.code === 'NotImplemented')
        unimplemented?.(`s3 ${method} ${requestShape(req, level)} (answered NotImplemented: ${e.message})`);
      return renderError(e, requestId, hostId, method === 'HEAD');
    }
    throw e;
  }
}

/** What a request asks for, without bucket, key or query values: `bucket?inventory`, `object?retention`. */
function requestShape(req: IncomingMessage, level: string): string {
  const query = (req.url ?? '/').split('?')[1];
  // x-id is the SDKs' name of the operation, not part of the request.
  const params = query
    ? query
        .split('&')
        .map((p) => decodeURIComponent(p.split('=')[0]!))
        .filter((p) => p !== 'x-id')
    : [];
  return params.length > 0 ? `${level}?${params.join('&')}` : level;
}

/**
 * An S3-shaped error for failures decided before the handler runs (authentication), which S3 clients can
 * read, unlike the JSON error shape: e.g. InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied.
 */
export function s3ErrorResponse(status: number, code: string, message: string, method = 'GET'): WireResponse {
  return renderError(new S3Error(status, code, message), newRequestId(), newHostId(), method === 'HEAD');
}

/** Bucket and key from the raw request target, so encoded slashes and dot segments in keys survive. */
function target(req: IncomingMessage): { bucket: string; key: string | undefined } {
  const raw = (req.url ?? '/').split('?')[0]!;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.", { URI: raw });
  }
  const virtualHost = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.localhost(?::\d+)?$/i.exec(req.headers.host ?? '');
  if (virtualHost) return { bucket: virtualHost[1]!, key: path.length > 1 ? path.slice(1) : undefined };
  const rest = path.slice(1);
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest, key: undefined };
  const key = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), key: key === '' ? undefined : key };
}

function unsupported(call: S3Call): void {
  const name = Object.keys(UNSUPPORTED).find((s) => call.query.has(s));
  if (name)
    throw new S3Error(
      501,
      'NotImplemented',
      `The emulator does not implement ${UNSUPPORTED[name]} (${call.method} ?${name} on ${call.key === undefined ? 'a bucket' : 'an object'}).`,
      { Subresource: name },
    );
}

/** The bucket subresource a request names, if this module answers it. */
function subresource(call: S3Call): string | undefined {
  return Object.keys(SUBRESOURCES).find((s) => call.query.has(s));
}

function service(call: S3Call): WireResponse {
  if (call.method === 'GET') return listBuckets(call);
  throw methodNotAllowed(call.method, 'SERVICE', 'GET');
}

function bucketRoute(call: S3Call): WireResponse {
  const q = call.query;
  const sub = subresource(call);
  switch (call.method) {
    case 'GET':
      if (q.has('location')) return getBucketLocation(call);
      if (q.has('versioning')) return getBucketVersioning(call);
      if (q.has('acl')) return getBucketAcl(call);
      if (q.has('policyStatus')) return getBucketPolicyStatus(call);
      if (q.has('policy')) return getBucketPolicy(call);
      if (q.has('tagging')) return getBucketTagging(call);
      if (sub) return getConfig(call, sub);
      unsupported(call);
      if (q.has('versions'))
        return listObjectVersions(call.bucket, (prefix) => bucketObjects(call, prefix), q, ownerXml(call.ctx.account));
      return q.get('list-type') === '2'
        ? listObjectsV2(call.bucket, (prefix) => bucketObjects(call, prefix), q, ownerXml(call.ctx.account))
        : listObjectsV1(call.bucket, (prefix) => bucketObjects(call, prefix), q, ownerXml(call.ctx.account));
    case 'HEAD':
      return headBucket(call);
    case 'PUT':
      if (q.has('versioning')) return putBucketVersioning(call);
      if (q.has('acl')) return putBucketAcl(call);
      if (q.has('policy')) return putBucketPolicy(call);
      if (q.has('tagging')) return putBucketTagging(call);
      if (sub) return putConfig(call, sub);
      unsupported(call);
      return createBucket(call);
    case 'DELETE':
      if (q.has('policy')) return deleteBucketPolicy(call);
      if (q.has('tagging')) return deleteBucketTagging(call);
      if (sub) return deleteConfig(call, sub);
      if (q.has('acl') || q.has('versioning') || q.has('policyStatus'))
        throw methodNotAllowed('DELETE', 'BUCKET', 'GET, PUT');
      unsupported(call);
      return deleteBucket(call);
    case 'POST':
      if (q.has('delete')) return deleteObjects(call);
      throw new S3Error(501, 'NotImplemented', 'The emulator does not implement POST Object (browser form upload).');
    default:
      throw methodNotAllowed(call.method, 'BUCKET', 'GET, HEAD, PUT, DELETE, POST');
  }
}

function bucketObjects(call: S3Call, prefix: string) {
  requireBucket(call);
  return call.engine.artifacts.list(call.bucket, prefix);
}

function objectRoute(call: S3Call): WireResponse {
  const q = call.query;
  switch (call.method) {
    case 'GET':
    case 'HEAD':
      if (call.method === 'GET' && q.has('tagging')) return getObjectTagging(call);
      if (call.method === 'GET' && q.has('acl')) return getObjectAcl(call);
      unsupported(call);
      return getObject(call);
    case 'PUT': {
      if (q.has('tagging')) return putObjectTagging(call);
      if (q.has('acl')) return putObjectAcl(call);
      unsupported(call);
      const source = header(call, 'x-amz-copy-source');
      return source !== undefined ? copyObject(call, source) : putObject(call);
    }
    case 'DELETE':
      if (q.has('tagging')) return deleteObjectTagging(call);
      unsupported(call);
      return deleteObject(call);
    case 'POST':
      unsupported(call);
      throw methodNotAllowed(call.method, 'OBJECT', 'GET, HEAD, PUT, DELETE');
    default:
      throw methodNotAllowed(call.method, 'OBJECT', 'GET, HEAD, PUT, DELETE');
  }
}
