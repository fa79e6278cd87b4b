/**
 * SigV4 signature verification for --strict-auth: the signature is recomputed from the request as it
 * arrived and compared in constant time; signed aws-chunked uploads have every chunk signature checked too.
 */
import type { IncomingMessage } from 'node:http';
import { decodeAwsChunked } from '../s3/aws-chunked.js';
import {
  canonicalPaths,
  canonicalRequest,
  EMPTY_SHA256,
  hmac,
  rawPathOf,
  sameSignature,
  sha256Hex,
  signingKey,
} from './canonical-request.js';
import type { Credential } from './sigv4.js';

export interface AuthProblem {
  status: number;
  type: string;
  message: string;
}

/** AWS accepts request times up to 15 minutes either side of its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

const signatureMismatch = (): AuthProblem => ({ status: 403, type: 'SignatureDoesNotMatch', message: MISMATCH });

export function verifySignature(
  req: IncomingMessage,
  body: Buffer,
  credential: Credential,
  secret: string,
): AuthProblem | undefined {
  const amzDate = single(req.headers['x-amz-date']);
  if (!amzDate)
    return {
      status: 400,
      type: 'IncompleteSignatureException',
      message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${single(req.headers.authorization)?.slice(0, 60) ?? ''}`,
    };
  const at = parseAmzDate(amzDate);
  if (at === undefined)
    return {
      status: 400,
      type: 'IncompleteSignatureException',
      message: `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    };
  if (!credential.signedHeaders.map((h) => h.toLowerCase()).includes('host'))
    return {
      status: 400,
      type: 'IncompleteSignatureException',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    };
  const skew = skewProblem(at, amzDate, credential.service);
  if (skew) return skew;
  if (credential.date !== amzDate.slice(0, 8))
    return {
      status: 403,
      type: 'SignatureDoesNotMatch',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    };

  const declared = single(req.headers['x-amz-content-sha256']);
  const payloadHash = declared ?? sha256Hex(body);
  // A declared hash must be the body's: otherwise a signed hash would cover any body.
  if (declared && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(body))
    return credential.service === 's3'
      ? {
          status: 400,
          type: 'XAmzContentSHA256Mismatch',
          message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
        }
      : signatureMismatch();

  const key = signingKey(secret, credential.date, credential.region, credential.service);
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const matches = canonicalPaths(rawPathOf(req), credential.service).some((path) => {
    const request = canonicalRequest(req, path, credential.signedHeaders, payloadHash);
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(request)].join('\n');
    return sameSignature(hmac(key, toSign).toString('hex'), credential.signature);
  });
  if (!matches) return signatureMismatch();

  if (
    payloadHash === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ||
    payloadHash === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  )
    return verifyChunks(body, key, amzDate, scope, credential.signature, payloadHash.endsWith('-TRAILER'));
  return undefined;
}

/**
 * Each chunk signs its bytes and the previous signature, starting from the header's (seed) signature;
 * the trailing headers, when announced, sign last. See AWS's sigv4-streaming and sigv4-streaming-trailers.
 */
function verifyChunks(
  body: Buffer,
  key: Buffer,
  amzDate: string,
  scope: string,
  seed: string,
  trailer: boolean,
): AuthProblem | undefined {
  const decoded = decodeAwsChunked(body);
  if (typeof decoded === 'string') return { status: 400, type: 'IncompleteBody', message: decoded };
  let previous = seed;
  for (const chunk of decoded.chunks) {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, EMPTY_SHA256, sha256Hex(chunk.data)].join(
      '\n',
    );
    const expected = hmac(key, toSign).toString('hex');
    if (!sameSignature(expected, chunk.signature)) return signatureMismatch();
    previous = expected;
  }
  if (!trailer) return undefined;
  const trailers = decoded.trailers.map(([name, value]) => `${name}:${value}\n`).join('');
  const toSign = ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previous, sha256Hex(trailers)].join('\n');
  return sameSignature(hmac(key, toSign).toString('hex'), decoded.trailerSignature) ? undefined : signatureMismatch();
}

function skewProblem(at: number, amzDate: string, service: string): AuthProblem | undefined {
  const now = Date.now();
  if (Math.abs(now - at) <= MAX_SKEW_MS) return undefined;
  if (service === 's3')
    return {
      status: 403,
      type: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  const message =
    at < now
      ? `Signature expired: ${amzDate} is now earlier than ${basicFormat(now - MAX_SKEW_MS)} (${basicFormat(now)} - 15 min.)`
      : `Signature not yet current: ${amzDate} is still later than ${basicFormat(now + MAX_SKEW_MS)} (${basicFormat(now)} + 15 min.)`;
  return { status: 403, type: 'InvalidSignatureException', message };
}

/** `YYYYMMDDTHHMMSSZ` to epoch milliseconds. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

function basicFormat(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
