/**
 * A request body as S3 reads it: aws-chunked framing removed, then checked against what the client
 * declared about it (decoded length, x-amz-content-sha256, Content-MD5, x-amz-checksum-* headers or trailers).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';
import { checksum, checksumHeaderAlgorithm, checksumLabel } from './checksums.js';
import { S3Error } from './s3-errors.js';

export interface Payload {
  data: Buffer;
  /** Verified `x-amz-checksum-<algorithm>` values to echo back, by header name. */
  checksums: Record<string, string>;
}

export function readPayload(req: IncomingMessage, body: Buffer): Payload {
  let data = body;
  const declared: [string, string][] = Object.entries(req.headers).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, value] as [string, string]] : [],
  );
  if (isAwsChunked(req.headers)) {
    const decoded = decodeAwsChunked(body);
    if (typeof decoded === 'string')
      throw new S3Error(400, 'IncompleteBody', `The request body is not valid aws-chunked encoding: ${decoded}`);
    data = decoded.body;
    declared.push(...decoded.trailers);
    const length = req.headers['x-amz-decoded-content-length'];
    if (typeof length === 'string' && Number(length) !== data.length)
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
      );
  } else {
    const sha = req.headers['x-amz-content-sha256'];
    if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha)) {
      const computed = createHash('sha256').update(data).digest('hex');
      if (computed !== sha)
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          {
            ClientComputedContentSHA256: sha,
            S3ComputedContentSHA256: computed,
          },
        );
    }
  }

  const md5 = req.headers['content-md5'];
  if (typeof md5 === 'string') {
    const given = Buffer.from(md5, 'base64');
    if (given.length !== 16)
      throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.', { 'Content-MD5': md5 });
    const computed = createHash('md5').update(data).digest();
    if (!computed.equals(given))
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: given.toString('hex'),
        CalculatedDigest: computed.toString('hex'),
      });
  }

  const checksums: Record<string, string> = {};
  for (const [name, value] of declared) {
    const algorithm = checksumHeaderAlgorithm(name);
    if (!algorithm) continue;
    if (checksum(algorithm, data) !== value)
      throw new S3Error(
        400,
        'BadDigest',
        `The ${checksumLabel(algorithm)} you specified did not match the calculated checksum.`,
      );
    checksums[name] = value;
  }
  return { data, checksums };
}
