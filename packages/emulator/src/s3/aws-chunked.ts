/**
 * The `aws-chunked` content encoding S3 clients use for streaming uploads: `<hex size>[;chunk-signature=<sig>]`
 * CRLF, the chunk's bytes, CRLF, … a zero-size chunk, then optional trailing headers (`name:value` lines,
 * e.g. `x-amz-checksum-crc32` and `x-amz-trailer-signature`) and an empty line.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface AwsChunk {
  data: Buffer;
  /** The chunk-signature extension, when the chunks are signed. */
  signature?: string;
}

export interface AwsChunkedBody {
  /** Every chunk in order, the final empty one included. */
  chunks: AwsChunk[];
  /** The object's bytes. */
  body: Buffer;
  /** Trailing headers in order, names lower-cased, `x-amz-trailer-signature` excluded. */
  trailers: [string, string][];
  trailerSignature?: string;
}

const CRLF = Buffer.from('\r\n');

/** Whether a request's body is aws-chunked framing rather than the object itself. */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const sha = headers['x-amz-content-sha256'];
  if (typeof sha === 'string' && sha.startsWith('STREAMING-')) return true;
  const encoding = headers['content-encoding'];
  return typeof encoding === 'string' && encoding.split(',').some((e) => e.trim() === 'aws-chunked');
}

/** Decodes the framing; a message when it is broken. */
export function decodeAwsChunked(raw: Buffer): AwsChunkedBody | string {
  const chunks: AwsChunk[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, pos);
    if (lineEnd < 0) return 'A chunk header is not terminated by CRLF.';
    const [sizeText, ...extensions] = raw.toString('latin1', pos, lineEnd).split(';');
    if (!sizeText || !/^[0-9a-fA-F]+$/.test(sizeText.trim())) return `Invalid chunk size "${sizeText ?? ''}".`;
    const size = parseInt(sizeText.trim(), 16);
    const signature = extensions
      .map((e) => e.trim())
      .find((e) => e.startsWith('chunk-signature='))
      ?.slice('chunk-signature='.length);
    const start = lineEnd + 2;
    if (start + size > raw.length) return 'The body ends inside a chunk.';
    chunks.push({ data: raw.subarray(start, start + size), signature });
    pos = start + size;
    if (size === 0) break;
    if (!raw.subarray(pos, pos + 2).equals(CRLF)) return 'A chunk is not followed by CRLF.';
    pos += 2;
  }
  const trailers: [string, string][] = [];
  let trailerSignature: string | undefined;
  // Trailing header lines up to an empty line; some clients end the body without the last CRLF.
  while (pos < raw.length) {
    let lineEnd = raw.indexOf(CRLF, pos);
    if (lineEnd < 0) lineEnd = raw.length;
    const line = raw.toString('utf8', pos, lineEnd);
    pos = lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Invalid trailing header "${line}".`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else trailers.push([name, value]);
  }
  return { chunks, body: Buffer.concat(chunks.map((c) => c.data)), trailers, trailerSignature };
}
