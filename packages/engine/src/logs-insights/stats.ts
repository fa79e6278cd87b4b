/**
 * The stats command: aggregations per group of `by` values. Groups fill incrementally as events stream
 * in, and can be read at any point (GetQueryResults shows partial aggregates while a query runs).
 */
import type { Command, Expr, Projection } from './ast.js';
import { malformed } from './errors.js';
import { AGGREGATIONS, compile, type Compiled, type Scope } from './evaluator.js';
import { MapRow, type Row } from './records.js';
import { naturalCompare, Time, toNumber, type Value } from './values.js';

interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

type Factory = () => Accumulator;

type StatsCommand = Extract<Command, { kind: 'stats' }>;

/** One accumulator factory per aggregation function, given its compiled arguments. */
function factory(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Factory {
  const name = e.name.toLowerCase();
  const arity = name === 'pct' ? 2 : name === 'count' ? (e.star || e.args.length === 0 ? 0 : 1) : 1;
  if ((e.star && name !== 'count') || e.args.length !== arity)
    throw malformed(scope.source, e.start, e.end, `Wrong number of arguments for function ${e.name}`);
  if (arity === 0)
    return () => {
      let n = 0;
      return { add: () => void n++, result: () => n };
    };
  const arg = compile(e.args[0]!, scope);
  switch (name) {
    case 'count':
      return () => {
        let n = 0;
        return { add: (row) => void (arg(row) !== null && n++), result: () => n };
      };
    case 'count_distinct':
      return () => {
        const seen = new Set<string | number>();
        return {
          add: (row) => {
            const v = arg(row);
            if (v !== null) seen.add(v instanceof Time ? v.ms : v);
          },
          result: () => seen.size,
        };
      };
    case 'sum':
    case 'avg':
      return numeric(arg, (sum, n) => (name === 'sum' ? sum : sum / n));
    case 'stddev':
      return stddev(arg);
    case 'min':
    case 'max':
      return extreme(arg, name === 'min' ? -1 : 1);
    case 'earliest':
    case 'latest':
      return byTime(arg, name === 'earliest' ? -1 : 1);
    case 'pct':
      return percentile(arg, e.args[1]!, scope);
  }
  throw malformed(scope.source, e.start, e.end, `Unrecognized aggregation function ${e.name}`);
}

function numeric(arg: Compiled, result: (sum: number, n: number) => number): Factory {
  return () => {
    let sum = 0;
    let n = 0;
    return {
      add: (row) => {
        const x = toNumber(arg(row));
        if (x !== undefined) {
          sum += x;
          n++;
        }
      },
      result: () => (n === 0 ? null : result(sum, n)),
    };
  };
}

/** Sample standard deviation, by Welford's method (stable over a million values). */
function stddev(arg: Compiled): Factory {
  return () => {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    return {
      add: (row) => {
        const x = toNumber(arg(row));
        if (x === undefined) return;
        n++;
        const d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      },
      result: () => (n < 2 ? (n === 1 ? 0 : null) : Math.sqrt(m2 / (n - 1))),
    };
  };
}

/** min and max: of numbers (and times, which stay times) when there are any, else of text. */
function extreme(arg: Compiled, sign: 1 | -1): Factory {
  return () => {
    let best: Value = null;
    return {
      add: (row) => {
        const v = arg(row);
        if (v !== null && (best === null || sign * naturalCompare(v, best) > 0)) best = v;
      },
      result: () => best,
    };
  };
}

/** earliest and latest: the value of the event with the smallest or largest @timestamp. */
function byTime(arg: Compiled, sign: 1 | -1): Factory {
  return () => {
    let at: number | undefined;
    let value: Value = null;
    return {
      add: (row) => {
        const v = arg(row);
        const t = toNumber(row.get('@timestamp'));
        if (v === null || t === undefined) return;
        if (at === undefined || sign * (t - at) > 0) {
          at = t;
          value = v;
        }
      },
      result: () => value,
    };
  };
}

/** pct(field, p): the nearest-rank percentile of the numbers seen. */
function percentile(arg: Compiled, p: Expr, scope: Scope): Factory {
  const rank = p.kind === 'literal' ? toNumber(p.value) : undefined;
  if (rank === undefined || rank < 0 || rank > 100)
    throw malformed(scope.source, p.start, p.end, 'pct expects a percentile between 0 and 100');
  return () => {
    const xs: number[] = [];
    return {
      add: (row) => {
        const x = toNumber(arg(row));
        if (x !== undefined) xs.push(x);
      },
      result: () => {
        if (xs.length === 0) return null;
        const sorted = [...xs].sort((a, b) => a - b);
        return sorted[Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1)]!;
      },
    };
  };
}

interface Group {
  by: Value[];
  accumulators: Accumulator[];
}

export class StatsAggregator {
  private readonly groups = new Map<string, Group>();
  private readonly by: Compiled[];
  private readonly factories: Factory[];
  private readonly byNames: string[];
  private readonly aggNames: string[];
  /** Index of a bin() among the by expressions: its groups list newest first. */
  private readonly binIndex: number;

  constructor(command: StatsCommand, scope: Scope) {
    this.factories = command.aggregations.map((a) => aggregation(a, scope));
    this.by = command.by.map((b) => compile(b.expr, scope));
    this.byNames = command.by.map((b) => b.name);
    this.aggNames = command.aggregations.map((a) => a.name);
    this.binIndex = command.by.findIndex((b) => b.expr.kind === 'call' && b.expr.name.toLowerCase() === 'bin');
  }

  /** Names of the output columns: the by fields, then the aggregations. */
  get columns(): string[] {
    return [...this.byNames, ...this.aggNames];
  }

  add(row: Row): void {
    const n = this.by.length;
    let one: Value = null;
    let values: Value[] | undefined;
    let key = '';
    if (n === 1) key = keyOf((one = this.by[0]!(row)));
    else if (n > 1) {
      values = this.by.map((b) => b(row));
      key = values.map(keyOf).join('\u0001');
    }
    let group = this.groups.get(key);
    if (!group) {
      group = { by: values ?? (n === 1 ? [one] : []), accumulators: this.factories.map((f) => f()) };
      this.groups.set(key, group);
    }
    const accumulators = group.accumulators;
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(row);
  }

  /** The aggregated rows so far; with a bin() among the by fields, newest bin first. */
  rows(): Row[] {
    let groups = [...this.groups.values()];
    const b = this.binIndex;
    if (b >= 0) groups = groups.sort((x, y) => (toNumber(y.by[b]!) ?? 0) - (toNumber(x.by[b]!) ?? 0));
    return groups.map((g) => {
      const row = new MapRow();
      g.by.forEach((v, i) => v !== null && row.set(this.byNames[i]!, v));
      g.accumulators.forEach((a, i) => {
        const v = a.result();
        if (v !== null) row.set(this.aggNames[i]!, v);
      });
      return row;
    });
  }
}

function aggregation(p: Projection, scope: Scope): Factory {
  const e = p.expr;
  if (e.kind !== 'call' || !AGGREGATIONS.has(e.name.toLowerCase()))
    throw malformed(
      scope.source,
      e.start,
      e.end,
      `stats expects an aggregation function such as count(*), found ${scope.source.slice(e.start, e.end)}`,
    );
  return factory(e, scope);
}

function keyOf(v: Value): string {
  if (v === null) return '\u0000';
  if (v instanceof Time) return `t${v.ms}`;
  return typeof v === 'number' ? `n${v}` : `s${v}`;
}
