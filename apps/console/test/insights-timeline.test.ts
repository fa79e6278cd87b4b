import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  capRows,
  formatTick,
  hasTransitions,
  orderTransitions,
  parseInsightsTime,
  parseTask,
  statePaths,
  timeTicks,
} from '../src/pages/application/insights/timeline';

const T0 = Date.UTC(2026, 10, 21, 6, 0, 0);
/** Insights' own time format (UTC, no zone marker). */
const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const row = (atS: number, task: string, from: string, to: string) => ({
  '@timestamp': ts(T0 + atS * 1000),
  task,
  fromStatus: from,
  toStatus: to,
});
const RANGE = { from: T0 - 60_000, to: T0 + 120_000 };

describe('Insights values', () => {
  it('reads Insights times as UTC', () => {
    expect(parseInsightsTime('2026-11-21 06:00:00.000')).toBe(T0);
    expect(parseInsightsTime('2026-11-21 06:00:01.5')).toBe(T0 + 1500);
    expect(parseInsightsTime('2026-11-21T06:00:00Z')).toBe(T0);
    expect(parseInsightsTime('Source: x (1/2)')).toBeUndefined();
    expect(parseInsightsTime(undefined)).toBeUndefined();
  });

  it('knows the subtask-transitions shape', () => {
    expect(hasTransitions(['@timestamp', 'task', 'fromStatus', 'toStatus'])).toBe(true);
    expect(hasTransitions(['@timestamp', '@message'])).toBe(false);
  });
});

describe('parseTask', () => {
  it('names the subtask without its attempt', () => {
    expect(parseTask('Session window 30 min (2/4)#3 (a1b2_c3d4_1_3)')).toEqual({
      key: 'Session window 30 min (2/4)',
      vertex: 'Session window 30 min',
      index: 2,
      parallelism: 4,
    });
    // Flink before 1.13 wrote no attempt number.
    expect(parseTask('Source: Kinesis orders (1/2) (8f1e)').key).toBe('Source: Kinesis orders (1/2)');
    expect(parseTask('Sink: S3 (3/3)')).toMatchObject({ vertex: 'Sink: S3', index: 3, parallelism: 3 });
  });

  it('skips the JSON document the service wraps each message in', () => {
    const task =
      '{"locationInformation":"org.apache.flink.runtime.executiongraph.Execution.transitionState","logger":"x","message":"Enrich \\"orders\\" (1/4)#0 (ab_cd_0_0)';
    expect(parseTask(task)).toMatchObject({ key: 'Enrich "orders" (1/4)', vertex: 'Enrich "orders"', index: 1 });
  });

  it('keeps a task it cannot read whole', () => {
    expect(parseTask('something else')).toEqual({ key: 'something else', vertex: 'something else' });
  });
});

describe('orderTransitions', () => {
  it('sorts by time and chains transitions of the same millisecond', () => {
    const ordered = orderTransitions([
      { at: 5, from: 'CANCELING', to: 'CANCELED' },
      { at: 5, from: 'RUNNING', to: 'CANCELING' },
      { at: 1, from: 'INITIALIZING', to: 'RUNNING' },
    ]);
    expect(ordered.map((t) => t.to)).toEqual(['RUNNING', 'CANCELING', 'CANCELED']);
  });
});

describe('buildTimeline', () => {
  // Newest first, as Insights returns them. Subtask 1 fails at 30 s: its "switched from RUNNING to FAILED
  // with failure cause: …" line does not match the guidance's regex, its FAILED → CREATED at the restart
  // does. Subtask 2 is cancelled with it.
  const rows = [
    row(40, 'Map (2/2)#1 (b_1)', 'INITIALIZING', 'RUNNING'),
    row(40, 'Map (1/2)#1 (a_1)', 'INITIALIZING', 'RUNNING'),
    row(35, 'Map (1/2)#1 (a_1)', 'DEPLOYING', 'INITIALIZING'),
    row(35, 'Map (2/2)#1 (b_1)', 'DEPLOYING', 'INITIALIZING'),
    row(34, 'Map (1/2)#1 (a_1)', 'SCHEDULED', 'DEPLOYING'),
    row(34, 'Map (2/2)#1 (b_1)', 'SCHEDULED', 'DEPLOYING'),
    row(33, 'Map (1/2)#1 (a_1)', 'CREATED', 'SCHEDULED'),
    row(33, 'Map (2/2)#1 (b_1)', 'CREATED', 'SCHEDULED'),
    row(33, 'Map (1/2)#0 (a_0)', 'FAILED', 'CREATED'),
    row(33, 'Map (2/2)#0 (b_0)', 'CANCELED', 'CREATED'),
    row(30, 'Map (2/2)#0 (b_0)', 'CANCELING', 'CANCELED'),
    row(30, 'Map (2/2)#0 (b_0)', 'RUNNING', 'CANCELING'),
    row(10, 'Source: orders (1/1)#0 (s_0)', 'INITIALIZING', 'RUNNING'),
    row(10, 'Map (1/2)#0 (a_0)', 'INITIALIZING', 'RUNNING'),
    row(10, 'Map (2/2)#0 (b_0)', 'INITIALIZING', 'RUNNING'),
  ];
  const t = buildTimeline(rows, RANGE);
  const at = (s: number) => T0 + s * 1000;

  it('has one row per subtask across attempts, grouped by operator, failing operators first', () => {
    expect(t.subtasks).toBe(3);
    expect(t.groups.map((g) => g.vertex)).toEqual(['Map', 'Source: orders']);
    expect(t.groups[0]!.subtasks.map((s) => s.key)).toEqual(['Map (1/2)', 'Map (2/2)']);
    expect(t.groups[0]!.size).toBe(2);
    expect(t.failures).toBe(1);
    expect(t.transitions).toBe(rows.length);
    expect(t.groups[0]!.subtasks[0]).toMatchObject({ failures: 1, transitions: 6, current: 'RUNNING' });
    expect(t.groups[0]!.subtasks[1]).toMatchObject({ failures: 0, transitions: 8 });
  });

  it('colours the time between transitions with the state entered', () => {
    const map2 = t.groups[0]!.subtasks[1]!;
    expect(map2.segments).toEqual([
      { state: 'INITIALIZING', start: RANGE.from, end: at(10), inferred: true },
      { state: 'RUNNING', start: at(10), end: at(30) },
      { state: 'CANCELING', start: at(30), end: at(30) },
      { state: 'CANCELED', start: at(30), end: at(33) },
      { state: 'CREATED', start: at(33), end: at(33) },
      { state: 'SCHEDULED', start: at(33), end: at(34) },
      { state: 'DEPLOYING', start: at(34), end: at(35) },
      { state: 'INITIALIZING', start: at(35), end: at(40) },
      { state: 'RUNNING', start: at(40), end: RANGE.to },
    ]);
  });

  it('marks the stretch before missed transitions uncertain and shows the failure they led to', () => {
    const map1 = t.groups[0]!.subtasks[0]!;
    expect(map1.segments.slice(1, 4)).toEqual([
      { state: 'RUNNING', start: at(10), end: at(33), inferred: true },
      { state: 'FAILED', start: at(33), end: at(33) },
      { state: 'CREATED', start: at(33), end: at(33) },
    ]);
    // A failure read as such is a plain segment.
    const read = buildTimeline(
      [
        row(1, 'A (1/1)', 'INITIALIZING', 'RUNNING'),
        row(5, 'A (1/1)', 'RUNNING', 'FAILED'),
        row(9, 'A (1/1)', 'FAILED', 'CREATED'),
      ],
      RANGE,
    ).groups[0]!.subtasks[0]!;
    expect(read.failures).toBe(1);
    expect(read.segments.find((s) => s.state === 'FAILED')).toEqual({ state: 'FAILED', start: at(5), end: at(9) });
  });

  it('lists the states drawn in lifecycle order', () => {
    expect(t.states).toEqual([
      'CREATED',
      'SCHEDULED',
      'DEPLOYING',
      'INITIALIZING',
      'RUNNING',
      'CANCELING',
      'CANCELED',
      'FAILED',
    ]);
    expect(t.firstAt).toBe(T0 + 10_000);
  });

  it('starts a subtask at its first transition when that is its creation', () => {
    const fresh = buildTimeline([row(5, 'Sink (1/1)#0 (x)', 'CREATED', 'SCHEDULED')], RANGE);
    expect(fresh.groups[0]!.subtasks[0]!.segments).toEqual([{ state: 'SCHEDULED', start: T0 + 5000, end: RANGE.to }]);
  });

  it('widens the range to transitions outside it and skips incomplete rows', () => {
    const wide = buildTimeline(
      [row(600, 'A (1/1)', 'RUNNING', 'FAILED'), { '@timestamp': ts(T0), task: 'A (1/1)', fromStatus: '' }],
      RANGE,
    );
    expect(wide.to).toBe(T0 + 600_000);
    expect(wide.transitions).toBe(1);
  });

  it('is empty without rows', () => {
    expect(buildTimeline([], RANGE)).toMatchObject({ subtasks: 0, groups: [], states: [], firstAt: RANGE.from });
  });
});

describe('capRows', () => {
  it('keeps the first subtasks, operator by operator', () => {
    const rows = [];
    for (let i = 1; i <= 5; i++) rows.push(row(1, `A (${i}/5)`, 'RUNNING', 'FAILED'));
    for (let i = 1; i <= 3; i++) rows.push(row(1, `B (${i}/3)`, 'CREATED', 'SCHEDULED'));
    const t = buildTimeline(rows, RANGE);
    const capped = capRows(t.groups, 6);
    expect(capped.hidden).toBe(2);
    expect(capped.groups.map((g) => [g.vertex, g.subtasks.length, g.size])).toEqual([
      ['A', 5, 5],
      ['B', 1, 3],
    ]);
    expect(capRows(t.groups, 100)).toEqual({ groups: t.groups, hidden: 0 });
  });

  it('orders subtasks naturally: 2 before 10', () => {
    const rows = [10, 2, 1].map((i) => row(1, `Op (${i}/12)`, 'CREATED', 'SCHEDULED'));
    expect(buildTimeline(rows, RANGE).groups[0]!.subtasks.map((s) => s.index)).toEqual([1, 2, 10]);
  });
});

describe('statePaths', () => {
  const window = { from: 0, to: 1000 };

  it('draws one path per state, failures last, an instant failure at least minWidth wide', () => {
    const paths = statePaths(
      [
        { state: 'RUNNING', start: 0, end: 500 },
        { state: 'CANCELING', start: 500, end: 500 },
        { state: 'FAILED', start: 500, end: 500 },
        { state: 'CANCELED', start: 500, end: 600 },
        { state: 'RUNNING', start: 600, end: 1000 },
      ],
      window,
      1000,
      2,
    );
    expect(paths.map((p) => p.state)).toEqual(['RUNNING', 'CANCELED', 'FAILED']);
    expect(paths[0]).toMatchObject({ count: 2, ms: 900, d: 'M0 0h500v1h-500zM600 0h400v1h-400z' });
    expect(paths[2]).toMatchObject({ count: 1, d: 'M500 0h2v1h-2z' });
  });

  it('clips to the window and leaves out what is outside it', () => {
    const paths = statePaths(
      [
        { state: 'INITIALIZING', start: -500, end: -100, inferred: true },
        { state: 'RUNNING', start: -100, end: 250 },
        { state: 'FAILED', start: 1200, end: 1300 },
      ],
      window,
    );
    expect(paths).toEqual([{ state: 'RUNNING', d: 'M0 0h250v1h-250z', count: 1, ms: 250 }]);
  });

  it('keeps inferred states apart, painted under their own', () => {
    const paths = statePaths(
      [
        { state: 'RUNNING', start: 0, end: 100, inferred: true },
        { state: 'RUNNING', start: 100, end: 1000 },
      ],
      window,
    );
    expect(paths.map((p) => p.state)).toEqual(['RUNNING~', 'RUNNING']);
  });
});

describe('timeTicks', () => {
  it('picks a round step with at most the ticks asked for', () => {
    const { ticks, step } = timeTicks(T0 + 1, T0 + 3_600_000, 6);
    expect(step).toBe(10 * 60_000);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) expect(new Date(t).getMinutes() % 10).toBe(0);
    expect(timeTicks(T0, T0 + 3_600_000, 4).step).toBe(15 * 60_000);
    expect(timeTicks(T0, T0 + 40_000, 6).step).toBe(10_000);
  });

  it('labels seconds only below a minute step', () => {
    const at = new Date(2026, 0, 1, 6, 5, 30).getTime();
    expect(formatTick(at, 10_000)).toBe('06:05:30');
    expect(formatTick(at, 60_000)).toBe('06:05');
  });
});
