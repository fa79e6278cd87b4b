/**
 * The event log's fast readers agree with its plain rendering: `lines` (read from the columns), and a
 * `scan` pass that tells each line's time, kind, level and logger, weighs its message as a JSON string
 * without writing it, and writes it only when asked, for every kind of line and every text JSON escapes.
 */
import { describe, expect, it } from 'vitest';
import { EventLogStore, MAX_LOG_ENTRIES, type LogEntry, type LogExport } from '../src/index.js';
import { render } from '../src/telemetry/event-log.js';

/** Texts JSON.stringify escapes or writes in several bytes. */
const AWKWARD = [
  'plain',
  'say "hi"',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'bell\u0007 and \u001f',
  'del\u007f',
  'ünïcødé',
  '日本語',
  'emoji 😀',
  'lone \ud800 high',
  'lone \udc00 low',
  'line\u2028separator',
  '',
];

const JOB = 'a'.repeat(32);
const OTHER_JOB = 'b'.repeat(32);
/** Job ids are hex; an archive could hold anything. */
const ODD_JOB = 'job "id" ü';

/** A log with every kind of line: awkward names and causes, unknown vertices and jobs, raw entries. */
function awkwardLog(): EventLogStore {
  const log = new EventLogStore();
  log.registerJob('k', JOB, {
    name: 'job "quoted" ünïcødé',
    vertices: [
      ...AWKWARD.map((name, i) => ({ id: `v${i}`, name, parallelism: i + 1 })),
      { id: 'id "quoted" \\ ü', name: 'plain', parallelism: 2 },
    ],
  });
  log.registerJob('k', OTHER_JOB, {
    name: 'plain job',
    vertices: [{ id: 'c0ffee', name: 'Source: plain', parallelism: 128 }],
  });
  log.registerJob('k', ODD_JOB, { name: 'plain', vertices: [{ id: 'c0ffee', name: 'Source: plain', parallelism: 1 }] });
  let t = 1_000;
  const add = (e: LogEntry) => log.append('k', { ...e, t: (t += 7) } as LogEntry);
  for (let v = 0; v < AWKWARD.length + 3; v++)
    for (const [i, a] of [
      [0, 0],
      [3, 12],
      [99, 100],
      [127, -1],
    ] as const) {
      add({ t, k: 'subtask', j: JOB, v, i, a, from: 'DEPLOYING', to: 'INITIALIZING' });
      add({
        t,
        k: 'subtask',
        j: JOB,
        v,
        i,
        a,
        from: 'RUNNING',
        to: 'FAILED',
        cause: AWKWARD[(v + i) % AWKWARD.length],
      });
    }
  add({ t, k: 'subtask', j: OTHER_JOB, v: 0, i: 5, a: 2, from: 'CREATED', to: 'SCHEDULED' });
  add({ t, k: 'subtask', j: ODD_JOB, v: 0, i: 5, a: 2, from: 'CREATED', to: 'SCHEDULED' });
  add({ t, k: 'job', j: ODD_JOB, from: 'CREATED', to: 'RUNNING' });
  add({ t, k: 'subtask', j: 'c'.repeat(32), v: 0, i: 0, a: 0, from: 'CREATED', to: 'SCHEDULED' });
  for (const to of ['RUNNING', 'FAILING', 'FAILED', 'RESTARTING'] as const) {
    add({ t, k: 'job', j: JOB, from: 'CREATED', to });
    add({ t, k: 'job', j: 'd'.repeat(32), from: 'CREATED', to });
  }
  for (const text of AWKWARD) add({ t, k: 'info', text });
  // States this build does not know: kept as given.
  add({ t, k: 'subtask', j: JOB, v: 1, i: 0, a: 0, from: 'LIMBO', to: 'FAILED', cause: 'x' } as unknown as LogEntry);
  add({ t, k: 'job', j: JOB, from: 'CREATED', to: 'SUSPENDED_ISH' } as unknown as LogEntry);
  return log;
}

/** The lines as the log renders its entries one by one. */
function rendered(log: EventLogStore, key: string) {
  const view = log.get(key)!;
  return view.entries.map((e) => render(view, e));
}

/** What a scan pass tells of each line, and the message it writes. */
function scanned(log: EventLogStore, key: string, from?: number, to?: number) {
  const pass = log.scan(key, from, to);
  const out: {
    seq: number;
    timestamp: number;
    kind: string;
    level: string;
    logger: string;
    size: number;
    json: string;
  }[] = [];
  while (pass.next())
    out.push({
      seq: pass.seq,
      timestamp: pass.timestamp,
      kind: pass.kind,
      level: pass.level,
      logger: pass.logger,
      size: pass.jsonSize(),
      json: pass.jsonMessage(pass.seq)!,
    });
  return out;
}

const expected = (lines: ReturnType<EventLogStore['lines']>) =>
  lines.map((l) => ({
    seq: l.seq,
    timestamp: l.timestamp,
    kind: l.kind,
    level: l.level,
    logger: l.logger,
    size: Buffer.byteLength(JSON.stringify(l.message)),
    json: JSON.stringify(l.message),
  }));

describe('reading lines from the columns', () => {
  it('renders every kind of line as its entry renders', () => {
    const log = awkwardLog();
    const lines = log.lines('k');
    expect(lines.length).toBeGreaterThan(150);
    expect(lines).toEqual(rendered(log, 'k'));
    expect(new Set(lines.map((l) => `${l.kind}/${l.level}`))).toEqual(
      new Set(['subtask/INFO', 'subtask/WARN', 'job/INFO', 'job/ERROR', 'info/INFO']),
    );
    expect(lines.some((l) => l.message.startsWith('? (1/?)#0'))).toBe(true);
  });

  it('a scan weighs and writes each message as JSON.stringify does, in range', () => {
    const log = awkwardLog();
    expect(scanned(log, 'k')).toEqual(expected(log.lines('k')));
    const lines = log.lines('k');
    const from = lines[40]!.timestamp;
    const to = lines[120]!.timestamp;
    expect(scanned(log, 'k', from, to)).toEqual(expected(log.lines('k', from, to)));
    expect(scanned(log, 'nope')).toEqual([]);
  });

  it('reads a restored log, gaps included, as it renders', () => {
    const log = awkwardLog();
    const exported = log.export('k')!;
    // Rows the archive lost keep their numbers.
    const gappy: LogExport = { ...exported, rows: exported.rows.filter((r) => r.n % 5 !== 3) };
    const copy = new EventLogStore();
    copy.restore('k', gappy);
    expect(copy.lines('k')).toEqual(rendered(copy, 'k'));
    expect(scanned(copy, 'k')).toEqual(expected(copy.lines('k')));
  });

  it('a paused scan reads the lines the log held when it began, skipping those trimmed meanwhile', () => {
    const log = new EventLogStore();
    for (let i = 0; i < 100; i++) log.append('k', { t: i, k: 'info', text: `line ${i}` });
    const pass = log.scan('k');
    expect(pass.next()).toBe(true);
    expect([pass.seq, pass.jsonMessage(0)]).toEqual([0, '"line 0"']);
    // Enough appends to trim the first lines away.
    for (let i = 100; i < MAX_LOG_ENTRIES + 1100; i++) log.append('k', { t: i, k: 'info', text: `line ${i}` });
    const first = log.lines('k')[0]!.seq;
    expect(first).toBeGreaterThan(0);
    expect(pass.jsonMessage(0)).toBeUndefined();
    const seqs: number[] = [];
    while (pass.next()) seqs.push(pass.seq);
    expect(seqs).toEqual(first < 100 ? Array.from({ length: 100 - first }, (_, i) => first + i) : []);
  });

  it('a scan of a log restored or deleted meanwhile reads no more', () => {
    const log = awkwardLog();
    const pass = log.scan('k');
    expect(pass.next()).toBe(true);
    log.restore('k', log.export('k')!);
    expect(pass.next()).toBe(false);
    expect(pass.jsonMessage(pass.seq)).toBeUndefined();
    const again = log.scan('k');
    expect(again.next()).toBe(true);
    log.delete('k');
    expect(again.next()).toBe(false);
  });
});
