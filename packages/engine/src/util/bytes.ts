/** Byte helpers that work without Node's Buffer, so the engine stays free of platform I/O APIs. */
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2];
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : B64[c & 63];
  }
  return out;
}

/** Decodes base64; returns undefined for text that is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (B64_INDEX.get(clean[i]!)! << 18) |
      (B64_INDEX.get(clean[i + 1]!)! << 12) |
      ((B64_INDEX.get(clean[i + 2]!) ?? 0) << 6) |
      (B64_INDEX.get(clean[i + 3]!) ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const md5Hex = (bytes: Uint8Array): string => bytesToHex(md5(bytes));
export const sha256Hex = (bytes: Uint8Array): string => bytesToHex(sha256(bytes));
