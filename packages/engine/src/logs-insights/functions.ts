/**
 * Scalar functions of fields, filter and sort expressions. Absent arguments make string and number
 * functions absent too, as in Logs Insights; predicates answer 1 or 0. Time functions that take a period
 * (bin, datefloor, dateceil) are compiled by the evaluator, since their period is not a value.
 */
import { bool, text, Time, toNumber, type Value } from './values.js';

export interface ScalarFunction {
  min: number;
  max: number;
  apply(args: Value[]): Value;
}

const fn = (min: number, max: number, apply: (args: Value[]) => Value): ScalarFunction => ({ min, max, apply });

/** A function of one string; absent in, absent out. */
const str = (f: (s: string, args: Value[]) => Value, max = 1) =>
  fn(1, max, (args) => (args[0] === null ? null : f(text(args[0]!), args)));

/** A function of numbers; any argument that is not a number makes the result absent. */
const num = (min: number, max: number, f: (...xs: number[]) => number) =>
  fn(min, max, (args) => {
    const xs = args.map(toNumber);
    if (xs.some((x) => x === undefined)) return null;
    const r = f(...(xs as number[]));
    return Number.isFinite(r) ? r : null;
  });

const trimmer = (left: boolean, right: boolean) =>
  str((s, args) => {
    const chars = args[1] === undefined || args[1] === null ? undefined : text(args[1]);
    if (chars === undefined) return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
    let a = 0;
    let b = s.length;
    while (left && a < b && chars.includes(s[a]!)) a++;
    while (right && b > a && chars.includes(s[b - 1]!)) b--;
    return s.slice(a, b);
  }, 2);

export const FUNCTIONS: Record<string, ScalarFunction> = {
  ispresent: fn(1, 1, ([v]) => bool(v !== null)),
  isempty: fn(1, 1, ([v]) => bool(v === null || text(v!) === '')),
  isblank: fn(1, 1, ([v]) => bool(v === null || text(v!).trim() === '')),
  coalesce: fn(1, 100, (args) => args.find((v) => v !== null) ?? null),
  strlen: str((s) => s.length),
  toupper: str((s) => s.toUpperCase()),
  tolower: str((s) => s.toLowerCase()),
  trim: trimmer(true, true),
  ltrim: trimmer(true, false),
  rtrim: trimmer(false, true),
  concat: fn(1, 100, (args) => args.map((v) => text(v)).join('')),
  strcontains: fn(2, 2, ([s, sub]) => (s === null ? null : bool(text(s!).includes(text(sub!))))),
  // 0-based start, optional length; a negative start counts from the end.
  substr: str((s, [, start, length]) => {
    const from = toNumber(start ?? null);
    if (from === undefined) return null;
    const len = length === undefined ? undefined : toNumber(length);
    return len === undefined ? s.slice(from) : s.slice(from, (from < 0 ? s.length + from : from) + len);
  }, 3),
  replace: str(
    (s, [, find, by]) => (text(find ?? null) === '' ? s : s.split(text(find ?? null)).join(text(by ?? null))),
    3,
  ),
  abs: num(1, 1, Math.abs),
  ceil: num(1, 1, Math.ceil),
  floor: num(1, 1, Math.floor),
  sqrt: num(1, 1, Math.sqrt),
  log: num(1, 1, Math.log),
  greatest: num(1, 100, Math.max),
  least: num(1, 100, Math.min),
  frommillis: fn(1, 1, ([v]) => {
    const n = toNumber(v!);
    return n === undefined ? null : new Time(n);
  }),
  tomillis: fn(1, 1, ([v]) => toNumber(v!) ?? null),
};
