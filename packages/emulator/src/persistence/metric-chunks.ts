/**
 * An application's hour of one-minute samples as one stored blob: the minutes present and their values in
 * the engine's stored form (32-bit floats, point-in-time metrics relative to their minute), so a point
 * read back is bit for bit the point served before. The floats are split into byte planes before deflate:
 * the high bytes of a metric barely move from minute to minute and compress far better side by side.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const CHUNK_MINUTES = 60;
const FORMAT = 1;
/** format (1), width (1), mask (8). */
const HEADER = 10;

export interface MetricChunk {
  /** Hour number: epoch minutes / 60. */
  hour: number;
  width: number;
  /** One bit per minute of the hour that holds a sample. */
  present: Uint8Array;
  /** [minute of the hour][metric]. */
  values: Float32Array;
}

export function emptyChunk(hour: number, width: number): MetricChunk {
  return { hour, width, present: new Uint8Array(8), values: new Float32Array(CHUNK_MINUTES * width) };
}

export function hasMinute(chunk: MetricChunk, m: number): boolean {
  return (chunk.present[m >> 3]! & (1 << (m & 7))) !== 0;
}

export function setMinute(chunk: MetricChunk, m: number, stored: ArrayLike<number>): void {
  chunk.present[m >> 3]! |= 1 << (m & 7);
  chunk.values.set(stored, m * chunk.width);
}

export function clearMinute(chunk: MetricChunk, m: number): void {
  chunk.present[m >> 3]! &= ~(1 << (m & 7));
  chunk.values.fill(0, m * chunk.width, (m + 1) * chunk.width);
}

export function encodeChunk(chunk: MetricChunk): Buffer {
  const bytes = new Uint8Array(chunk.values.buffer, chunk.values.byteOffset, chunk.values.byteLength);
  const n = chunk.values.length;
  const planes = new Uint8Array(bytes.length);
  for (let k = 0; k < n; k++) for (let b = 0; b < 4; b++) planes[b * n + k] = bytes[k * 4 + b]!;
  const body = deflateRawSync(planes, { level: 1 });
  const out = Buffer.allocUnsafe(HEADER + body.length);
  out[0] = FORMAT;
  out[1] = chunk.width;
  out.set(chunk.present, 2);
  out.set(body, HEADER);
  return out;
}

/** The chunk in a blob; throws on a blob that is not one (a damaged file). */
export function decodeChunk(hour: number, blob: Uint8Array): MetricChunk {
  if (blob.length < HEADER || blob[0] !== FORMAT) throw new Error(`metric chunk ${hour}: unknown format`);
  const width = blob[1]!;
  const planes = inflateRawSync(blob.subarray(HEADER));
  const n = CHUNK_MINUTES * width;
  if (planes.length !== n * 4) throw new Error(`metric chunk ${hour}: ${planes.length} bytes, expected ${n * 4}`);
  const bytes = new Uint8Array(n * 4);
  for (let k = 0; k < n; k++) for (let b = 0; b < 4; b++) bytes[k * 4 + b] = planes[b * n + k]!;
  return { hour, width, present: Uint8Array.from(blob.subarray(2, HEADER)), values: new Float32Array(bytes.buffer) };
}
