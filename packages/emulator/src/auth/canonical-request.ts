/**
 * SigV4's canonical request and signing key, rebuilt from a request as it arrived on the wire, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(expectedHex: string, givenHex: string | undefined): boolean {
  if (givenHex === undefined || !/^[0-9a-f]{64}$/.test(givenHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(givenHex, 'hex'));
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, `!'()*` included. */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URIs a correct signer may have used for this path. S3 signs the path as sent (encoded
 * once); signers differ on which reserved characters they leave raw, so the strictly re-encoded form is
 * tried as well. Every other service normalizes the path and encodes it a second time.
 */
export function canonicalPaths(rawPath: string, service: string): string[] {
  const path = rawPath === '' ? '/' : rawPath;
  if (service === 's3') {
    const strict = path
      .split('/')
      .map((segment) => uriEscape(safeDecode(segment)))
      .join('/');
    return strict === path ? [path] : [path, strict];
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return [uriEscape(normalized).replace(/%2F/g, '/')];
}

/** Query parameters decoded, re-encoded strictly and sorted by name, then value. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      return [uriEscape(safeDecode(name)), uriEscape(safeDecode(value))] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature');
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** A header's values as SigV4 canonicalizes them: trimmed, inner runs of spaces collapsed, joined by commas. */
function headerValue(req: IncomingMessage, name: string): string {
  const distinct = (req as { headersDistinct?: Record<string, string[] | undefined> }).headersDistinct?.[name];
  const raw = req.headers[name];
  const values = distinct ?? (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export function canonicalRequest(
  req: IncomingMessage,
  canonicalPath: string,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const query = q < 0 ? '' : url.slice(q + 1);
  const headers = signedHeaders.map((name) => `${name}:${headerValue(req, name.toLowerCase())}\n`).join('');
  return [
    req.method ?? 'GET',
    canonicalPath,
    canonicalQuery(query),
    headers,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** The raw path of the request target, before the query. */
export function rawPathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
