/**
 * Seeded pseudo-random source (sfc32). Its whole state is four 32-bit integers, so it can be stored
 * with the entity that owns it; the same seed and the same calls give the same numbers.
 */
export type RandomState = [number, number, number, number];

export class Random {
  private s: RandomState;

  constructor(state: RandomState) {
    this.s = [...state] as RandomState;
  }

  /** A source that advances the given state array in place (the array stays the stored state). */
  static over(state: RandomState): Random {
    const r = Object.create(Random.prototype) as Random;
    r.s = state;
    return r;
  }

  static fromSeed(seed: number | string): Random {
    // splitmix32 over a 32-bit hash of the seed spreads nearby seeds apart.
    let h = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
    const next = (): number => {
      h = (h + 0x9e3779b9) >>> 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const r = new Random([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) r.uint32();
    return r;
  }

  get state(): RandomState {
    return [...this.s] as RandomState;
  }

  uint32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    let c = s[2];
    const d = s[3];
    const t = (((a + b) >>> 0) + d) >>> 0;
    s[3] = (d + 1) >>> 0;
    s[0] = (b ^ (b >>> 9)) >>> 0;
    s[1] = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    s[2] = (c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `value` scaled by a uniform factor in [1 - spread, 1 + spread]. */
  jitter(value: number, spread: number): number {
    return value * (1 - spread + 2 * spread * this.next());
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.uint32() % alphabet.length];
    return out;
  }
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** FNV-1a 32-bit hash; stable across runs and platforms. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 32 lowercase hex chars derived from text, the shape of Flink's job and vertex ids. */
export function hex128(text: string): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += hash32(`${i}:${text}`).toString(16).padStart(8, '0');
  return out;
}
