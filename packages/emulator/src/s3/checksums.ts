/**
 * S3's additional checksums (`x-amz-checksum-<algorithm>`, base64 of the big-endian digest), computed here
 * so an upload whose bytes do not match its declared checksum is refused as S3 refuses it.
 */
import { createHash } from 'node:crypto';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Table of a reflected 32-bit CRC. */
function crc32Table(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32 = crc32Table(0xedb88320);
const CRC32C = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, bytes: Uint8Array): Buffer {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (crc >>> 8) ^ table[(crc ^ b) & 0xff]!;
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

/** CRC-64/NVME's reflected table split in 32-bit halves, so the loop runs on plain numbers, not BigInt. */
const CRC64 = (() => {
  const poly = 0x9a6c9329ac4bc9b5n;
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    hi[n] = Number(c >> 32n);
    lo[n] = Number(c & 0xffffffffn);
  }
  return { hi, lo };
})();

function crc64nvme(bytes: Uint8Array): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (const b of bytes) {
    const i = (lo ^ b) & 0xff;
    lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ CRC64.lo[i]!) >>> 0;
    hi = ((hi >>> 8) ^ CRC64.hi[i]!) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

export function checksum(algorithm: ChecksumAlgorithm, bytes: Uint8Array): string {
  switch (algorithm) {
    case 'crc32':
      return crc32With(CRC32, bytes).toString('base64');
    case 'crc32c':
      return crc32With(CRC32C, bytes).toString('base64');
    case 'crc64nvme':
      return crc64nvme(bytes).toString('base64');
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(bytes).digest('base64');
  }
}

/** The algorithm named by a header such as `x-amz-checksum-crc32`. */
export function checksumHeaderAlgorithm(header: string): ChecksumAlgorithm | undefined {
  const name = header.toLowerCase().replace(/^x-amz-checksum-/, '');
  return header.toLowerCase().startsWith('x-amz-checksum-') ? CHECKSUM_ALGORITHMS.find((a) => a === name) : undefined;
}

/** S3's spelling of an algorithm in error messages. */
export function checksumLabel(algorithm: ChecksumAlgorithm): string {
  return algorithm.toUpperCase();
}
