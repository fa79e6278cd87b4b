/** One S3 request, resolved to its bucket and key, as the operation handlers receive it. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ArtifactStore, CallContext, Engine } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import { noSuchBucket } from './s3-errors.js';
import type { XmlContent } from './xml.js';

export interface S3Call {
  engine: Engine;
  req: IncomingMessage;
  query: URLSearchParams;
  body: Buffer;
  ctx: CallContext;
  method: string;
  bucket: string;
  /** Undefined for bucket operations. */
  key: string | undefined;
}

export const xmlOk = (body: string, headers: Record<string, string> = {}): WireResponse => ({
  status: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body,
});

export const empty = (status: number, headers: Record<string, string> = {}): WireResponse => ({
  status,
  headers,
  body: '',
});

/** The bucket record, or NoSuchBucket. */
export function requireBucket(call: S3Call): NonNullable<ReturnType<ArtifactStore['bucket']>> {
  const bucket = call.engine.artifacts.bucket(call.bucket);
  if (!bucket) throw noSuchBucket(call.bucket);
  return bucket;
}

/** An account's owner element; S3's canonical user id is 64 hex characters, derived here from the account. */
export function ownerXml(account: string): XmlContent {
  return [
    ['ID', createHash('sha256').update(`mfc-canonical-user:${account}`).digest('hex')],
    ['DisplayName', account],
  ];
}

export function header(call: S3Call, name: string): string | undefined {
  const v = call.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
