/**
 * Logs Insights results of the subtask-transitions shape (@timestamp, task, fromStatus, toStatus) turned
 * into a per-subtask timeline: which state each subtask was in, from one transition to the next. Pure.
 */
import { STATE_ORDER } from '../../../job/states';

export const TRANSITION_FIELDS = ['@timestamp', 'task', 'fromStatus', 'toStatus'] as const;

/** Whether the results have the columns the timeline is drawn from. */
export function hasTransitions(fields: readonly string[]): boolean {
  return TRANSITION_FIELDS.every((f) => fields.includes(f));
}

/** Insights writes times as "2026-11-21 06:05:27.123", in UTC. */
export function parseInsightsTime(value: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?Z?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, m[7] ? Number(m[7].padEnd(3, '0')) : 0);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An Insights time in the browser's time zone, to the millisecond (transitions happen within a second). */
export function formatInsightsTime(value: string): string {
  const at = parseInsightsTime(value);
  if (at === undefined) return value;
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export interface SubtaskRef {
  /** The subtask across attempts: "Source: Kinesis orders (2/4)". */
  key: string;
  vertex: string;
  /** 1-based, as Flink writes it. */
  index?: number;
  parallelism?: number;
}

/**
 * The subtask a `task` names. The AWS query parses the whole @message, which the service writes as a JSON
 * document, so the task may start with the document's other members; Flink appends the attempt
 * ("#1 (<attempt id>)"), which must not split one subtask into a row per restart.
 */
export function parseTask(task: string): SubtaskRef {
  let t = task;
  const j = t.lastIndexOf('"message":"');
  if (j !== -1) t = t.slice(j + '"message":"'.length).replace(/\\(["\\/])/g, '$1');
  t = t.trim();
  const m = /^(.*?) \((\d+)\/(\d+)\)(?:#\d+)?(?: \([^()]*\))?$/.exec(t);
  if (!m) return { key: t, vertex: t };
  const index = Number(m[2]);
  const parallelism = Number(m[3]);
  return { key: `${m[1]} (${index}/${parallelism})`, vertex: m[1]!, index, parallelism };
}

export interface Segment {
  state: string;
  start: number;
  end: number;
  /** Uncertain: before the first transition read, or before transitions the query missed. */
  inferred?: boolean;
}

export interface SubtaskTimeline extends SubtaskRef {
  segments: Segment[];
  transitions: number;
  /** Transitions to FAILED, read or inferred. */
  failures: number;
  /** The state after the last transition. */
  current: string;
}

export interface VertexGroup {
  vertex: string;
  subtasks: SubtaskTimeline[];
  /** All its subtasks, also when `subtasks` is capped. */
  size: number;
  transitions: number;
  failures: number;
}

export interface Timeline {
  /** The query's range, widened to any transition outside it. */
  from: number;
  to: number;
  /** The first transition read. */
  firstAt: number;
  groups: VertexGroup[];
  subtasks: number;
  transitions: number;
  failures: number;
  /** The states drawn, in lifecycle order. */
  states: string[];
}

interface Transition {
  at: number;
  from: string;
  to: string;
}

/**
 * Ascending by time. Transitions in the same millisecond (CANCELING → CANCELED) are chained, each one's
 * `from` following the previous `to`: results usually arrive newest first, so input order cannot be trusted.
 */
export function orderTransitions(list: readonly Transition[]): Transition[] {
  const sorted = [...list].sort((a, b) => a.at - b.at);
  const out: Transition[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.at === sorted[i]!.at) j++;
    const tied = sorted.slice(i, j);
    while (tied.length > 0) {
      const prev = out[out.length - 1]?.to;
      // Prefer the one continuing the chain, else one no other tied transition leads into.
      let k = tied.findIndex((t) => t.from === prev);
      if (k === -1) k = tied.findIndex((t) => !tied.some((u) => u !== t && u.to === t.from));
      out.push(tied.splice(Math.max(k, 0), 1)[0]!);
    }
    i = j;
  }
  return out;
}

/**
 * The state between each transition and the next. Where the chain breaks (a transition leaves a state the
 * previous one did not enter), the query missed transitions in between: Flink's RUNNING → FAILED line ends
 * "with failure cause: …", which the guidance's regex does not match, though FAILED → CREATED does. That
 * stretch is marked uncertain, and the state left shows as an instant at the transition that left it.
 */
function segmentsOf(ordered: readonly Transition[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  const first = ordered[0]!;
  // A subtask's life starts at CREATED; any other first state held since before the results begin.
  if (first.from !== 'CREATED' && first.at > from)
    out.push({ state: first.from, start: from, end: first.at, inferred: true });
  ordered.forEach((t, i) => {
    const prev = ordered[i - 1];
    const last = out[out.length - 1];
    if (prev && last && prev.to !== t.from) {
      last.inferred = true;
      out.push({ state: t.from, start: t.at, end: t.at });
    }
    const next = ordered[i + 1]?.at ?? to;
    const end = out[out.length - 1];
    if (end && !end.inferred && end.state === t.to && end.end === t.at) end.end = next;
    else out.push({ state: t.to, start: t.at, end: next });
  });
  return out;
}

/** Failures read (→ FAILED) and failures inferred from a broken chain (FAILED → …). */
function failuresOf(ordered: readonly Transition[]): number {
  return ordered.filter((t, i) => t.to === 'FAILED' || (t.from === 'FAILED' && ordered[i - 1]?.to !== 'FAILED')).length;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function buildTimeline(rows: readonly Record<string, string>[], range: { from: number; to: number }): Timeline {
  const refs = new Map<string, SubtaskRef>();
  const bySubtask = new Map<string, { ref: SubtaskRef; list: Transition[] }>();
  let from = range.from;
  let to = range.to;
  let firstAt = Infinity;
  for (const row of rows) {
    const at = parseInsightsTime(row['@timestamp']);
    const task = row.task;
    const fromState = row.fromStatus;
    const toState = row.toStatus;
    if (at === undefined || !task || !fromState || !toState) continue;
    let ref = refs.get(task);
    if (!ref) refs.set(task, (ref = parseTask(task)));
    let entry = bySubtask.get(ref.key);
    if (!entry) bySubtask.set(ref.key, (entry = { ref, list: [] }));
    entry.list.push({ at, from: fromState, to: toState });
    from = Math.min(from, at);
    to = Math.max(to, at);
    firstAt = Math.min(firstAt, at);
  }
  const groups = new Map<string, VertexGroup>();
  const seen = new Set<string>();
  let transitions = 0;
  let failures = 0;
  for (const { ref, list } of bySubtask.values()) {
    const ordered = orderTransitions(list);
    const segments = segmentsOf(ordered, from, to);
    for (const s of segments) seen.add(s.state);
    const failed = failuresOf(ordered);
    const sub: SubtaskTimeline = {
      ...ref,
      segments,
      transitions: ordered.length,
      failures: failed,
      current: ordered[ordered.length - 1]!.to,
    };
    let g = groups.get(ref.vertex);
    if (!g) groups.set(ref.vertex, (g = { vertex: ref.vertex, subtasks: [], size: 0, transitions: 0, failures: 0 }));
    g.subtasks.push(sub);
    g.size++;
    g.transitions += sub.transitions;
    g.failures += failed;
    transitions += sub.transitions;
    failures += failed;
  }
  for (const g of groups.values())
    g.subtasks.sort(
      (a, b) =>
        (a.index ?? Infinity) - (b.index ?? Infinity) ||
        (a.parallelism ?? 0) - (b.parallelism ?? 0) ||
        natural.compare(a.key, b.key),
    );
  // The failing vertices first: with many subtasks, those are the rows an operator came for.
  const ordered = [...groups.values()].sort(
    (a, b) => Number(b.failures > 0) - Number(a.failures > 0) || natural.compare(a.vertex, b.vertex),
  );
  const states = [
    ...STATE_ORDER.filter((s) => seen.has(s)),
    ...[...seen].filter((s) => !STATE_ORDER.includes(s as never)),
  ];
  return {
    from,
    to,
    firstAt: Number.isFinite(firstAt) ? firstAt : from,
    groups: ordered,
    subtasks: bySubtask.size,
    transitions,
    failures,
    states,
  };
}

/** The first `limit` subtasks, vertex by vertex, and how many are left out. */
export function capRows(groups: readonly VertexGroup[], limit: number): { groups: VertexGroup[]; hidden: number } {
  const out: VertexGroup[] = [];
  let left = limit;
  let hidden = 0;
  for (const g of groups) {
    if (left <= 0) {
      hidden += g.subtasks.length;
      continue;
    }
    const shown = g.subtasks.slice(0, left);
    out.push(shown.length === g.subtasks.length ? g : { ...g, subtasks: shown });
    hidden += g.subtasks.length - shown.length;
    left -= shown.length;
  }
  return { groups: out, hidden };
}

/** Failures and other short-lived states are painted last, over the long RUNNING stretches. */
const PAINT_ORDER = [
  'RUNNING',
  'FINISHED',
  'CREATED',
  ...STATE_ORDER.filter((s) => !['RUNNING', 'FINISHED', 'CREATED', 'FAILED'].includes(s)),
  'FAILED',
];

export interface StatePath {
  state: string;
  /** Path data in a `width` × 1 box. */
  d: string;
  count: number;
  ms: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * One path per state over the window [from, to], mapped to 0..width: a bar's DOM stays a handful of
 * elements however often the subtask cycled. A FAILED segment is at least `minWidth` wide, so an instant
 * failure still shows; other instants (CANCELING on the way to CANCELED) are left out.
 */
export function statePaths(
  segments: readonly Segment[],
  window: { from: number; to: number },
  width = 1000,
  minWidth = 3,
): StatePath[] {
  const span = Math.max(window.to - window.from, 1);
  const paths = new Map<string, StatePath>();
  for (const s of segments) {
    const start = Math.max(s.start, window.from);
    const end = Math.min(s.end, window.to);
    // Outside the window, or clipped to nothing.
    if (end < start || (end === start && s.end > s.start)) continue;
    let x = ((start - window.from) / span) * width;
    let w = ((end - start) / span) * width;
    if (s.state === 'FAILED' && w < minWidth) {
      w = minWidth;
      x = Math.min(x, width - minWidth);
    }
    if (w <= 0) continue;
    const key = s.inferred ? `${s.state}~` : s.state;
    let p = paths.get(key);
    if (!p) paths.set(key, (p = { state: key, d: '', count: 0, ms: 0 }));
    p.d += `M${r2(x)} 0h${r2(w)}v1h${-r2(w)}z`;
    p.count++;
    p.ms += end - start;
  }
  const rank = (state: string) => {
    const i = PAINT_ORDER.indexOf(state.replace(/~$/, ''));
    return (i === -1 ? PAINT_ORDER.length : i) * 2 - (state.endsWith('~') ? 1 : 0);
  };
  return [...paths.values()].sort((a, b) => rank(a.state) - rank(b.state));
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
];

/** Round times for the axis: at most `most` of them, on a step of the local clock's minutes and hours. */
export function timeTicks(from: number, to: number, most = 6): { ticks: number[]; step: number } {
  const span = Math.max(to - from, 1);
  const step = STEPS.find((s) => span / s <= most) ?? 12 * HOUR;
  // Align to the local clock (time zones are offset by whole quarter hours at least).
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

/** "06:05" on minute steps, "06:05:30" below. */
export function formatTick(at: number, step: number): string {
  const d = new Date(at);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return step < MINUTE ? `${hm}:${pad(d.getSeconds())}` : hm;
}
