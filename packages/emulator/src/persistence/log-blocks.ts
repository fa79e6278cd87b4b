/**
 * An application's event log stored in blocks of BLOCK consecutive entries, one blob each: the engine's
 * own columns (a time and five 32-bit numbers an entry) with the texts and the job ids the block names,
 * deflated. A looping job logs thousands of lines an hour; a row per line cost a statement each, a block
 * costs one per 512 lines and a third of the bytes.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { LOG_COLS, type LogColumns, type LogRow } from '@mfc/engine';

export const BLOCK = 512;
const FORMAT = 1;
/** Kind code of an info line (no job): see the engine's event log. */
const INFO = 2;

export const blockOf = (n: number) => Math.floor(n / BLOCK);

interface Extras {
  jids: string[];
  texts: [number, string][];
  raw: [number, unknown][];
}

/**
 * The blob of block `block` from the log's columns, holding the entries of the block that `c` has (a
 * block's oldest entries may be gone from the log), or undefined when it has none.
 */
export function encodeBlock(block: number, c: LogColumns): Buffer | undefined {
  const start = Math.max(block * BLOCK, c.from);
  const end = Math.min((block + 1) * BLOCK, c.total);
  if (end <= start) return undefined;
  const count = end - start;
  const offset = start - c.from;
  const times = Float64Array.from(c.times.subarray(offset, offset + count));
  const cols = Int32Array.from(c.cols.subarray(offset * LOG_COLS, (offset + count) * LOG_COLS));
  const extras: Extras = { jids: [], texts: [], raw: [] };
  const local = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    const n = start + k;
    const base = k * LOG_COLS;
    if ((cols[base]! & 0xff) !== INFO) {
      const jid = c.jobIds[cols[base + 1]!]!;
      let code = local.get(jid);
      if (code === undefined) local.set(jid, (code = extras.jids.push(jid) - 1));
      cols[base + 1] = code;
    } else cols[base + 1] = -1;
    const text = c.texts.get(n);
    if (text !== undefined) extras.texts.push([n, text]);
    const raw = c.raw.get(n);
    if (raw) extras.raw.push([n, raw]);
  }
  const json = Buffer.from(JSON.stringify(extras));
  const head = Buffer.alloc(12);
  head.writeUInt32LE(start, 0);
  head.writeUInt32LE(count, 4);
  head.writeUInt32LE(json.length, 8);
  const body = Buffer.concat([
    head,
    json,
    Buffer.from(times.buffer, times.byteOffset, times.byteLength),
    Buffer.from(cols.buffer, cols.byteOffset, cols.byteLength),
  ]);
  return Buffer.concat([Buffer.from([FORMAT]), deflateRawSync(body, { level: 6 })]);
}

/** The entries of a block, oldest first; throws on a blob that is not one (a damaged file). */
export function decodeBlock(blob: Uint8Array): LogRow[] {
  if (blob.length < 1 || blob[0] !== FORMAT) throw new Error('log block: unknown format');
  const body = inflateRawSync(blob.subarray(1));
  const start = body.readUInt32LE(0);
  const count = body.readUInt32LE(4);
  const jsonLength = body.readUInt32LE(8);
  const extras = JSON.parse(body.subarray(12, 12 + jsonLength).toString('utf8')) as Extras;
  const at = 12 + jsonLength;
  if (body.length !== at + count * 8 + count * LOG_COLS * 4) throw new Error('log block: truncated');
  // Copied out: the inflated buffer's offsets need not be aligned for typed arrays.
  const times = new Float64Array(new Uint8Array(body.subarray(at, at + count * 8)).buffer);
  const cols = new Int32Array(new Uint8Array(body.subarray(at + count * 8)).buffer);
  const texts = new Map(extras.texts);
  const raw = new Map(extras.raw as [number, LogRow['raw']][]);
  const rows: LogRow[] = [];
  for (let k = 0; k < count; k++) {
    const n = start + k;
    const base = k * LOG_COLS;
    const job = cols[base + 1]!;
    const text = texts.get(n);
    const r = raw.get(n);
    rows.push({
      n,
      t: times[k]!,
      head: cols[base]!,
      ...(job >= 0 ? { jid: extras.jids[job] } : {}),
      v: cols[base + 2]!,
      i: cols[base + 3]!,
      a: cols[base + 4]!,
      ...(text !== undefined ? { text } : {}),
      ...(r ? { raw: r } : {}),
    });
  }
  return rows;
}
