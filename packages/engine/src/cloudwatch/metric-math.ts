/**
 * CloudWatch metric math: the expression language of GetMetricData and alarms, parsed into a tree and
 * evaluated over time series. Values are scalars, single time series, or arrays of time series (what
 * METRICS() returns); operators and functions follow CloudWatch's rules for each combination: series with
 * series meet on common timestamps, a function of an array applies to each member, SUM/AVG/MIN/MAX of one
 * series is a scalar and of an array a series. Errors are the ValidationError CloudWatch answers.
 */
import { ServiceError } from '../util/errors.js';

export interface Series {
  label: string;
  timestamps: number[];
  values: number[];
  /** Seconds between points (from the query that produced it). */
  period: number;
}

export type Value =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: Series }
  | { kind: 'array'; items: Series[] }
  | { kind: 'string'; value: string }
  | { kind: 'keyword'; value: string };

export type Node =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'id'; name: string }
  | { type: 'keyword'; name: string }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'array'; items: Node[] }
  | { type: 'unary'; op: '-'; arg: Node }
  | { type: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node };

export const mathError = (id: string, message: string) =>
  new ServiceError('ValidationError', `Error in expression ${id}: ${message}`);

// ---- parsing ---------------------------------------------------------------------------------------

interface Token {
  kind: 'number' | 'name' | 'string' | 'op' | 'end';
  text: string;
  at: number;
}

function tokenize(id: string, src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (number) {
      out.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw mathError(id, `Unterminated string at position ${i + 1}.`);
      out.push({ kind: 'string', text: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if ('+-*/^(),[]'.includes(c)) {
      out.push({ kind: 'op', text: c, at: i });
      i++;
      continue;
    }
    throw mathError(id, `Unrecognized character '${c}' at position ${i + 1}.`);
  }
  out.push({ kind: 'end', text: '', at: src.length });
  return out;
}

/** Names that are values, not metric ids. */
const KEYWORDS = new Set(['REPEAT', 'LINEAR']);

export function parseExpression(id: string, src: string): Node {
  if (src.trim() === '') throw mathError(id, 'The expression is empty.');
  const tokens = tokenize(id, src);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const unexpected = (t: Token): never => {
    throw mathError(
      id,
      t.kind === 'end' ? 'Unexpected end of expression.' : `Unexpected '${t.text}' at position ${t.at + 1}.`,
    );
  };
  const expect = (text: string) => {
    const t = next();
    if (t.kind !== 'op' || t.text !== text) unexpected(t);
  };

  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (peek().kind === 'op' && peek().text === close) {
      next();
      return items;
    }
    for (;;) {
      items.push(additive());
      const t = next();
      if (t.kind === 'op' && t.text === close) return items;
      if (t.kind !== 'op' || t.text !== ',') unexpected(t);
    }
  };

  function primary(): Node {
    const t = next();
    if (t.kind === 'number') return { type: 'number', value: Number(t.text) };
    if (t.kind === 'string') return { type: 'string', value: t.text };
    if (t.kind === 'op' && t.text === '(') {
      const inner = additive();
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.text === '[') return { type: 'array', items: list(']') };
    if (t.kind === 'name') {
      if (peek().kind === 'op' && peek().text === '(') {
        next();
        return { type: 'call', name: t.text, args: list(')') };
      }
      if (KEYWORDS.has(t.text)) return { type: 'keyword', name: t.text };
      return { type: 'id', name: t.text };
    }
    return unexpected(t);
  }

  function power(): Node {
    const base = primary();
    if (peek().kind === 'op' && peek().text === '^') {
      next();
      return { type: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  }

  function unary(): Node {
    if (peek().kind === 'op' && peek().text === '-') {
      next();
      return { type: 'unary', op: '-', arg: unary() };
    }
    if (peek().kind === 'op' && peek().text === '+') next();
    return power();
  }

  function multiplicative(): Node {
    let left = unary();
    while (peek().kind === 'op' && (peek().text === '*' || peek().text === '/')) {
      const op = next().text as '*' | '/';
      left = { type: 'binary', op, left, right: unary() };
    }
    return left;
  }

  function additive(): Node {
    let left = multiplicative();
    while (peek().kind === 'op' && (peek().text === '+' || peek().text === '-')) {
      const op = next().text as '+' | '-';
      left = { type: 'binary', op, left, right: multiplicative() };
    }
    return left;
  }

  const tree = additive();
  if (peek().kind !== 'end') unexpected(peek());
  return tree;
}

/** Metric ids an expression names (METRICS() excluded: it names every metric). */
export function referencedIds(node: Node, out = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'id':
      out.add(node.name);
      break;
    case 'call':
      for (const a of node.args) referencedIds(a, out);
      break;
    case 'array':
      for (const a of node.items) referencedIds(a, out);
      break;
    case 'unary':
      referencedIds(node.arg, out);
      break;
    case 'binary':
      referencedIds(node.left, out);
      referencedIds(node.right, out);
      break;
  }
  return out;
}

export function usesMetricsFunction(node: Node): boolean {
  switch (node.type) {
    case 'call':
      return node.name === 'METRICS' || node.args.some(usesMetricsFunction);
    case 'array':
      return node.items.some(usesMetricsFunction);
    case 'unary':
      return usesMetricsFunction(node.arg);
    case 'binary':
      return usesMetricsFunction(node.left) || usesMetricsFunction(node.right);
    default:
      return false;
  }
}

// ---- evaluation ------------------------------------------------------------------------------------

export interface MathContext {
  /** The expression's own id, for messages. */
  id: string;
  /** Values of the ids it may name. */
  resolve(name: string): Value;
  /** The metric (not expression) queries of the request, in order, for METRICS(). */
  metrics(): { id: string; series: Series }[];
  /** The request's time range, epoch ms, [start, end). */
  start: number;
  end: number;
  /** The service's now: series made from nothing (FILL's gaps, TIME_SERIES) stop there. */
  now: number;
  /** Period for series made from nothing (TIME_SERIES), seconds. */
  period: number;
}

const finite = (s: Series): Series => {
  if (s.values.every(Number.isFinite)) return s;
  const timestamps: number[] = [];
  const values: number[] = [];
  s.values.forEach((v, i) => {
    if (Number.isFinite(v)) {
      timestamps.push(s.timestamps[i]!);
      values.push(v);
    }
  });
  return { ...s, timestamps, values };
};

function mapSeries(s: Series, f: (v: number) => number): Series {
  return finite({ ...s, values: s.values.map(f) });
}

/** Two series on their common timestamps. */
function zip(a: Series, b: Series, f: (x: number, y: number) => number): Series {
  const at = new Map<number, number>();
  b.timestamps.forEach((t, i) => at.set(t, b.values[i]!));
  const timestamps: number[] = [];
  const values: number[] = [];
  a.timestamps.forEach((t, i) => {
    const y = at.get(t);
    if (y === undefined) return;
    timestamps.push(t);
    values.push(f(a.values[i]!, y));
  });
  return finite({ label: a.label, timestamps, values, period: Math.max(a.period, b.period) });
}

const OPS: Record<'+' | '-' | '*' | '/' | '^', (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
};

function binary(ctx: MathContext, op: keyof typeof OPS, a: Value, b: Value): Value {
  const f = OPS[op];
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: f(a.value, b.value) };
  if (a.kind === 'series' && b.kind === 'scalar')
    return { kind: 'series', series: mapSeries(a.series, (x) => f(x, b.value)) };
  if (a.kind === 'scalar' && b.kind === 'series')
    return { kind: 'series', series: mapSeries(b.series, (y) => f(a.value, y)) };
  if (a.kind === 'series' && b.kind === 'series') return { kind: 'series', series: zip(a.series, b.series, f) };
  if (a.kind === 'array' && (b.kind === 'scalar' || b.kind === 'series'))
    return { kind: 'array', items: a.items.map((s) => asSeries(binary(ctx, op, { kind: 'series', series: s }, b))) };
  if (b.kind === 'array' && (a.kind === 'scalar' || a.kind === 'series'))
    return { kind: 'array', items: b.items.map((s) => asSeries(binary(ctx, op, a, { kind: 'series', series: s }))) };
  throw mathError(ctx.id, `The operator ${op} cannot combine ${describe(a)} and ${describe(b)}.`);
}

const asSeries = (v: Value): Series => (v as { series: Series }).series;

function describe(v: Value): string {
  switch (v.kind) {
    case 'scalar':
      return 'a number';
    case 'series':
      return 'a time series';
    case 'array':
      return 'an array of time series';
    default:
      return `"${v.value}"`;
  }
}

/** Applies a series → series function to a series or to each member of an array. */
function perSeries(ctx: MathContext, name: string, v: Value, f: (s: Series) => Series): Value {
  if (v.kind === 'series') return { kind: 'series', series: f(v.series) };
  if (v.kind === 'array') return { kind: 'array', items: v.items.map(f) };
  throw mathError(ctx.id, `${name} takes a time series or an array of time series, not ${describe(v)}.`);
}

function consecutive(s: Series, f: (dv: number, dtSeconds: number, v: number) => number): Series {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < s.values.length; i++) {
    timestamps.push(s.timestamps[i]!);
    values.push(f(s.values[i]! - s.values[i - 1]!, (s.timestamps[i]! - s.timestamps[i - 1]!) / 1000, s.values[i]!));
  }
  return finite({ ...s, timestamps, values });
}

/** The period grid of a series over the request's range. */
/**
 * How long CloudWatch keeps points of a period (high resolution 3 hours, one minute 15 days, five minutes
 * 63 days, an hour 455 days): no point is made up outside it, so FILL over years stays bounded.
 */
export function retentionMs(periodSeconds: number): number {
  const day = 86_400_000;
  if (periodSeconds < 60) return 3 * 3_600_000;
  if (periodSeconds < 300) return 15 * day;
  if (periodSeconds < 3600) return 63 * day;
  return 455 * day;
}

function grid(ctx: MathContext, period: number): number[] {
  const step = period * 1000;
  const out: number[] = [];
  const from = Math.max(ctx.start, ctx.now - retentionMs(period));
  const to = Math.min(ctx.end, ctx.now + 1);
  for (let t = Math.ceil(from / step) * step; t < to; t += step) out.push(t);
  return out;
}

function fill(ctx: MathContext, s: Series, how: Value): Series {
  const known = new Map<number, number>();
  s.timestamps.forEach((t, i) => known.set(t, s.values[i]!));
  const times = grid(ctx, s.period);
  const values: (number | undefined)[] = times.map((t) => known.get(t));
  if (how.kind === 'scalar') return { ...s, timestamps: times, values: values.map((v) => v ?? how.value) };
  if (how.kind === 'keyword' && how.value === 'REPEAT') {
    let last: number | undefined;
    const out = values.map((v) => (v === undefined ? last : (last = v)));
    return pick(s, times, out);
  }
  if (how.kind === 'keyword' && how.value === 'LINEAR') {
    const out = [...values];
    let prev = -1;
    for (let i = 0; i < out.length; i++) {
      if (values[i] === undefined) continue;
      if (prev >= 0 && i - prev > 1)
        for (let k = prev + 1; k < i; k++)
          out[k] = values[prev]! + ((values[i]! - values[prev]!) * (k - prev)) / (i - prev);
      prev = i;
    }
    return pick(s, times, out);
  }
  throw mathError(ctx.id, `FILL takes a number, REPEAT or LINEAR as its second argument, not ${describe(how)}.`);
}

function pick(s: Series, times: number[], values: (number | undefined)[]): Series {
  const timestamps: number[] = [];
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v === undefined) return;
    timestamps.push(times[i]!);
    out.push(v);
  });
  return { ...s, timestamps, values: out };
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  MIN: (xs) => Math.min(...xs),
  MAX: (xs) => Math.max(...xs),
  STDDEV: (xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  },
};

function reduce(ctx: MathContext, name: string, args: Value[]): Value {
  const r = REDUCERS[name]!;
  // SUM(m1, m2) is SUM([m1, m2]).
  const v: Value = args.length === 1 ? args[0]! : { kind: 'array', items: args.map((a) => seriesOnly(ctx, name, a)) };
  if (v.kind === 'series')
    return v.series.values.length === 0
      ? { kind: 'scalar', value: NaN }
      : { kind: 'scalar', value: r(v.series.values) };
  if (v.kind === 'scalar') return v;
  if (v.kind === 'array') {
    const byTime = new Map<number, number[]>();
    for (const s of v.items)
      s.timestamps.forEach((t, i) => {
        let xs = byTime.get(t);
        if (!xs) byTime.set(t, (xs = []));
        xs.push(s.values[i]!);
      });
    const timestamps = [...byTime.keys()].sort((a, b) => a - b);
    return {
      kind: 'series',
      series: finite({
        label: ctx.id,
        timestamps,
        values: timestamps.map((t) => r(byTime.get(t)!)),
        period: Math.max(ctx.period, ...v.items.map((s) => s.period)),
      }),
    };
  }
  throw mathError(ctx.id, `${name} takes time series, not ${describe(v)}.`);
}

function seriesOnly(ctx: MathContext, name: string, v: Value): Series {
  if (v.kind !== 'series') throw mathError(ctx.id, `${name} takes time series, not ${describe(v)}.`);
  return v.series;
}

function arity(ctx: MathContext, name: string, args: Node[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw mathError(
      ctx.id,
      `${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${args.length}.`,
    );
}

const ELEMENTWISE: Record<string, (x: number) => number> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
};

function call(ctx: MathContext, name: string, argNodes: Node[]): Value {
  switch (name) {
    case 'METRICS': {
      arity(ctx, name, argNodes, 0, 1);
      const filter = argNodes[0] ? evaluate(ctx, argNodes[0]) : undefined;
      if (filter && filter.kind !== 'string') throw mathError(ctx.id, 'METRICS takes a string to filter ids by.');
      const items = ctx
        .metrics()
        .filter((m) => !filter || m.id.includes((filter as { value: string }).value))
        .map((m) => m.series);
      return { kind: 'array', items };
    }
    case 'DIFF':
      arity(ctx, name, argNodes, 1);
      return perSeries(ctx, name, evaluate(ctx, argNodes[0]!), (s) => consecutive(s, (dv) => dv));
    case 'DIFF_TIME':
      arity(ctx, name, argNodes, 1);
      return perSeries(ctx, name, evaluate(ctx, argNodes[0]!), (s) => consecutive(s, (_dv, dt) => dt));
    case 'RATE':
      arity(ctx, name, argNodes, 1);
      return perSeries(ctx, name, evaluate(ctx, argNodes[0]!), (s) => consecutive(s, (dv, dt) => dv / dt));
    case 'RUNNING_SUM':
      arity(ctx, name, argNodes, 1);
      return perSeries(ctx, name, evaluate(ctx, argNodes[0]!), (s) => {
        let sum = 0;
        return { ...s, values: s.values.map((v) => (sum += v)) };
      });
    case 'FILL': {
      arity(ctx, name, argNodes, 2);
      const how = evaluate(ctx, argNodes[1]!);
      return perSeries(ctx, name, evaluate(ctx, argNodes[0]!), (s) => fill(ctx, s, how));
    }
    case 'TIME_SERIES': {
      arity(ctx, name, argNodes, 1);
      const v = evaluate(ctx, argNodes[0]!);
      if (v.kind !== 'scalar') throw mathError(ctx.id, `TIME_SERIES takes a number, not ${describe(v)}.`);
      const timestamps = grid(ctx, ctx.period);
      return {
        kind: 'series',
        series: { label: ctx.id, timestamps, values: timestamps.map(() => v.value), period: ctx.period },
      };
    }
    case 'PERIOD': {
      arity(ctx, name, argNodes, 1);
      const v = evaluate(ctx, argNodes[0]!);
      if (v.kind !== 'series') throw mathError(ctx.id, `PERIOD takes a time series, not ${describe(v)}.`);
      return { kind: 'scalar', value: v.series.period };
    }
  }
  if (name in REDUCERS) {
    if (argNodes.length === 0) throw mathError(ctx.id, `${name} takes at least one argument.`);
    return reduce(
      ctx,
      name,
      argNodes.map((a) => evaluate(ctx, a)),
    );
  }
  const f = ELEMENTWISE[name];
  if (f) {
    arity(ctx, name, argNodes, 1);
    const v = evaluate(ctx, argNodes[0]!);
    if (v.kind === 'scalar') return { kind: 'scalar', value: f(v.value) };
    return perSeries(ctx, name, v, (s) => mapSeries(s, f));
  }
  throw mathError(ctx.id, `Unknown function ${name}.`);
}

export function evaluate(ctx: MathContext, node: Node): Value {
  switch (node.type) {
    case 'number':
      return { kind: 'scalar', value: node.value };
    case 'string':
      return { kind: 'string', value: node.value };
    case 'keyword':
      return { kind: 'keyword', value: node.name };
    case 'id':
      return ctx.resolve(node.name);
    case 'array': {
      const items: Series[] = [];
      for (const item of node.items) {
        const v = evaluate(ctx, item);
        if (v.kind === 'series') items.push(v.series);
        else if (v.kind === 'array') items.push(...v.items);
        else throw mathError(ctx.id, `An array holds time series, not ${describe(v)}.`);
      }
      return { kind: 'array', items };
    }
    case 'unary':
      return binary(ctx, '*', { kind: 'scalar', value: -1 }, evaluate(ctx, node.arg));
    case 'binary':
      return binary(ctx, node.op, evaluate(ctx, node.left), evaluate(ctx, node.right));
    case 'call':
      return call(ctx, node.name, node.args);
  }
}
