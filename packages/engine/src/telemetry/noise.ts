/**
 * Deterministic noise for values computed on read (per-subtask metrics): a hash of the inputs, so
 * reading a metric never advances a random source and two reads at the same moment agree.
 */
import { hash32 } from '../util/random.js';

/** Uniform in [0, 1) from the key. */
export function noise(key: string): number {
  return hash32(key) / 4294967296;
}

/** `value` scaled by a factor in [1 - spread, 1 + spread] chosen by the key. */
export function jitterBy(key: string, value: number, spread: number): number {
  return value * (1 - spread + 2 * spread * noise(key));
}
