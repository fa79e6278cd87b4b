/** Metric math over known series: every function and operator against values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { compileQueries, runQueries, type MetricQuery, type MetricRef } from '../src/index.js';

const T0 = Date.UTC(2026, 0, 1);
const M = 60_000;
/** Series by metric name, one point a minute from T0 (undefined: no point that minute). */
const DATA: Record<string, (number | undefined)[]> = {
  restarts: [0, 1, 3, 3, 7, 12],
  errors: [1, undefined, 2, undefined, undefined, 4],
  requests: [10, 20, 0, 40, 50, 60],
};

const read = (metric: MetricRef, from: number, to: number) =>
  (DATA[metric.MetricName!] ?? [])
    .map((v, i) => ({ timestamp: T0 + i * M, value: v }))
    .filter((p): p is { timestamp: number; value: number } => p.value !== undefined)
    .filter((p) => p.timestamp >= from && p.timestamp < to);

const metric = (id: string, name: string, extra: Partial<MetricQuery> = {}): MetricQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: 'Test', MetricName: name }, Period: 60, Stat: 'Maximum' },
  ReturnData: false,
  ...extra,
});

/** Runs `expression` as e1 beside the three metrics (m1 restarts, m2 errors, m3 requests). */
function run(expression: string, extra: MetricQuery[] = []) {
  const queries = [
    metric('m1', 'restarts'),
    metric('m2', 'errors'),
    metric('m3', 'requests'),
    ...extra,
    { Id: 'e1', Expression: expression },
  ];
  return runQueries(compileQueries(queries), T0, T0 + 6 * M, read);
}

const pairs = (r: { timestamps: number[]; values: number[] }) =>
  r.timestamps.map((t, i) => [(t - T0) / M, r.values[i]] as [number, number]);

describe('metric math', () => {
  it('DIFF, RATE and DIFF_TIME work on consecutive points', () => {
    expect(pairs(run('DIFF(m1)')[0]!)).toEqual([
      [1, 1],
      [2, 2],
      [3, 0],
      [4, 4],
      [5, 5],
    ]);
    expect(pairs(run('RATE(m1)')[0]!).map(([, v]) => v)).toEqual([1 / 60, 2 / 60, 0, 4 / 60, 5 / 60]);
    // Over a gap, the time between points is the gap.
    expect(pairs(run('DIFF_TIME(m2)')[0]!)).toEqual([
      [2, 120],
      [5, 180],
    ]);
  });

  it('FILL makes no point past now or older than the period’s retention, whatever the range', () => {
    const queries = [metric('m2', 'errors'), { Id: 'e1', Expression: 'FILL(m2, 0)' }];
    const years = 40 * 365 * 24 * 60 * M;
    const now = T0 + 6 * M;
    const [r] = runQueries(compileQueries(queries), now - years, now + years, read, now);
    // One-minute points are kept 15 days: 21,600 minutes, the last one the minute now is in.
    expect(r!.timestamps.length).toBe(15 * 24 * 60 + 1);
    expect(Math.max(...r!.timestamps)).toBeLessThanOrEqual(now);
    expect(Math.min(...r!.timestamps)).toBeGreaterThanOrEqual(now - 15 * 24 * 60 * M);
  });

  it('FILL with a number, REPEAT and LINEAR fills the minutes without a point', () => {
    expect(pairs(run('FILL(m2, 0)')[0]!).map(([, v]) => v)).toEqual([1, 0, 2, 0, 0, 4]);
    expect(pairs(run('FILL(m2, REPEAT)')[0]!).map(([, v]) => v)).toEqual([1, 1, 2, 2, 2, 4]);
    expect(pairs(run('FILL(m2, LINEAR)')[0]!).map(([, v]) => v)).toEqual([1, 1.5, 2, 2 + 2 / 3, 2 + 4 / 3, 4]);
  });

  it('arithmetic: series with series on common timestamps, with scalars everywhere, precedence and power', () => {
    expect(pairs(run('m2 / m3 * 100')[0]!)).toEqual([
      [0, 10],
      [5, (4 / 60) * 100],
    ]);
    expect(pairs(run('m1 + 2 * 3 ^ 2 - -1')[0]!).map(([, v]) => v)).toEqual([19, 20, 22, 22, 26, 31]);
    // Division by zero gives no point at that minute.
    expect(pairs(run('m1 / m3')[0]!).map(([t]) => t)).toEqual([0, 1, 3, 4, 5]);
  });

  it('SUM/AVG/MIN/MAX of one series are numbers drawn as a line; of an array, a series across them', () => {
    const sum = run('SUM(m1)')[0]!;
    expect(new Set(sum.values)).toEqual(new Set([26]));
    expect(sum.timestamps.length).toBe(6);
    expect(run('MAX(m3) - MIN(m3)')[0]!.values[0]).toBe(60);
    expect(run('AVG(m1)')[0]!.values[0]).toBeCloseTo(26 / 6);
    expect(pairs(run('SUM([m1, m2])')[0]!).map(([, v]) => v)).toEqual([1, 1, 5, 3, 7, 16]);
    expect(pairs(run('MAX(METRICS())')[0]!).map(([, v]) => v)).toEqual([10, 20, 3, 40, 50, 60]);
  });

  it('METRICS() returns every metric query (filtered by id), and functions apply to each member', () => {
    const all = run('DIFF(METRICS())');
    expect(all.map((r) => r.label)).toEqual(['e1 restarts', 'e1 errors', 'e1 requests']);
    const some = run('METRICS("m1")');
    expect(some).toHaveLength(1);
    expect(pairs(some[0]!).map(([, v]) => v)).toEqual([0, 1, 3, 3, 7, 12]);
  });

  it('ReturnData false hides a query; expressions can use other expressions', () => {
    const out = runQueries(
      compileQueries([
        metric('m1', 'restarts'),
        { Id: 'e1', Expression: 'DIFF(m1)', ReturnData: false },
        { Id: 'e2', Expression: 'e1 * 2', Label: 'doubled' },
      ]),
      T0,
      T0 + 6 * M,
      read,
    );
    expect(out.map((r) => [r.id, r.label])).toEqual([['e2', 'doubled']]);
    expect(out[0]!.values).toEqual([2, 4, 0, 8, 10]);
  });

  it.each([
    ['DIFF(m1', /Unexpected end of expression/],
    ['m1 + + ', /Unexpected end/],
    ['m1 $ 2', /Unrecognized character '\$'/],
    ['DIFF(m9)', /Unrecognized metric id m9/],
    ['NOPE(m1)', /Unknown function NOPE/],
    ['FILL(m1, SIDEWAYS)', /Unrecognized metric id SIDEWAYS/],
    ['FILL(m1, "x")', /FILL takes a number, REPEAT or LINEAR/],
    ['DIFF(m1, m2)', /DIFF takes 1 argument, not 2/],
    ['METRICS() + METRICS()', /cannot combine an array of time series and an array/],
    ['', /empty/],
  ])('%j is a ValidationError naming the expression: %s', (expression, message) => {
    let err: { name?: string; message?: string } = {};
    try {
      run(expression);
    } catch (e) {
      err = e as Error;
    }
    expect(err.name).toBe('ValidationError');
    expect(err.message).toMatch(/^Error in expression e1: /);
    expect(err.message).toMatch(message);
  });

  it('a circular reference, a duplicate id, a bad id and a query with both kinds are refused', () => {
    const codes = (queries: MetricQuery[]) => {
      try {
        compileQueries(queries);
        return 'ok';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    expect(
      codes([metric('m1', 'restarts'), { Id: 'e1', Expression: 'e2' }, { Id: 'e2', Expression: 'e1 + m1' }]),
    ).toMatch(/ValidationError: .*Circular reference/);
    expect(codes([metric('m1', 'restarts'), metric('m1', 'errors')])).toMatch(
      /InvalidParameterValueException: .*not unique/,
    );
    expect(codes([metric('M1', 'restarts', { ReturnData: true })])).toMatch(/ValidationError: .*lowercase letter/);
    expect(codes([{ ...metric('m1', 'restarts'), Expression: 'm1', ReturnData: true }])).toMatch(/Exactly one of/);
    expect(codes([metric('m1', 'restarts')])).toMatch(/must return data/);
  });
});
