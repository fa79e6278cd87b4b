/**
 * A query's commands turned into an execution plan: the per-event stage (fields, parse, filter up to the
 * first stats or sort), the stats that aggregates it, and the commands that run on the rows collected
 * at the end. Also decides which fields the results show, and how many events the collection must keep:
 * `sort … | limit N` (or the default order and limit) keeps only the top N while events stream in.
 */
import type { Command, Projection, SortKey } from './ast.js';
import { compile, type Scope } from './evaluator.js';
import { parseQuery } from './parser.js';
import type { Row } from './records.js';
import { StatsAggregator } from './stats.js';
import { isTruthy, naturalCompare, text, type Value } from './values.js';

/** A per-event step: false drops the event. */
export type RowOp = (row: Row) => boolean;
/** A step on the collected rows. */
export type RowsOp = (rows: Row[]) => Row[];

export interface CompiledSort {
  keys: ((row: Row) => Value)[];
  desc: boolean[];
}

export interface Plan {
  source: string;
  stream: RowOp[];
  /** The first stats command, aggregating the events that pass `stream`. */
  stats?: Extract<Command, { kind: 'stats' }>;
  scope: Scope;
  rest: RowsOp[];
  /** Order the collected events keep (none: the default, newest first). */
  order?: CompiledSort;
  /** How many collected events can matter (undefined: all of them). */
  keep?: number | 'cap';
  /** Whether any limit command bounds the rows (else the request's limit does). */
  limited: boolean;
  /** The fields results show: names, or every field of the event. */
  output: string[] | 'all';
  /** Whether results are events (and so carry @ptr) rather than aggregated rows. */
  events: boolean;
}

export function compileQuery(source: string): Plan {
  const commands = parseQuery(source);
  const scope: Scope = { source };
  const stream: RowOp[] = [];
  let i = 0;
  for (; i < commands.length && isRowCommand(commands[i]!); i++) {
    const op = rowOp(commands[i]!, scope);
    // `display`, and `fields` that only name fields, do nothing to an event.
    if (op) stream.push(op);
  }
  const first = commands[i];
  const stats = first?.kind === 'stats' ? first : undefined;
  if (stats) {
    // Compiled now, so a malformed aggregation fails StartQuery rather than the run.
    new StatsAggregator(stats, scope);
    i++;
  }
  const restCommands = commands.slice(i);
  const rest = compileRest(restCommands, stats ? { source, columns: columnsOf(stats) } : scope);
  const { output, events } = outputOf(commands);
  return {
    source,
    stream,
    stats,
    scope,
    rest,
    ...(stats ? {} : collection(restCommands, scope)),
    limited: commands.some((c) => c.kind === 'limit'),
    output,
    events,
  };
}

const isRowCommand = (c: Command) =>
  c.kind === 'fields' || c.kind === 'parse' || c.kind === 'filter' || c.kind === 'display';

function rowOp(c: Command, scope: Scope): RowOp | undefined {
  switch (c.kind) {
    case 'fields': {
      const set = setters(c.items, scope);
      if (!set) return undefined;
      return (row) => {
        set(row);
        return true;
      };
    }
    case 'parse': {
      const parse = parser(c, scope);
      return (row) => {
        parse(row);
        return true;
      };
    }
    case 'filter': {
      const test = compile(c.expr, scope);
      return (row) => isTruthy(test(row));
    }
    default:
      return undefined;
  }
}

/**
 * `fields` and `display` entries that compute a value (an alias or an expression) set it on the row;
 * undefined when no entry does.
 */
function setters(items: Projection[], scope: Scope): ((row: Row) => void) | undefined {
  const computed = items
    .filter((p) => !(p.expr.kind === 'field' && p.expr.name === p.name))
    .map((p) => ({ name: p.name, value: compile(p.expr, scope) }));
  if (computed.length === 0) return undefined;
  if (computed.length === 1) {
    const { name, value } = computed[0]!;
    return (row) => row.set(name, value(row));
  }
  return (row) => {
    // All read before any is set: `fields a as b, b as a` swaps.
    const values = computed.map((c) => c.value(row));
    computed.forEach((c, i) => row.set(c.name, values[i]!));
  };
}

function parser(c: Extract<Command, { kind: 'parse' }>, scope: Scope): (row: Row) => void {
  const of = compile(c.source, scope);
  const { regex, names, named } = c;
  return (row) => {
    const v = of(row);
    if (v === null) return;
    const m = regex.exec(text(v));
    if (!m) return;
    for (let i = 0; i < names.length; i++) {
      const value = named ? m.groups?.[names[i]!] : m[i + 1];
      if (value !== undefined) row.set(names[i]!, value);
    }
  };
}

function compileRest(commands: Command[], first: Scope): RowsOp[] {
  let scope = first;
  return commands.map((c) => {
    switch (c.kind) {
      case 'fields':
      case 'display': {
        const set = setters(c.items, scope);
        return (rows) => {
          if (set) rows.forEach(set);
          return rows;
        };
      }
      case 'parse': {
        const parse = parser(c, scope);
        return (rows) => {
          rows.forEach(parse);
          return rows;
        };
      }
      case 'filter': {
        const test = compile(c.expr, scope);
        return (rows) => rows.filter((r) => isTruthy(test(r)));
      }
      case 'sort': {
        const order = compileSort(c.keys, scope);
        return (rows) => sortRows(rows, order);
      }
      case 'limit':
        return (rows) => rows.slice(0, c.count);
      case 'dedup': {
        const fields = c.fields.map((f) => compile(f, scope));
        return (rows) => dedup(rows, fields);
      }
      case 'stats': {
        new StatsAggregator(c, scope);
        const at = scope;
        scope = { source: scope.source, columns: columnsOf(c) };
        return (rows) => {
          const stats = new StatsAggregator(c, at);
          rows.forEach((r) => stats.add(r));
          return stats.rows();
        };
      }
    }
  });
}

function columnsOf(c: Extract<Command, { kind: 'stats' }>): Set<string> {
  return new Set([...c.by, ...c.aggregations].map((p) => p.name));
}

export function compileSort(keys: SortKey[], scope: Scope): CompiledSort {
  return { keys: keys.map((k) => compile(k.expr, scope)), desc: keys.map((k) => k.desc) };
}

/** Compares key lists; absent values sort last whatever the direction. */
export function compareKeys(a: Value[], b: Value[], desc: boolean[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const c = naturalCompare(x, y);
    if (c !== 0) return desc[i] ? -c : c;
  }
  return 0;
}

function sortRows(rows: Row[], order: CompiledSort): Row[] {
  const decorated = rows.map((row) => ({ row, keys: order.keys.map((k) => k(row)) }));
  decorated.sort((a, b) => compareKeys(a.keys, b.keys, order.desc));
  return decorated.map((d) => d.row);
}

function dedup(rows: Row[], fields: ((row: Row) => Value)[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(fields.map((f) => f(r)));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * How the collection of events is bounded: with at most one sort before the first limit (or before the
 * end), only the top rows in that order can reach the results; anything else in between (dedup, a
 * filter after sort) needs them all.
 */
function collection(rest: Command[], scope: Scope): Pick<Plan, 'order' | 'keep'> {
  let sort: Extract<Command, { kind: 'sort' }> | undefined;
  for (const c of rest) {
    if (c.kind === 'display') continue;
    if (c.kind === 'sort' && !sort) {
      sort = c;
      continue;
    }
    const order = sort ? compileSort(sort.keys, scope) : undefined;
    return c.kind === 'limit' ? { order, keep: c.count } : { order };
  }
  return { order: sort ? compileSort(sort.keys, scope) : undefined, keep: 'cap' };
}

/**
 * Fields of the results: the last display's; else those named by fields and created by parse (or by
 * stats, which starts the list over); else, for events, all of them.
 */
function outputOf(commands: Command[]): { output: string[] | 'all'; events: boolean } {
  let listed: string[] = [];
  let displayed: string[] | undefined;
  let events = true;
  const add = (names: string[]) => names.forEach((n) => listed.includes(n) || listed.push(n));
  for (const c of commands) {
    if (c.kind === 'fields') add(c.items.map((p) => p.name));
    else if (c.kind === 'parse') add(c.names);
    else if (c.kind === 'display') displayed = c.items.map((p) => p.name);
    else if (c.kind === 'stats') {
      listed = [...c.by, ...c.aggregations].map((p) => p.name);
      displayed = undefined;
      events = false;
    }
  }
  return { output: displayed ?? (listed.length > 0 || !events ? listed : 'all'), events };
}
