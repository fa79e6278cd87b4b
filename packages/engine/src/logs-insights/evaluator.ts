/**
 * Expressions compiled once into closures over a row, so a query over a million events walks no tree
 * per event.
 */
import type { Expr } from './ast.js';
import { malformed } from './errors.js';
import { FUNCTIONS } from './functions.js';
import { period } from './periods.js';
import type { Row } from './records.js';
import { bool, equals, isTruthy, order, text, Time, toNumber, type Value } from './values.js';

export type Compiled = (row: Row) => Value;

export interface Scope {
  /** The query text, for error positions and the names of expressions. */
  source: string;
  /** Columns of aggregated rows: `count(*)` after stats names the column, not a function. */
  columns?: ReadonlySet<string>;
}

/** Aggregation functions: valid only directly in stats. */
export const AGGREGATIONS = new Set([
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'earliest',
  'latest',
  'pct',
  'stddev',
]);

export function compile(e: Expr, scope: Scope): Compiled {
  switch (e.kind) {
    case 'field': {
      const name = e.name;
      return (row) => row.get(name);
    }
    case 'literal': {
      const value = e.value;
      return () => value;
    }
    case 'call':
      return call(e, scope);
    case 'unary': {
      const arg = compile(e.arg, scope);
      if (e.op === 'not') return (row) => bool(!isTruthy(arg(row)));
      return (row) => {
        const n = toNumber(arg(row));
        return n === undefined ? null : -n;
      };
    }
    case 'binary':
      return binary(e.op, compile(e.left, scope), compile(e.right, scope));
    case 'like':
      return like(e, scope);
    case 'in': {
      const arg = compile(e.arg, scope);
      const items = e.items.map((i) => compile(i, scope));
      const negate = e.negate;
      return (row) => {
        const v = arg(row);
        if (v === null) return 0;
        return bool(items.some((i) => equals(v, i(row))) !== negate);
      };
    }
    case 'regex':
      throw malformed(scope.source, e.start, e.end, 'A regular expression is only valid after like or =~');
    case 'duration':
      throw malformed(
        scope.source,
        e.start,
        e.end,
        `A period such as ${scope.source.slice(e.start, e.end)} is only valid in bin, datefloor or dateceil`,
      );
  }
}

function binary(op: string, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case 'and':
      return (row) => bool(isTruthy(left(row)) && isTruthy(right(row)));
    case 'or':
      return (row) => bool(isTruthy(left(row)) || isTruthy(right(row)));
    case '=':
      return (row) => bool(equals(left(row), right(row)));
    case '!=':
      return (row) => {
        const a = left(row);
        const b = right(row);
        return a === null || b === null ? 0 : bool(!equals(a, b));
      };
  }
  const compare = COMPARE[op];
  if (compare)
    return (row) => {
      const c = order(left(row), right(row));
      return c === undefined ? 0 : bool(compare(c));
    };
  const arithmetic = ARITHMETIC[op]!;
  return (row) => {
    const a = toNumber(left(row));
    const b = toNumber(right(row));
    if (a === undefined || b === undefined) return null;
    const r = arithmetic(a, b);
    return Number.isFinite(r) ? r : null;
  };
}

const COMPARE: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
};

/** `like "text"` is a substring test, `like /re/` (and `=~`) a regex search; both case-sensitive. */
function like(e: Extract<Expr, { kind: 'like' }>, scope: Scope): Compiled {
  const arg = compile(e.arg, scope);
  const negate = e.negate;
  const test = (hit: boolean, v: Value) => (v === null ? 0 : bool(hit !== negate));
  if (e.pattern.kind === 'regex') {
    const re = e.pattern.regex;
    return (row) => {
      const v = arg(row);
      return test(v !== null && re.test(text(v)), v);
    };
  }
  const pattern = compile(e.pattern, scope);
  return (row) => {
    const v = arg(row);
    return test(v !== null && text(v).includes(text(pattern(row))), v);
  };
}

function call(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Compiled {
  const named = scope.source.slice(e.start, e.end);
  if (scope.columns?.has(named)) return (row) => row.get(named);
  const name = e.name.toLowerCase();
  if (name === 'bin' || name === 'datefloor' || name === 'dateceil') return timeFunction(e, name, scope);
  if (AGGREGATIONS.has(name))
    throw malformed(scope.source, e.start, e.end, `The aggregation function ${e.name} is only valid in stats`);
  const f = FUNCTIONS[name];
  if (!f) throw malformed(scope.source, e.start, e.end, `Unrecognized function ${e.name}`);
  if (e.star || e.args.length < f.min || e.args.length > f.max)
    throw malformed(scope.source, e.start, e.end, `Wrong number of arguments for function ${e.name}`);
  const args = e.args.map((a) => compile(a, scope));
  if (args.length === 1) {
    const a = args[0]!;
    // One argument list per call site, refilled each call (no function keeps its arguments).
    const list: Value[] = [null];
    return (row) => {
      list[0] = a(row);
      return f.apply(list);
    };
  }
  return (row) => f.apply(args.map((a) => a(row)));
}

/** bin(period) floors @timestamp; datefloor(t, period) and dateceil(t, period) any time. */
function timeFunction(e: Extract<Expr, { kind: 'call' }>, name: string, scope: Scope): Compiled {
  const arity = name === 'bin' ? 1 : 2;
  if (e.star || e.args.length !== arity)
    throw malformed(scope.source, e.start, e.end, `Wrong number of arguments for function ${e.name}`);
  const p = e.args[arity - 1]!;
  const span = p.kind === 'duration' ? period(p.amount, p.unit) : undefined;
  if (!span)
    throw malformed(
      scope.source,
      p.start,
      p.end,
      `${e.name} expects a period such as 5m, found ${scope.source.slice(p.start, p.end)}`,
    );
  const of = name === 'bin' ? (row: Row) => row.get('@timestamp') : compile(e.args[0]!, scope);
  const round = name === 'dateceil' ? span.ceil : span.floor;
  return (row) => {
    const t = toNumber(of(row));
    return t === undefined ? null : new Time(round(t));
  };
}
