/** Object operations: PutObject, CopyObject, GetObject/HeadObject (versions, ranges), DeleteObject(s). */
import type { Engine } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import { checksum } from './checksums.js';
import { lastModifiedIso, type ObjectVersionRecord } from './list-objects.js';
import { readPayload } from './payload.js';
import { empty, header, requireBucket, xmlOk, type S3Call } from './s3-call.js';
import { invalidArgument, malformedXml, noSuchBucket, noSuchKey, noSuchVersion, S3Error } from './s3-errors.js';
import { elementText, elementTexts, hasRoot, xmlDocument, type XmlContent } from './xml.js';

/** S3 stores objects it was given no type for as this. */
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

function objectKey(call: S3Call): string {
  const key = call.key!;
  if (Buffer.byteLength(key) > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Key: key });
  return key;
}

function objectHeaders(version: ObjectVersionRecord): Record<string, string> {
  return {
    'content-type': version.contentType,
    etag: `"${version.etag}"`,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'x-amz-version-id': version.versionId,
    'x-amz-server-side-encryption': 'AES256',
    'accept-ranges': 'bytes',
  };
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

export function putObject(call: S3Call): WireResponse {
  requireBucket(call);
  const key = objectKey(call);
  const { data, checksums } = readPayload(call.req, call.body);
  // Conditional write: If-None-Match: * creates the object only if it does not exist yet.
  if (header(call, 'if-none-match') === '*' && call.engine.artifacts.get(call.bucket, key))
    throw preconditionFailed('If-None-Match');
  const version = call.engine.artifacts.put(
    call.bucket,
    key,
    data,
    header(call, 'content-type') ?? DEFAULT_CONTENT_TYPE,
  );
  const echoed = Object.keys(checksums).length > 0 ? { ...checksums, 'x-amz-checksum-type': 'FULL_OBJECT' } : {};
  return empty(200, {
    etag: `"${version.etag}"`,
    'x-amz-version-id': version.versionId,
    'x-amz-server-side-encryption': 'AES256',
    ...echoed,
  });
}

/** `x-amz-copy-source: [/]bucket/key[?versionId=…]`, URL-encoded. */
export function copyObject(call: S3Call, source: string): WireResponse {
  requireBucket(call);
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
  const copied = store.put(call.bucket, key, store.bodyOf(src), contentType);
  return xmlOk(
    xmlDocument('CopyObjectResult', [
      ['LastModified', lastModifiedIso(copied.lastModified)],
      ['ETag', `"${copied.etag}"`],
    ]),
    {
      'x-amz-version-id': copied.versionId,
      'x-amz-copy-source-version-id': src.versionId,
      'x-amz-server-side-encryption': 'AES256',
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
  const obj = store.list(bucket, key).find((o) => o.key === key);
  if (!obj || !obj.versions.some((v) => v.versionId === versionId)) return {};
  if (obj.versions.length > 1)
    throw new S3Error(
      501,
      'NotImplemented',
      'The emulator can delete one version of an object only when it is the only version.',
      {
        Key: key,
        VersionId: versionId,
      },
    );
  store.delete(bucket, key);
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
