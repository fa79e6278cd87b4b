/**
 * ListObjectsV2 (`GET /bucket?list-type=2`) and the original ListObjects: keys in order, rolled up into
 * CommonPrefixes by a delimiter, paged by max-keys with a continuation token (V2) or marker (V1).
 */
import type { ArtifactStore } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import { invalidArgument } from './s3-errors.js';
import { xmlDocument, type XmlContent } from './xml.js';

// The engine's object records, named here because its index exports only the store.
export type ObjectRecord = ReturnType<ArtifactStore['list']>[number];
export type ObjectVersionRecord = NonNullable<ReturnType<ArtifactStore['get']>>;

export interface ListParams {
  prefix: string;
  delimiter: string;
  /** Resume strictly after this key or common prefix. */
  after: string | undefined;
  maxKeys: number;
}

export interface ListPage {
  contents: { key: string; version: ObjectVersionRecord }[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next page starts. */
  last: string | undefined;
}

/** One page of `objects` (sorted by key and filtered by the prefix already). */
export function listPage(objects: ObjectRecord[], { prefix, delimiter, after, maxKeys }: ListParams): ListPage {
  const rollup = (key: string) => {
    if (!delimiter) return undefined;
    const at = key.indexOf(delimiter, prefix.length);
    return at < 0 ? undefined : key.slice(0, at + delimiter.length);
  };
  // Resuming after a common prefix (or a key inside one) skips every key that rolls up into it.
  const resumedPrefix = after !== undefined && after.startsWith(prefix) ? rollup(after) : undefined;
  const page: ListPage = { contents: [], commonPrefixes: [], truncated: false, last: undefined };
  for (const obj of objects) {
    const version = obj.versions.at(-1);
    if (!version || (after !== undefined && obj.key <= after)) continue;
    const common = rollup(obj.key);
    if (common !== undefined && (common === resumedPrefix || common === page.commonPrefixes.at(-1))) continue;
    if (page.contents.length + page.commonPrefixes.length >= maxKeys) {
      page.truncated = maxKeys > 0;
      break;
    }
    if (common !== undefined) page.commonPrefixes.push(common);
    else page.contents.push({ key: obj.key, version });
    page.last = common ?? obj.key;
  }
  return page;
}

export function parseMaxKeys(value: string | null, name = 'max-keys', cap = 1000): number {
  if (value === null) return cap;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, value);
  return Math.min(n, cap);
}

/** `encoding-type=url`: the client asked for keys URL-encoded (the AWS CLI always does). */
export function keyEncoder(encodingType: string | null): (text: string) => string {
  if (encodingType === null || encodingType === '') return (t) => t;
  if (encodingType !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return (t) => encodeURIComponent(t).replace(/%2F/g, '/');
}

/** The query parameters every listing shares. */
function listParams(q: URLSearchParams) {
  return {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') ?? '',
    maxKeys: parseMaxKeys(q.get('max-keys')),
    encode: keyEncoder(q.get('encoding-type')),
  };
}

export function lastModifiedIso(ms: number): string {
  // S3 stores second precision; listings show it with zero milliseconds, as HEAD's Last-Modified agrees.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function contentsXml(page: ListPage, encode: (t: string) => string, owner: XmlContent | undefined): XmlContent {
  return page.contents.map(({ key, version }) => [
    'Contents',
    [
      ['Key', encode(key)],
      ['LastModified', lastModifiedIso(version.lastModified)],
      ['ETag', `"${version.etag}"`],
      ['Size', version.size],
      ['Owner', owner],
      ['StorageClass', 'STANDARD'],
    ],
  ]);
}

function prefixesXml(page: ListPage, encode: (t: string) => string): XmlContent {
  return page.commonPrefixes.map((p) => ['CommonPrefixes', [['Prefix', encode(p)]]]);
}

const xmlResponse = (body: string): WireResponse => ({
  status: 200,
  headers: { 'content-type': 'application/xml' },
  body,
});

export function encodeToken(last: string): string {
  return Buffer.from(`mfc1:${last}`, 'utf8').toString('base64');
}

export function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('mfc1:'))
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return text.slice('mfc1:'.length);
}

export function listObjectsV2(
  bucket: string,
  objects: (prefix: string) => ObjectRecord[],
  q: URLSearchParams,
  owner: XmlContent,
): WireResponse {
  const { prefix, delimiter, maxKeys, encode } = listParams(q);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after');
  if (token === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  const after = token !== null ? decodeToken(token) : startAfter || undefined;
  const page = listPage(objects(prefix), { prefix, delimiter, after, maxKeys });
  return xmlResponse(
    xmlDocument('ListBucketResult', [
      ['Name', bucket],
      ['Prefix', encode(prefix)],
      ['Delimiter', delimiter ? encode(delimiter) : undefined],
      ['MaxKeys', maxKeys],
      ['EncodingType', q.get('encoding-type') || undefined],
      ['KeyCount', page.contents.length + page.commonPrefixes.length],
      ['IsTruncated', page.truncated],
      ['ContinuationToken', token ?? undefined],
      ['NextContinuationToken', page.truncated && page.last !== undefined ? encodeToken(page.last) : undefined],
      ['StartAfter', startAfter ? encode(startAfter) : undefined],
      ...contentsXml(page, encode, q.get('fetch-owner') === 'true' ? owner : undefined),
      ...prefixesXml(page, encode),
    ]),
  );
}

export function listObjectsV1(
  bucket: string,
  objects: (prefix: string) => ObjectRecord[],
  q: URLSearchParams,
  owner: XmlContent,
): WireResponse {
  const { prefix, delimiter, maxKeys, encode } = listParams(q);
  const marker = q.get('marker') ?? '';
  const page = listPage(objects(prefix), { prefix, delimiter, after: marker || undefined, maxKeys });
  return xmlResponse(
    xmlDocument('ListBucketResult', [
      ['Name', bucket],
      ['Prefix', encode(prefix)],
      ['Marker', encode(marker)],
      // Without a delimiter clients continue from the last key; S3 sends NextMarker only with one.
      ['NextMarker', page.truncated && delimiter && page.last !== undefined ? encode(page.last) : undefined],
      ['MaxKeys', maxKeys],
      ['Delimiter', delimiter ? encode(delimiter) : undefined],
      ['EncodingType', q.get('encoding-type') || undefined],
      ['IsTruncated', page.truncated],
      ...contentsXml(page, encode, owner),
      ...prefixesXml(page, encode),
    ]),
  );
}

/**
 * ListObjectVersions (`GET /bucket?versions`): every version of every key, keys in order and each key's
 * versions newest first, rolled up by a delimiter, paged by max-keys with key-marker / version-id-marker.
 * The store removes a key on a plain delete, so there are no delete markers to list.
 */
export function listObjectVersions(
  bucket: string,
  objects: (prefix: string) => ObjectRecord[],
  q: URLSearchParams,
  owner: XmlContent,
): WireResponse {
  const { prefix, delimiter, maxKeys, encode } = listParams(q);
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  if (versionIdMarker && !keyMarker)
    throw invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionIdMarker,
    );
  const rollup = (key: string) => {
    if (!delimiter) return undefined;
    const at = key.indexOf(delimiter, prefix.length);
    return at < 0 ? undefined : key.slice(0, at + delimiter.length);
  };
  const entries: XmlContent[number][] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let next: { key: string; versionId?: string } | undefined;
  outer: for (const obj of objects(prefix)) {
    if (keyMarker && obj.key < keyMarker) continue;
    const common = rollup(obj.key);
    if (common !== undefined) {
      if (prefixes.at(-1) === common || (keyMarker && common <= keyMarker)) continue;
      if (count >= maxKeys) {
        truncated = true;
        break;
      }
      prefixes.push(common);
      next = { key: common };
      count++;
      continue;
    }
    const versions = [...obj.versions].reverse();
    let i = 0;
    if (keyMarker && obj.key === keyMarker) {
      if (!versionIdMarker) continue;
      i = versions.findIndex((v) => v.versionId === versionIdMarker) + 1;
      if (i === 0) continue;
    }
    for (; i < versions.length; i++) {
      if (count >= maxKeys) {
        truncated = true;
        break outer;
      }
      const v = versions[i]!;
      entries.push([
        'Version',
        [
          ['Key', encode(obj.key)],
          ['VersionId', v.versionId],
          ['IsLatest', i === 0],
          ['LastModified', lastModifiedIso(v.lastModified)],
          ['ETag', `"${v.etag}"`],
          ['Size', v.size],
          ['Owner', owner],
          ['StorageClass', v.meta?.storageClass ?? 'STANDARD'],
        ],
      ]);
      next = { key: obj.key, versionId: v.versionId };
      count++;
    }
  }
  return xmlResponse(
    xmlDocument('ListVersionsResult', [
      ['Name', bucket],
      ['Prefix', encode(prefix)],
      ['KeyMarker', encode(keyMarker)],
      ['VersionIdMarker', versionIdMarker],
      ['NextKeyMarker', truncated && next ? encode(next.key) : undefined],
      ['NextVersionIdMarker', truncated && next?.versionId ? next.versionId : undefined],
      ['MaxKeys', maxKeys],
      ['Delimiter', delimiter ? encode(delimiter) : undefined],
      ['EncodingType', q.get('encoding-type') || undefined],
      ['IsTruncated', truncated],
      ...entries,
      ...prefixes.map((p): XmlContent[number] => ['CommonPrefixes', [['Prefix', encode(p)]]]),
    ]),
  );
}
