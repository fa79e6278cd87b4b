/** S3's error shape: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`, no body on HEAD. */
import type { WireResponse } from '../protocol/json-rpc.js';
import { xmlDocument, type XmlContent } from './xml.js';

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements S3 adds for this error (Key, BucketName, VersionId, …). */
    readonly details: Record<string, string | undefined> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function renderError(e: S3Error, requestId: string, hostId: string, head: boolean): WireResponse {
  const headers = { ...e.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
  if (head) return { status: e.status, headers, body: '' };
  const content: XmlContent = [
    ['Code', e.code],
    ['Message', e.message],
    ...Object.entries(e.details),
    ['RequestId', requestId],
    ['HostId', hostId],
  ];
  return {
    status: e.status,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: xmlDocument('Error', content, null),
  };
}

export const noSuchBucket = (bucket: string) =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchVersion = (key: string, versionId: string) =>
  new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId });

export const methodNotAllowed = (method: string, resourceType: 'SERVICE' | 'BUCKET' | 'OBJECT', allow: string) =>
  new S3Error(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    { Method: method, ResourceType: resourceType },
    { allow },
  );

export const notImplemented = (what: string) =>
  new S3Error(
    501,
    'NotImplemented',
    `A header you provided implies functionality that is not implemented by the emulator: ${what}.`,
    { Header: what },
  );

export const invalidArgument = (message: string, name: string, value: string) =>
  new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

export const malformedXml = () =>
  new S3Error(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
