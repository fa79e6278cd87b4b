/** CloudWatch Logs Insights in the engine: the language, command by command, and its incremental run. */
import { describe, expect, it } from 'vitest';
import {
  InsightsQuery,
  MalformedQueryError,
  STEP_EVENTS,
  validateQuery,
  type InsightsEvent,
  type QueryOutput,
} from '../src/index.js';

const T0 = Date.UTC(2026, 11, 6, 14, 55, 0);
const SEC = 1000;

function event(t: number, message: string, seq = 0, logStream = 'main'): InsightsEvent {
  return { timestamp: t, ingestionTime: t + 180, message, logStream, log: '123456789012:/g', seq };
}

/** A message as Managed Service for Apache Flink writes it (the emulator's logMessage field order). */
function flinkJson(message: string, level = 'INFO'): string {
  return JSON.stringify({
    locationInformation: 'org.apache.flink.runtime.executiongraph.ExecutionGraph.transitionState',
    logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    message,
    threadName: 'flink-pekko.actor.default-dispatcher-4',
    applicationARN: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/a',
    applicationVersionId: '2',
    messageSchemaVersion: '1',
    messageType: level,
  });
}

function run(query: string, events: InsightsEvent[], limit?: number): QueryOutput {
  return new InsightsQuery(query, events[Symbol.iterator](), { limit }).run();
}

/** Rows as objects, without @ptr. */
function rows(query: string, events: InsightsEvent[], limit?: number): Record<string, string>[] {
  return run(query, events, limit).results.map((r) =>
    Object.fromEntries(r.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])),
  );
}

function malformed(query: string): MalformedQueryError {
  try {
    validateQuery(query);
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedQueryError);
    return e as MalformedQueryError;
  }
  throw new Error(`expected ${query} to be malformed`);
}

const SEED = `fields @timestamp, @message
| parse @message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./
| filter ispresent(task) and ispresent(fromStatus) and ispresent(toStatus)
| display @timestamp, task, fromStatus, toStatus
| limit 10000`;

const transitions = [
  'Source: Kinesis orders (2/4)#0 (a_b_1_0) switched from INITIALIZING to RUNNING.',
  'Job orders (abc) switched from state RUNNING to RESTARTING.',
  'Session window 30 min (1/2)#0 (a_c_0_0) switched from RUNNING to FAILED with failure cause: java.lang.NullPointerException: profile',
  'Source: Kinesis orders (2/4)#0 (a_b_1_0) switched from RUNNING to CANCELING.',
  'Source: Kinesis orders (2/4)#0 (a_b_1_0) switched from CANCELING to CANCELED.',
  'Completed checkpoint 12 for job abc.',
];

describe('the seed query (subtask transitions)', () => {
  it('over plain text messages extracts task, fromStatus and toStatus, newest first', () => {
    const events = transitions.map((m, i) => event(T0 + i * SEC, m, i));
    const out = run(SEED, events);
    expect(out.results.map((r) => r.map((f) => f.field))).toEqual(
      Array(3).fill(['@timestamp', 'task', 'fromStatus', 'toStatus', '@ptr']),
    );
    expect(rows(SEED, events)).toEqual([
      {
        '@timestamp': '2026-12-06 14:55:04.000',
        task: 'Source: Kinesis orders (2/4)#0 (a_b_1_0)',
        fromStatus: 'CANCELING',
        toStatus: 'CANCELED',
      },
      {
        '@timestamp': '2026-12-06 14:55:03.000',
        task: 'Source: Kinesis orders (2/4)#0 (a_b_1_0)',
        fromStatus: 'RUNNING',
        toStatus: 'CANCELING',
      },
      {
        '@timestamp': '2026-12-06 14:55:00.000',
        task: 'Source: Kinesis orders (2/4)#0 (a_b_1_0)',
        fromStatus: 'INITIALIZING',
        toStatus: 'RUNNING',
      },
    ]);
    expect(out.statistics).toEqual({
      recordsMatched: 3,
      recordsScanned: 6,
      bytesScanned: transitions.join('').length,
    });
  });

  it('over JSON messages applies the regex to the raw @message, so task keeps the JSON before the message', () => {
    const events = transitions.map((m, i) => event(T0 + i * SEC, flinkJson(m), i));
    const got = rows(SEED, events);
    expect(got.map((r) => `${r.fromStatus}->${r.toStatus}`)).toEqual([
      'CANCELING->CANCELED',
      'RUNNING->CANCELING',
      'INITIALIZING->RUNNING',
    ]);
    expect(got[0]!.task).toBe(
      '{"locationInformation":"org.apache.flink.runtime.executiongraph.ExecutionGraph.transitionState",' +
        '"logger":"org.apache.flink.runtime.executiongraph.ExecutionGraph",' +
        '"message":"Source: Kinesis orders (2/4)#0 (a_b_1_0)',
    );
  });
});

describe('fields and discovered JSON fields', () => {
  const events = [
    event(T0, flinkJson('Job started.', 'INFO'), 1),
    event(T0 + SEC, JSON.stringify({ a: { b: 2, c: [5, 'x'] }, ok: true, n: null }), 2),
    event(T0 + 2 * SEC, 'plain text', 3),
  ];

  it('discovers JSON fields, flattened, and leaves @message raw', () => {
    expect(rows('fields @timestamp, messageType, logger, message, a.b, a.c.1, ok', events)).toEqual([
      { '@timestamp': '2026-12-06 14:55:02.000' },
      { '@timestamp': '2026-12-06 14:55:01.000', 'a.b': '2', 'a.c.1': 'x', ok: 'true' },
      {
        '@timestamp': '2026-12-06 14:55:00.000',
        messageType: 'INFO',
        logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
        message: 'Job started.',
      },
    ]);
    expect(rows('fields @message | filter @message like "plain"', events)).toEqual([{ '@message': 'plain text' }]);
  });

  it('finds keys with dots and array items without mistaking a miss for a hit', () => {
    const docs = [event(T0, '{"x.y": 1, "list": [[7]], "q": "say \\"task\\""}', 1)];
    expect(rows('fields x.y, list.0.0, task, q', docs)).toEqual([{ 'x.y': '1', 'list.0.0': '7', q: 'say "task"' }]);
  });

  it('computes expressions with as aliases; unaliased ones are named by their text', () => {
    expect(rows('fields strlen(@message) as len, a.b * 10 + 1, toupper(message) as m | limit 2', events)).toEqual([
      { len: '10' },
      { len: String(events[1]!.message.length), 'a.b * 10 + 1': '21' },
    ]);
  });

  it('without fields, display or parse returns every field of the event, with @ptr', () => {
    const out = run('filter ispresent(messageType)', events);
    expect(out.results[0]!.map((f) => f.field)).toEqual([
      '@timestamp',
      '@message',
      '@logStream',
      '@log',
      'locationInformation',
      'logger',
      'message',
      'threadName',
      'applicationARN',
      'applicationVersionId',
      'messageSchemaVersion',
      'messageType',
      '@ptr',
    ]);
    expect(out.results[0]!.find((f) => f.field === '@log')!.value).toBe('123456789012:/g');
  });

  it('@ingestionTime and @logStream are system fields', () => {
    expect(rows('fields @ingestionTime, @logStream | limit 1', events)).toEqual([
      { '@ingestionTime': '2026-12-06 14:55:02.180', '@logStream': 'main' },
    ]);
  });

  it('gives a distinct @ptr per event', () => {
    const ptrs = run('fields @timestamp', events).results.map((r) => r.at(-1)!);
    expect(ptrs.every((p) => p.field === '@ptr')).toBe(true);
    expect(new Set(ptrs.map((p) => p.value)).size).toBe(3);
  });
});

describe('parse', () => {
  const events = [event(T0, 'user=ann, method:GET, latency := 12', 1), event(T0 + SEC, 'nothing here', 2)];

  it('glob form: a field per wildcard; events that do not match stay, without the fields', () => {
    expect(
      rows('parse @message "user=*, method:*, latency := *" as user, method, latency | display user, latency', events),
    ).toEqual([{}, { user: 'ann', latency: '12' }]);
  });

  it('glob form without a field parses @message; a parsed field can be parsed again', () => {
    expect(rows('parse "user=*," as user | parse user "a*" as rest | filter ispresent(rest)', events)).toEqual([
      { user: 'ann', rest: 'nn' },
    ]);
  });

  it('regex form with (?i) and named groups', () => {
    expect(rows('parse @message /(?i)METHOD:(?<m>\\w+)/ | filter ispresent(m) | display m', events)).toEqual([
      { m: 'GET' },
    ]);
  });

  it('the seed query glob form', () => {
    const msg = event(T0, 'Source: Kinesis orders (2/4) switched from RUNNING to FAILED.', 1);
    expect(rows('parse @message "* switched from * to *." as task, fromStatus, toStatus', [msg])).toEqual([
      { task: 'Source: Kinesis orders (2/4)', fromStatus: 'RUNNING', toStatus: 'FAILED' },
    ]);
  });
});

describe('filter', () => {
  const events = [
    event(T0, JSON.stringify({ level: 'ERROR', code: 500, path: '/a', user: 'ann' }), 1),
    event(T0 + SEC, JSON.stringify({ level: 'WARN', code: 404, path: '/b', user: '' }), 2),
    event(T0 + 2 * SEC, JSON.stringify({ level: 'INFO', code: 200, path: '/a/c' }), 3),
  ];
  const codes = (q: string) => rows(`${q} | display code`, events).map((r) => Number(r.code));

  it.each([
    ['filter code = 500', [500]],
    ['filter code != 500', [200, 404]],
    ['filter code >= 404', [404, 500]],
    ['filter code < 404', [200]],
    ['filter code <= 200 or code > 450', [200, 500]],
    ['filter code = "500"', [500]],
    ['filter level like "RR"', [500]],
    ['filter level like /^(WARN|INFO)$/', [200, 404]],
    ['filter level =~ /^W/', [404]],
    ['filter level not like "RR"', [200, 404]],
    ['filter level in ["ERROR", "INFO"]', [200, 500]],
    ['filter code not in [200, 404]', [500]],
    ['filter ispresent(user)', [404, 500]],
    ['filter isempty(user)', [200, 404]],
    ['filter not ispresent(user)', [200]],
    ['filter (code > 300 and level = "WARN") or path = "/a/c"', [200, 404]],
    ['filter code / 100 + 1 = 6', [500]],
    ['filter code % 100 = 4', [404]],
    ['filter -code < -450', [500]],
    ['filter strlen(path) > 2', [200]],
    ['filter strcontains(path, "/a")', [200, 500]],
    ['filter missing = 1', []],
    ['filter missing != 1', []],
    ['filter level LIKE "ERR" AND code = 500', [500]],
  ])('%s', (q, expected) => {
    expect(codes(q)).toEqual(expected);
  });
});

describe('sort and limit', () => {
  const values = ['b10', 'b9', '7', 'a', '12', '!x'];
  const events = values.map((v, i) => event(T0 + i * SEC, JSON.stringify({ v, g: i % 2 }), i));

  it('sorts naturally: non-numbers first (chunks of digits by value), then numbers', () => {
    expect(rows('sort v asc | display v', events).map((r) => r.v)).toEqual(['!x', 'a', 'b9', 'b10', '7', '12']);
    expect(rows('sort v desc | display v', events).map((r) => r.v)).toEqual(['12', '7', 'b10', 'b9', 'a', '!x']);
  });

  it('sorts by several keys, ascending by default', () => {
    expect(rows('sort g desc, v | display g, v', events).map((r) => `${r.g}${r.v}`)).toEqual([
      '1!x',
      '1a',
      '1b9',
      '0b10',
      '07',
      '012',
    ]);
  });

  it('limits, and defaults to newest first', () => {
    expect(rows('fields v | limit 2', events).map((r) => r.v)).toEqual(['!x', '12']);
    expect(rows('sort @timestamp asc | limit 2 | display v', events).map((r) => r.v)).toEqual(['b10', 'b9']);
  });

  it('the request limit applies when the query has none; a limit command wins', () => {
    expect(rows('fields v', events, 3)).toHaveLength(3);
    expect(rows('fields v | limit 5', events, 3)).toHaveLength(5);
  });

  it('keeps only the top rows while streaming, with the same answer as a full sort', () => {
    const many = Array.from({ length: 5000 }, (_, i) => event(T0 + ((i * 7919) % 5000), `n=${(i * 104729) % 997}`, i));
    const top = rows('parse "n=*" as n | sort n desc, @timestamp asc | limit 25', many);
    const all = rows('parse "n=*" as n | sort n desc, @timestamp asc | filter 1 = 1', many).slice(0, 25);
    expect(top).toEqual(all);
    expect(top[0]!.n).toBe('996');
  });
});

describe('stats', () => {
  const events = Array.from({ length: 12 }, (_, i) =>
    event(T0 + i * 60 * SEC, JSON.stringify({ level: i % 3 === 0 ? 'ERROR' : 'INFO', ms: i, user: `u${i % 4}` }), i),
  );

  it('count(*), count(), count(field) and numeric aggregations', () => {
    expect(
      rows(
        'stats count(*), count() as c, count(level) as levels, count(nothing) as none, sum(ms), avg(ms) as mean, min(ms), max(ms), count_distinct(user) as users',
        events,
      ),
    ).toEqual([
      {
        'count(*)': '12',
        c: '12',
        levels: '12',
        none: '0',
        'sum(ms)': '66',
        mean: '5.5',
        'min(ms)': '0',
        'max(ms)': '11',
        users: '4',
      },
    ]);
  });

  it('groups by fields, the by fields first', () => {
    const out = run('stats count(*) as n, max(ms) by level', events);
    expect(out.results).toEqual([
      [
        { field: 'level', value: 'ERROR' },
        { field: 'n', value: '4' },
        { field: 'max(ms)', value: '9' },
      ],
      [
        { field: 'level', value: 'INFO' },
        { field: 'n', value: '8' },
        { field: 'max(ms)', value: '11' },
      ],
    ]);
  });

  it('bins by 5m: floored @timestamp, newest bin first', () => {
    expect(rows('stats count(*) by bin(5m)', events)).toEqual([
      { 'bin(5m)': '2026-12-06 15:05:00.000', 'count(*)': '2' },
      { 'bin(5m)': '2026-12-06 15:00:00.000', 'count(*)': '5' },
      { 'bin(5m)': '2026-12-06 14:55:00.000', 'count(*)': '5' },
    ]);
    expect(rows('stats count(*) as n by bin(1h) as hour, level | sort level', events)).toEqual([
      { hour: '2026-12-06 15:00:00.000', level: 'ERROR', n: '2' },
      { hour: '2026-12-06 14:00:00.000', level: 'ERROR', n: '2' },
      { hour: '2026-12-06 15:00:00.000', level: 'INFO', n: '5' },
      { hour: '2026-12-06 14:00:00.000', level: 'INFO', n: '3' },
    ]);
  });

  it('earliest, latest, pct, stddev and aggregations of expressions', () => {
    expect(
      rows(
        'stats earliest(user) as first, latest(user) as last, pct(ms, 50) as p50, stddev(ms) as sd, sum(level = "ERROR") as errors',
        events,
      ),
    ).toEqual([{ first: 'u0', last: 'u3', p50: '5', sd: String(Math.sqrt(13)), errors: '4' }]);
  });

  it('commands after stats see its columns: sort, filter, limit, another stats', () => {
    expect(rows('stats count(*) by user | sort count(*) desc, user | limit 2', events)).toEqual([
      { user: 'u0', 'count(*)': '3' },
      { user: 'u1', 'count(*)': '3' },
    ]);
    expect(rows('stats count(*) as n by level | filter n > 5', events)).toEqual([{ level: 'INFO', n: '8' }]);
    expect(rows('stats count(*) as n by user | stats sum(n) as total, count(*) as users', events)).toEqual([
      { total: '12', users: '4' },
    ]);
  });

  it('has no rows when nothing matched', () => {
    expect(rows('filter level = "FATAL" | stats count(*)', events)).toEqual([]);
  });
});

describe('dedup, string functions, comments', () => {
  const events = [
    event(T0, JSON.stringify({ user: 'ann', s: '  Hi There  ' }), 1),
    event(T0 + SEC, JSON.stringify({ user: 'bob', s: 'x' }), 2),
    event(T0 + 2 * SEC, JSON.stringify({ user: 'ann', s: 'y' }), 3),
  ];

  it('dedup keeps the first row of each value in the current order', () => {
    expect(rows('fields user, s | dedup user', events)).toEqual([
      { user: 'ann', s: 'y' },
      { user: 'bob', s: 'x' },
    ]);
  });

  it('string functions', () => {
    expect(
      rows(
        `filter user = "ann" and s like "Hi"
         | fields trim(s) as t, toupper(user) as u, tolower(trim(s)) as l, concat(user, "-", strlen(s)) as c,
           substr(trim(s), 3) as tail, substr(trim(s), 0, 2) as head, replace(user, "n", "N") as r,
           ltrim(s) as lt, rtrim(s) as rt, coalesce(nothing, user) as co, isblank(nothing) as b`,
        events,
      ),
    ).toEqual([
      {
        t: 'Hi There',
        u: 'ANN',
        l: 'hi there',
        c: 'ann-12',
        tail: 'There',
        head: 'Hi',
        r: 'aNN',
        lt: 'Hi There  ',
        rt: '  Hi There',
        co: 'ann',
        b: '1',
      },
    ]);
  });

  it('ignores comments', () => {
    expect(rows('# users\nfields user # the user\n| filter user = "bob" # only bob', events)).toEqual([
      { user: 'bob' },
    ]);
  });

  it('datefloor, dateceil, fromMillis, toMillis', () => {
    expect(
      rows(
        'fields datefloor(@timestamp, 1h) as f, dateceil(@timestamp + 1, 1d) as c, toMillis(@timestamp) as ms, fromMillis(0) as epoch | limit 1',
        events,
      ),
    ).toEqual([
      {
        f: '2026-12-06 14:00:00.000',
        c: '2026-12-07 00:00:00.000',
        ms: String(T0 + 2 * SEC),
        epoch: '1970-01-01 00:00:00.000',
      },
    ]);
  });
});

describe('malformed queries', () => {
  it.each([
    ['', 'The query is empty at line 1 and position 1.', 0, 0],
    ['fields @timestamp | pattern @message', 'The command pattern is not supported by this emulator', 20, 27],
    ['fields a | frobnicate b', 'Unexpected command frobnicate', 11, 21],
    ['filter a = "x', 'Unterminated string', 11, 13],
    ['limit 0', 'limit must be between 1 and 10000, found 0', 6, 7],
    ['limit 10001', 'limit must be between 1 and 10000', 6, 11],
    ['limit x', 'limit expects a whole number, found x', 6, 7],
    ['fields frob(a)', 'Unrecognized function frob', 7, 14],
    ['fields count(*)', 'The aggregation function count is only valid in stats', 7, 15],
    ['stats strlen(a)', 'stats expects an aggregation function such as count(*), found strlen(a)', 6, 15],
    ['stats avg(*)', 'Wrong number of arguments for function avg', 6, 12],
    ['stats count(*) by bin(5)', 'bin expects a period such as 5m, found 5', 22, 23],
    ['stats count(*) by bin(5parsecs)', 'bin expects a period such as 5m', 22, 30],
    ['parse @message "a * b *" as x', 'parse pattern has 2 wildcards but 1 field names', 15, 29],
    ['parse @message "a * b"', 'parse with a pattern needs "as"', 15, 22],
    ['parse @message /a(b/', 'Invalid regular expression /a(b/', 15, 20],
    ['parse @message /(a)/', 'parse with a regular expression needs a named capturing group', 15, 20],
    ['filter a = ', 'Unexpected end of query', 11, 11],
    ['filter a = 1 )', 'Unexpected symbol found )', 13, 14],
    ['fields a,\n  b ~ c', 'Unexpected symbol found ~ at line 2 and position 5.', 14, 15],
    ['filter a not b', 'Unexpected symbol found b after not', 13, 14],
    ['filter x like', 'Unexpected end of query', 13, 13],
    ['sort a sideways', 'Unexpected symbol found sideways', 7, 15],
    ['fields 5m', 'A period such as 5m is only valid in bin, datefloor or dateceil', 7, 9],
    ['fields a | ', 'A command is missing', 11, 11],
  ])('%j', (query, message, start, end) => {
    const e = malformed(query);
    expect(e.name).toBe('MalformedQueryException');
    expect(e.message).toContain(message);
    expect(e.message).toMatch(/at line \d+ and position \d+\.$/);
    expect(e.queryCompileError).toEqual({
      location: { startCharOffset: start, endCharOffset: end },
      message: e.message,
    });
  });

  it('the seed query compiles', () => {
    expect(() => validateQuery(SEED)).not.toThrow();
  });
});

describe('incremental execution', () => {
  const events = Array.from({ length: 25_000 }, (_, i) =>
    event(T0 + i * 10, i % 10 === 0 ? `tick ${i} switched from A to B.` : `noise ${i}`, i),
  );

  it('reads a bounded number of events per step, with partial results in between', () => {
    const q = new InsightsQuery('filter @message like "switched" | stats count(*) as n', events[Symbol.iterator]());
    expect(STEP_EVENTS).toBe(5000);
    expect(q.step(10_000)).toBe(false);
    expect(q.results()).toEqual({
      results: [[{ field: 'n', value: '1000' }]],
      statistics: { recordsMatched: 1000, recordsScanned: 10_000, bytesScanned: expect.any(Number) },
    });
    expect(q.step(10_000)).toBe(false);
    expect(q.step(10_000)).toBe(true);
    expect(q.done).toBe(true);
    expect(q.results().results).toEqual([[{ field: 'n', value: '2500' }]]);
    expect(q.results().statistics.recordsScanned).toBe(25_000);
  });

  it('caps results at 10,000 rows by default', () => {
    expect(run('fields @message', events).results).toHaveLength(10_000);
    expect(run('fields @message', events).results[0]![0]!.value).toBe('noise 24999');
  });

  it('is deterministic', () => {
    expect(run(SEED, events)).toEqual(run(SEED, events));
  });
});

describe('events kept, and messages read, only as far as the answer needs', () => {
  /** Events at few distinct times, so that sorts meet many ties. */
  const messages = Array.from({ length: 3000 }, (_, i) =>
    flinkJson(`Op ${i % 7} (${(i % 4) + 1}/4)#${i % 3} (x_y_${i % 4}_${i % 3}) switched from A${i % 5} to B${i % 2}.`),
  );
  const times = messages.map((_, i) => T0 + ((i * 7919) % 40) * SEC);

  /**
   * The events as a source that writes each message when first read and can no longer write it once the
   * query has returned from the step that scanned it (as the emulator's log can trim lines between steps).
   */
  function lazySource() {
    let step = 0;
    let reads = 0;
    const events = messages.map((m, i) => {
      let scannedIn = -1;
      let text: string | undefined;
      return {
        scanned: () => (scannedIn = step),
        event: {
          timestamp: times[i]!,
          ingestionTime: times[i]! + 180,
          logStream: `s${i % 3}`,
          log: '123456789012:/g',
          seq: i,
          bytes: Buffer.byteLength(m),
          get message(): string {
            if (text === undefined) {
              if (scannedIn !== step) throw new Error(`message of event ${i} read after its step`);
              reads++;
              text = m;
            }
            return text;
          },
        } as InsightsEvent,
      };
    });
    let next = 0;
    const iterator: Iterator<InsightsEvent> = {
      next: () => {
        if (next >= events.length) return { done: true, value: undefined };
        const e = events[next++]!;
        e.scanned();
        return { done: false, value: e.event };
      },
    };
    return {
      iterator,
      reads: () => reads,
      run(query: string, stepSize: number, limit?: number): QueryOutput {
        const q = new InsightsQuery(query, iterator, { limit });
        while (!q.step(stepSize)) step++;
        step++;
        return q.results();
      },
    };
  }

  const eager = () => messages.map((m, i) => ({ ...event(times[i]!, m, i, `s${i % 3}`), bytes: Buffer.byteLength(m) }));

  it.each([
    'fields @timestamp, @message | sort @timestamp desc | limit 100',
    'sort @timestamp desc | limit 50',
    'fields @timestamp, @message | sort @timestamp asc | limit 10',
    'limit 25',
    'fields @timestamp, message | limit 30',
    SEED,
    'parse @message "switched from * to *" as a, b | sort a desc, @timestamp | limit 40',
    'fields @timestamp, @message | sort @timestamp desc | dedup @logStream | limit 10',
    'filter @message like /B1/ | stats count(*) as n by bin(5s)',
    'sort @timestamp desc | limit 20 | fields strlen(@message) as len',
    'display @timestamp, @logStream',
  ])('%s: the same answer as read eagerly, whatever the step size', (query) => {
    const expected = run(query, eager(), 500);
    for (const stepSize of [1, 7, 5000]) expect(lazySource().run(query, stepSize, 500)).toEqual(expected);
  });

  it('a sort with a limit reads the messages of few events', () => {
    const source = lazySource();
    const out = source.run('fields @timestamp, @message | sort @timestamp desc | limit 10', 100);
    expect(out.results).toHaveLength(10);
    expect(out.statistics).toMatchObject({ recordsScanned: 3000, recordsMatched: 3000 });
    expect(out.statistics.bytesScanned).toBe(messages.reduce((n, m) => n + Buffer.byteLength(m), 0));
    // Before the first prune (1,010 rows held), every event is kept; after it, few.
    expect(source.reads()).toBeLessThan(messages.length / 2);
  });

  it('the kept top rows give the full sort’s answer when events tie across streams read one after another', () => {
    // Four streams of the same times (applications started together), each oldest first, read in turn.
    const streams = Array.from({ length: 20_000 }, (_, i) =>
      event(T0 + Math.floor((i % 5000) / 3) * SEC, `m${i}`, i % 5000, `s${Math.floor(i / 5000)}`),
    );
    for (const [top, full] of [
      ['limit 1234', 'fields @message | filter 1 = 1'],
      ['fields @timestamp, @message | sort @timestamp desc | limit 1234', 'sort @timestamp desc | filter 1 = 1'],
      ['sort @timestamp asc | limit 1234', 'sort @timestamp asc | filter 1 = 1'],
      ['sort @logStream, @timestamp desc | limit 2345', 'sort @logStream, @timestamp desc | filter 1 = 1'],
    ] as const) {
      const kept = run(top, streams, 10_000).results;
      expect(kept.length).toBeGreaterThan(1000);
      expect(kept.map((r) => r.at(-1)!.value)).toEqual(
        run(full, streams, 10_000)
          .results.slice(0, kept.length)
          .map((r) => r.at(-1)!.value),
      );
    }
  });

  it('among events of one time, keeps the newest scanned by default and the first scanned by a sort', () => {
    const same = Array.from({ length: 5000 }, (_, i) => event(T0, `m${i}`, i));
    const messages = (query: string) => rows(query, same).map((r) => r['@message']);
    expect(messages('fields @message | limit 1000')).toEqual(Array.from({ length: 1000 }, (_, i) => `m${4999 - i}`));
    expect(messages('fields @message | sort @timestamp desc | limit 1000')).toEqual(
      Array.from({ length: 1000 }, (_, i) => `m${i}`),
    );
  });

  it('the kept top rows give the full sort’s answer, ties in scan order', () => {
    const all = eager();
    for (const [top, full] of [
      ['sort @timestamp desc | limit 123', 'sort @timestamp desc | filter 1 = 1'],
      ['sort @timestamp asc | limit 77', 'sort @timestamp asc | filter 1 = 1'],
      ['fields @logStream | limit 99', 'fields @logStream | filter 1 = 1'],
      ['sort @logStream desc, @timestamp | limit 300', 'sort @logStream desc, @timestamp | filter 1 = 1'],
      ['parse @message "from A*" as a | sort a | limit 50', 'parse @message "from A*" as a | sort a | filter 1 = 1'],
    ] as const) {
      const n = run(top, all).results.length;
      expect(run(top, all).results).toEqual(run(full, all).results.slice(0, n));
    }
  });
});

describe('fields set by commands', () => {
  it('more than three, overwritten in place (all read before any is set), absent ones not shown', () => {
    const events = [event(T0, 'a b c d e', 0)];
    const out = run(
      'parse @message "* * * * *" as f1, f2, f3, f4, f5 | fields f5 as f1, f1 as f6, nothing as f2',
      events,
    );
    expect(out.results[0]!.map((f) => `${f.field}=${f.value}`)).toEqual([
      'f1=e',
      'f3=c',
      'f4=d',
      'f5=e',
      'f6=a',
      '@ptr=MTIzNDU2Nzg5MDEyOi9nAG1haW4AMA==',
    ]);
    expect(rows('parse @message "* * *" as x, y, z | fields x as @message | display @message, y', events)).toEqual([
      { '@message': 'a', y: 'b' },
    ]);
    expect(
      rows('parse @message "* * * * *" as a, b, c, d, e | fields concat(e, d, c, b, a) as r | display r', events),
    ).toEqual([{ r: 'edcba' }]);
  });
});
