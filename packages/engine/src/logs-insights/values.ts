/**
 * Values of Logs Insights fields: strings, numbers and points in time (which print as CloudWatch prints
 * them). Booleans are 1 and 0, as Logs Insights returns them (`stats sum(strcontains(...))` counts).
 * An absent field is `null`.
 */

/** A point in time (epoch ms): @timestamp, @ingestionTime, bin(...). */
export class Time {
  constructor(readonly ms: number) {}
}

export type Value = string | number | Time | null;

export const bool = (b: boolean): number => (b ? 1 : 0);

/** The number a value stands for, or undefined (Logs Insights compares "42" and 42 as numbers). */
export function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v instanceof Time) return v.ms;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export function isTruthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '';
  return true;
}

/** `2026-12-06 14:55:00.000`, in UTC, as GetQueryResults shows times. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The string a result row carries. */
export function format(v: Value): string {
  if (v instanceof Time) return formatTime(v.ms);
  if (typeof v === 'number') return String(v);
  return v ?? '';
}

/** Text of a value for string functions and regexes. */
export function text(v: Value): string {
  return v instanceof Time ? formatTime(v.ms) : typeof v === 'number' ? String(v) : (v ?? '');
}

/** `=`: numerically when both sides are numbers, else as text. */
export function equals(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x === y;
  return text(a) === text(b);
}

/** `<` and friends: numerically when both sides are numbers, else by text; undefined when a side is absent. */
export function order(a: Value, b: Value): number | undefined {
  if (a === null || b === null) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  const s = text(a);
  const t = text(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/**
 * The sort command's order, ascending: CloudWatch's "natural" sort puts every non-number before every
 * number; non-numbers compare chunk by chunk (digit runs by length, then value; other runs by code unit).
 * Absent values go last whatever the direction, so they are handled by the caller.
 */
export function naturalCompare(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (x !== undefined) return 1;
  if (y !== undefined) return -1;
  return chunked(text(a), text(b));
}

const CHUNK = /\d+|\D+/g;

function chunked(s: string, t: string): number {
  const p = s.match(CHUNK) ?? [];
  const q = t.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(p.length, q.length); i++) {
    const u = p[i]!;
    const v = q[i]!;
    if (u === v) continue;
    if (isDigit(u) && isDigit(v) && u.length !== v.length) return u.length - v.length;
    return u < v ? -1 : 1;
  }
  return p.length - q.length;
}

const isDigit = (s: string) => s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;
