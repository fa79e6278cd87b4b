/**
 * The S3 subset code packages need, path style (`/bucket/key`, and `bucket.localhost` hosts): buckets,
 * objects with versions, listings. Answers and errors are S3's XML; anything outside the subset is
 * refused with S3's NotImplemented rather than half done.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CallContext, Engine } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketVersioning,
  headBucket,
  listBuckets,
  putBucketVersioning,
} from './bucket-ops.js';
import { listObjectsV1, listObjectsV2 } from './list-objects.js';
import { copyObject, deleteObject, deleteObjects, getObject, putObject } from './object-ops.js';
import { header, ownerXml, requireBucket, type S3Call } from './s3-call.js';
import { methodNotAllowed, notImplemented, renderError, S3Error } from './s3-errors.js';

/** Subresources S3 has and this subset does not: refused instead of being mistaken for plain requests. */
const UNSUPPORTED = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versions',
  'website',
];

const newRequestId = () => randomBytes(8).toString('hex').toUpperCase();
const newHostId = () => randomBytes(48).toString('base64');

export function handleS3(engine: Engine, req: IncomingMessage, url: URL, body: Buffer, ctx: CallContext): WireResponse {
  const requestId = newRequestId();
  const hostId = newHostId();
  const method = req.method ?? 'GET';
  try {
    const { bucket, key } = target(req);
    const call: S3Call = { engine, req, query: url.searchParams, body, ctx, method, bucket, key };
    const out = bucket === '' ? service(call) : key === undefined ? bucketRoute(call) : objectRoute(call);
    return { ...out, headers: { ...out.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId } };
  } catch (e) {
    if (e instanceof S3Error) return renderError(e, requestId, hostId, method === 'HEAD');
    throw e;
  }
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
  const name = UNSUPPORTED.find((s) => call.query.has(s));
  if (name) throw notImplemented(`?${name}`);
}

function service(call: S3Call): WireResponse {
  if (call.method === 'GET') return listBuckets(call);
  throw methodNotAllowed(call.method, 'SERVICE', 'GET');
}

function bucketRoute(call: S3Call): WireResponse {
  const q = call.query;
  switch (call.method) {
    case 'GET':
      if (q.has('location')) return getBucketLocation(call);
      if (q.has('versioning')) return getBucketVersioning(call);
      unsupported(call);
      return q.get('list-type') === '2'
        ? listObjectsV2(call.bucket, (prefix) => bucketObjects(call, prefix), q, ownerXml(call.ctx.account))
        : listObjectsV1(call.bucket, (prefix) => bucketObjects(call, prefix), q, ownerXml(call.ctx.account));
    case 'HEAD':
      return headBucket(call);
    case 'PUT':
      if (q.has('versioning')) return putBucketVersioning(call);
      unsupported(call);
      return createBucket(call);
    case 'DELETE':
      unsupported(call);
      return deleteBucket(call);
    case 'POST':
      if (q.has('delete')) return deleteObjects(call);
      throw notImplemented('POST Object (browser form upload)');
    default:
      throw methodNotAllowed(call.method, 'BUCKET', 'GET, HEAD, PUT, DELETE, POST');
  }
}

function bucketObjects(call: S3Call, prefix: string) {
  requireBucket(call);
  return call.engine.artifacts.list(call.bucket, prefix);
}

function objectRoute(call: S3Call): WireResponse {
  switch (call.method) {
    case 'GET':
    case 'HEAD':
      unsupported(call);
      return getObject(call);
    case 'PUT': {
      unsupported(call);
      const source = header(call, 'x-amz-copy-source');
      return source !== undefined ? copyObject(call, source) : putObject(call);
    }
    case 'DELETE':
      unsupported(call);
      return deleteObject(call);
    case 'POST':
      unsupported(call);
      throw methodNotAllowed(call.method, 'OBJECT', 'GET, HEAD, PUT, DELETE');
    default:
      throw methodNotAllowed(call.method, 'OBJECT', 'GET, HEAD, PUT, DELETE');
  }
}
