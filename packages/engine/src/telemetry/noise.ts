/**
 * Deterministic noise for values computed on read or sampled often: a hash of the inputs, so reading a
 * metric never advances a random source and two reads at the same moment agree.
 */
import { hash32 } from '../util/random.js';

/** Uniform in [0, 1) from the key. */
export function noise(key: string): number {
  return hash32(key) / 4294967296;
}

/** `value` scaled by a factor in [1 - spread, 1 + spread] chosen by `u`, uniform in [0, 1). */
export function jitter(u: number, value: number, spread: number): number {
  return value * (1 - spread + 2 * spread * u);
}

/** Uniform in [0, 1) from three integers (no string building on hot paths). */
export function noise3(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export function jitter3(a: number, b: number, c: number, value: number, spread: number): number {
  return value * (1 - spread + 2 * spread * noise3(a, b, c));
}
