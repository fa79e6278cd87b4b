/**
 * Password hashes with scrypt (node:crypto), stored as one self-describing string:
 *   scrypt$<N>$<r>$<p>$<salt, base64url>$<derived key, base64url>
 * The cost parameters travel with the hash so they can be raised later without breaking old entries.
 */
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from './tokens.js';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^17 is stronger but takes ~0.3 s per login on a small VM). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost, keyLength = KEY_LENGTH): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; leave headroom above Node's 32 MiB default so higher costs work.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export function isPasswordHash(value: string): boolean {
  return HASH_PATTERN.test(value);
}

/** True when the password matches the hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH_PATTERN.exec(hash);
  if (!m) return false;
  const cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const expected = Buffer.from(m[5]!, 'base64url');
  if (expected.length < 16 || expected.length > 128) return false;
  try {
    const key = await derive(password, Buffer.from(m[4]!, 'base64url'), cost, expected.length);
    return safeEqual(key.toString('base64url'), expected.toString('base64url'));
  } catch {
    return false;
  }
}
