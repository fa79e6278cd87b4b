/**
 * CloudWatch Logs Insights over the demo fleet's log groups, through the AWS SDK and the `aws` CLI: the
 * AWS guidance's subtask-failure query verbatim, stats by bin, errors in AWS shapes, a query's life
 * (Scheduled → Running with partial results → Complete or Cancelled), limits and pagination, and the
 * same answers as the engine's queries over the events FilterLogEvents returns.
 */
import {
  CloudWatchLogsClient,
  DescribeQueriesCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type FilteredLogEvent,
  type GetQueryResultsCommandOutput,
  type ResultField,
  type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateApplicationCommand, StartApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { DEMO_BUCKET, DEMO_BUCKET_ARN, InsightsQuery, utf8, type InsightsEvent } from '@mfc/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insightsPacing, MAX_CONCURRENT_QUERIES } from '../src/services/logs-insights.js';
import { awsError, credentials, eventually, ROLE, startTestEmulator, type TestEmulator } from './harness.js';

const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';
const group = (app: string) => `/aws/kinesis-analytics/${app}`;

/** From the AWS guidance "Monitoring subtasks failure while the job is running", verbatim. */
const SEED = `fields @timestamp, @message
| parse @message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./
| filter ispresent(task) and ispresent(fromStatus) and ispresent(toStatus)
| display @timestamp, task, fromStatus, toStatus
| limit 10000`;

const STARTUP = ['CREATED->SCHEDULED', 'SCHEDULED->DEPLOYING', 'DEPLOYING->INITIALIZING', 'INITIALIZING->RUNNING'];

let t: TestEmulator;
let logs: CloudWatchLogsClient;
let nowSec: number;

beforeAll(async () => {
  t = await startTestEmulator({ demo: true, timeProfile: 'fast' });
  logs = new CloudWatchLogsClient({ endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  // Some more simulated minutes of the fail-and-restart loop.
  await t.admin('/_emulator/clock', { advanceMs: 10 * 60_000 });
  nowSec = Math.floor(((await t.admin('/_emulator/clock')) as { now: number }).now / 1000) + 1;
});
afterAll(() => t.close());
const PACING = { ...insightsPacing };
afterEach(() => Object.assign(insightsPacing, PACING));

const lastHour = () => ({ startTime: nowSec - 3600, endTime: nowSec });

async function start(input: Partial<StartQueryCommandInput> & { queryString: string }): Promise<string> {
  const out = await logs.send(new StartQueryCommand({ logGroupName: group(LOOPING), ...lastHour(), ...input }));
  expect(out.queryId).toMatch(/^[0-9a-f-]{36}$/);
  return out.queryId!;
}

async function complete(queryId: string): Promise<GetQueryResultsCommandOutput> {
  return eventually(async () => {
    const r = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(r.status).toBe('Complete');
    return r;
  });
}

const query = async (input: Partial<StartQueryCommandInput> & { queryString: string }) => complete(await start(input));

const objects = (results: ResultField[][] = []) =>
  results.map((row) => Object.fromEntries(row.map((f) => [f.field!, f.value!])));

const transition = (r: Record<string, string>) => `${r.fromStatus}->${r.toStatus}`;

describe('the guidance query: subtask transitions', () => {
  it('shows the fail-and-restart loop of orders-enricher', async () => {
    const r = await query({ queryString: SEED });
    const rows = objects(r.results);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of r.results!)
      expect(row.map((f) => f.field)).toEqual(['@timestamp', 'task', 'fromStatus', 'toStatus', '@ptr']);
    const seen = new Set(rows.map(transition));
    // The failed subtask is redeployed (FAILED→CREATED), the others are cancelled and restarted.
    for (const tr of ['FAILED->CREATED', 'RUNNING->CANCELING', 'CANCELING->CANCELED', 'CANCELED->CREATED', ...STARTUP])
      expect(seen).toContain(tr);
    // Flink's RUNNING→FAILED line ends "with failure cause: ...", not ".": the guidance's regex skips it.
    expect(seen).not.toContain('RUNNING->FAILED');
    // The regex runs on the raw JSON event: task starts with the JSON before Flink's message.
    expect(rows[0]!.task).toMatch(
      /^\{"locationInformation":"[\w.]+","logger":"[\w.]+","message":"Session window 30 min \(\d\/2\)#\d+ \(\w+\)$/,
    );
    // Newest first.
    const times = rows.map((row) => row['@timestamp']!);
    expect(times).toEqual([...times].sort().reverse());
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(r.statistics).toMatchObject({ recordsMatched: rows.length, logGroupsScanned: 1 });
    expect(r.statistics!.recordsScanned).toBeGreaterThan(rows.length);
    expect(r.statistics!.bytesScanned).toBeGreaterThan(r.statistics!.recordsScanned! * 100);
  });

  it('shows only startup transitions for the healthy clickstream-sessionizer', async () => {
    const rows = objects((await query({ logGroupName: group(HEALTHY), queryString: SEED })).results);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map(transition))).toEqual(new Set(STARTUP));
  });

  it('reads discovered JSON fields: the failures are WARN messages of the looping job only', async () => {
    const q = 'filter messageType = "WARN" and message like /switched from RUNNING to FAILED/ | stats count(*) as n';
    const looping = objects((await query({ queryString: q })).results);
    expect(Number(looping[0]!.n)).toBeGreaterThan(5);
    expect((await query({ logGroupName: group(HEALTHY), queryString: q })).results).toEqual([]);
  });
});

describe('stats', () => {
  it('count(*) by bin(5m): five-minute bins, newest first, adding up to the events', async () => {
    const r = await query({ queryString: 'stats count(*) by bin(5m)' });
    const rows = objects(r.results);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of r.results!) expect(row.map((f) => f.field)).toEqual(['bin(5m)', 'count(*)']);
    for (const row of rows) expect(row['bin(5m)']).toMatch(/:[0-5][05]:00\.000$/);
    const bins = rows.map((row) => row['bin(5m)']!);
    expect(bins).toEqual([...bins].sort().reverse());
    const total = rows.reduce((n, row) => n + Number(row['count(*)']), 0);
    expect(total).toBe(r.statistics!.recordsScanned);
  });
});

describe('a query over several log groups', () => {
  it('takes logGroupNames or logGroupIdentifiers (ARNs)', async () => {
    const q = 'stats count(*) as n by @log | sort @log';
    const byName = await query({
      logGroupName: undefined,
      logGroupNames: [group(LOOPING), group(HEALTHY)],
      queryString: q,
    });
    expect(objects(byName.results).map((r) => r['@log'])).toEqual([
      `123456789012:${group(HEALTHY)}`,
      `123456789012:${group(LOOPING)}`,
    ]);
    expect(byName.statistics!.logGroupsScanned).toBe(2);
    const arn = (app: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${group(app)}`;
    const byArn = await query({
      logGroupName: undefined,
      logGroupIdentifiers: [arn(LOOPING), arn(HEALTHY)],
      queryString: q,
    });
    expect(byArn.results).toEqual(byName.results);
  });
});

describe('limits and pagination', () => {
  it('StartQuery limit applies when the query has none', async () => {
    expect((await query({ queryString: 'fields @timestamp, message', limit: 5 })).results).toHaveLength(5);
    expect((await query({ queryString: 'fields @timestamp | limit 7', limit: 5 })).results).toHaveLength(7);
  });

  it('GetQueryResults pages with maxItems and nextToken', async () => {
    const queryId = await start({ queryString: 'fields @timestamp, message | limit 25' });
    const all = (await complete(queryId)).results!;
    const pages: ResultField[][] = [];
    let nextToken: string | undefined;
    let calls = 0;
    do {
      const page = await logs.send(new GetQueryResultsCommand({ queryId, maxItems: 10, nextToken }));
      pages.push(...page.results!);
      nextToken = page.nextToken;
      calls++;
    } while (nextToken);
    expect(calls).toBe(3);
    expect(pages).toEqual(all);
  });
});

describe('a query runs in chunks', () => {
  it('is Running with partial results, then Complete', async () => {
    Object.assign(insightsPacing, { eventsPerStep: 200, pauseMs: 20 });
    const queryId = await start({ queryString: 'stats count(*) as n' });
    const partial = await eventually(async () => {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      expect(r.status).toBe('Running');
      expect(r.statistics!.recordsScanned).toBeGreaterThan(0);
      return r;
    });
    expect(objects(partial.results)[0]!.n).toBe(String(partial.statistics!.recordsScanned));
    const done = await complete(queryId);
    expect(done.statistics!.recordsScanned).toBeGreaterThan(partial.statistics!.recordsScanned!);
  });

  it('partial results are taken again at most every partialRefreshMs; the complete ones are exact', async () => {
    Object.assign(insightsPacing, { eventsPerStep: 100, pauseMs: 5, partialRefreshMs: 60_000 });
    const queryId = await start({ queryString: 'stats count(*) as n' });
    const first = await eventually(async () => {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      expect(r.status).toBe('Running');
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(again.status).toBe('Running');
    expect([again.results, again.statistics]).toEqual([first.results, first.statistics]);
    insightsPacing.partialRefreshMs = 0;
    const fresh = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(fresh.statistics!.recordsScanned).toBeGreaterThan(first.statistics!.recordsScanned!);
    expect(objects(fresh.results)[0]!.n).toBe(String(fresh.statistics!.recordsScanned));
    insightsPacing.pauseMs = 0;
    const done = await complete(queryId);
    expect(objects(done.results)[0]!.n).toBe(String(done.statistics!.recordsScanned));
  });

  it('StopQuery cancels a running query; stopping it again does nothing', async () => {
    Object.assign(insightsPacing, { eventsPerStep: 50, pauseMs: 50 });
    const queryId = await start({ queryString: SEED });
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    const r = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(r.status).toBe('Cancelled');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(later.status).toBe('Cancelled');
    expect(later.statistics).toEqual(r.statistics);
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(false);
  });

  it(`allows ${MAX_CONCURRENT_QUERIES} running queries per account`, async () => {
    Object.assign(insightsPacing, { eventsPerStep: 1, pauseMs: 1000 });
    const ids: string[] = [];
    for (let i = 0; i < MAX_CONCURRENT_QUERIES; i++) ids.push(await start({ queryString: 'fields @timestamp' }));
    const err = await awsError(start({ queryString: 'fields @timestamp' }));
    expect(err).toMatchObject({ name: 'LimitExceededException', status: 400 });
    for (const queryId of ids) await logs.send(new StopQueryCommand({ queryId }));
    await start({ queryString: 'fields @timestamp' });
  });
});

describe('DescribeQueries', () => {
  it('lists queries newest first, by log group and status', async () => {
    const queryId = await start({ logGroupName: group(HEALTHY), queryString: 'fields @message | limit 1' });
    await complete(queryId);
    const all = await logs.send(new DescribeQueriesCommand({}));
    expect(all.queries![0]).toMatchObject({
      queryId,
      queryString: 'fields @message | limit 1',
      status: 'Complete',
      logGroupName: group(HEALTHY),
      queryLanguage: 'CWLI',
    });
    expect(Math.abs(all.queries![0]!.createTime! - nowSec * 1000)).toBeLessThan(5 * 60_000);
    // A query over several groups is listed under each of them.
    const healthy = await logs.send(new DescribeQueriesCommand({ logGroupName: group(HEALTHY) }));
    expect(healthy.queries![0]!.queryId).toBe(queryId);
    expect(healthy.queries!.length).toBeLessThan(all.queries!.length);
    const looping = await logs.send(new DescribeQueriesCommand({ logGroupName: group(LOOPING) }));
    expect(looping.queries!.map((q) => q.queryId)).not.toContain(queryId);
    const cancelled = await logs.send(new DescribeQueriesCommand({ status: 'Cancelled' }));
    expect(cancelled.queries!.length).toBeGreaterThan(0);
    expect(cancelled.queries!.every((q) => q.status === 'Cancelled')).toBe(true);
    const page = await logs.send(new DescribeQueriesCommand({ maxResults: 2 }));
    expect(page.queries).toHaveLength(2);
    const next = await logs.send(new DescribeQueriesCommand({ maxResults: 2, nextToken: page.nextToken }));
    expect(next.queries![0]!.queryId).toBe(all.queries![2]!.queryId);
  });
});

describe('errors in AWS shapes', () => {
  it('a malformed query → MalformedQueryException naming the construct and its position', async () => {
    const err = await awsError(start({ queryString: 'fields @timestamp\n| pattern @message' }));
    expect(err).toMatchObject({ name: 'MalformedQueryException', status: 400 });
    expect(err.message).toBe('The command pattern is not supported by this emulator at line 2 and position 3.');
    const bad = await awsError(start({ queryString: 'filter strlen(@message) > ' }));
    expect(bad.message).toBe('Unexpected end of query at line 1 and position 27.');
    // The model's queryCompileError reaches the SDK's exception with the offsets.
    const thrown = await start({ queryString: 'fields @timestamp\n| pattern @message' }).catch((e: unknown) => e);
    expect((thrown as { queryCompileError?: unknown }).queryCompileError).toEqual({
      location: { startCharOffset: 20, endCharOffset: 27 },
      message: 'The command pattern is not supported by this emulator at line 2 and position 3.',
    });
  });

  it('a missing log group → ResourceNotFoundException', async () => {
    const err = await awsError(start({ logGroupName: '/aws/kinesis-analytics/nope', queryString: 'fields @message' }));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
    expect(err.message).toContain('/aws/kinesis-analytics/nope');
  });

  it('bad parameters → InvalidParameterException', async () => {
    const cases: Partial<StartQueryCommandInput>[] = [
      { startTime: nowSec, endTime: nowSec - 60 },
      { queryLanguage: 'SQL' },
      { logGroupNames: [group(HEALTHY)] },
      { logGroupName: undefined },
      { logGroupName: undefined, logGroupNames: Array.from({ length: 51 }, (_, i) => `/g/${i}`) },
    ];
    for (const c of cases)
      expect(await awsError(start({ queryString: 'fields @message', ...c }))).toMatchObject({
        name: 'InvalidParameterException',
      });
  });

  it('a time range that ends before the log group existed → MalformedQueryException', async () => {
    const err = await awsError(
      start({ startTime: nowSec - 7200, endTime: nowSec - 3600, queryString: 'fields @message' }),
    );
    expect(err.name).toBe('MalformedQueryException');
    expect(err.message).toContain('before the log groups creation time');
  });

  it('an unknown query id → ResourceNotFoundException', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const p of [
      logs.send(new GetQueryResultsCommand({ queryId: id })),
      logs.send(new StopQueryCommand({ queryId: id })),
    ])
      expect(await awsError(p)).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

// Each aws CLI call starts a Python process (1–2 s).
describe('aws logs (CLI)', { timeout: 120_000 }, () => {
  const cli = (...args: string[]) => t.cli(['logs', ...args]);

  it('start-query with the guidance query, then get-query-results until Complete', async () => {
    const { queryId } = (await cli(
      'start-query',
      '--log-group-name',
      group(LOOPING),
      '--start-time',
      String(nowSec - 3600),
      '--end-time',
      String(nowSec),
      '--query-string',
      SEED,
    )) as { queryId: string };
    // Thousands of rows: the CLI's --query keeps its output small.
    const r = await eventually(async () => {
      const out = (await cli(
        'get-query-results',
        '--query-id',
        queryId,
        '--query',
        '{status: status, count: length(results), first: results[:50], statistics: statistics}',
      )) as { status: string; count: number; first: ResultField[][]; statistics: { recordsMatched: number } };
      expect(out.status).toBe('Complete');
      return out;
    }, 30_000);
    expect(r.count).toBe(r.statistics.recordsMatched);
    const rows = objects(r.first);
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map(transition))).toContain('CANCELING->CANCELED');
    const described = (await cli('describe-queries', '--log-group-name', group(LOOPING), '--max-results', '1')) as {
      queries: { queryId: string; status: string }[];
    };
    expect(described.queries).toEqual([expect.objectContaining({ queryId, status: 'Complete' })]);
  });

  it('reports a malformed query and a missing log group', async () => {
    const range = ['--start-time', String(nowSec - 3600), '--end-time', String(nowSec)];
    const malformed = await t.cliError([
      'logs',
      'start-query',
      '--log-group-name',
      group(LOOPING),
      ...range,
      '--query-string',
      'stats count(*) by bin(5parsecs)',
    ]);
    expect(malformed).toContain('MalformedQueryException');
    expect(malformed).toContain('bin expects a period such as 5m, found 5parsecs at line 1 and position 23');
    const missing = await t.cliError([
      'logs',
      'start-query',
      '--log-group-name',
      '/nope',
      ...range,
      '--query-string',
      'fields @message',
    ]);
    expect(missing).toContain('ResourceNotFoundException');
  });
});

describe('a query reads each event as FilterLogEvents returns it', () => {
  const ODD = 'odd-texts';
  /** Operator, job and failure texts that JSON escapes or writes in several bytes. */
  const MANIFEST = {
    mfcManifest: 1,
    name: 'odd "job" \\ ünïcødé',
    version: '1.0.0',
    mainClass: 'com.example.Odd',
    operators: [
      { uid: 'src', name: 'Source: "quoted" \\ back', recordsPerSecond: 100 },
      { uid: 'map', name: 'Map ünïcødé 😀\ttab', inputs: ['src'] },
      { uid: 'sink', name: 'Sink: \u2028 \u0001 \ud800', inputs: ['map'] },
    ],
    faults: [
      {
        kind: 'fail-after',
        operator: 'map',
        afterSeconds: 20,
        exception: 'java.lang.IllegalStateException: "bad" \\ input ü\n\tat com.example.Odd.map(Odd.java:42)',
      },
    ],
  };

  /** The group's events as FilterLogEvents returns them, in the order of the stream. */
  async function filtered(logGroupName: string): Promise<InsightsEvent[]> {
    const out: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName, nextToken }));
      out.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    return out
      .map((e) => ({
        timestamp: e.timestamp!,
        ingestionTime: e.ingestionTime!,
        message: e.message!,
        logStream: e.logStreamName!,
        log: `123456789012:${logGroupName}`,
        seq: Number(e.eventId),
        bytes: Buffer.byteLength(e.message!),
      }))
      .sort((a, b) => a.seq - b.seq);
  }

  it('same rows, values, order, @ptr and statistics as the queries run over those events', async () => {
    t.emu.mutate((e) => e.artifacts.put(DEMO_BUCKET, 'odd/odd-1.0.0.jar', utf8(JSON.stringify(MANIFEST))));
    await t.ka.send(
      new CreateApplicationCommand({
        ApplicationName: ODD,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { S3ContentLocation: { BucketARN: DEMO_BUCKET_ARN, FileKey: 'odd/odd-1.0.0.jar' } },
          },
        },
      }),
    );
    await t.ka.send(new StartApplicationCommand({ ApplicationName: ODD }));
    await t.admin('/_emulator/clock', { advanceMs: 10 * 60_000 });
    const end = Math.floor(((await t.admin('/_emulator/clock')) as { now: number }).now / 1000) + 1;
    const events = await filtered(group(ODD));
    expect(events.length).toBeGreaterThan(200);
    // The texts reach the messages escaped: quotes, backslashes, control characters, lone surrogates.
    const raw = events.map((e) => e.message).join('\n');
    for (const written of [
      '\\"quoted\\"',
      '\\\\ back',
      '\\t',
      '\\u0001',
      '\\ud800',
      'ünïcødé',
      '😀',
      'with failure cause',
    ])
      expect(raw).toContain(written);

    for (const queryString of [
      SEED,
      'fields @timestamp, @message | sort @timestamp desc | limit 50',
      'sort @timestamp asc | limit 7',
      'fields @timestamp, message, messageType, applicationVersionId | limit 40',
      'filter @message like /FAILED/ | display @timestamp, @message, @ptr',
      'stats count(*) as n, sum(strlen(@message)) as chars by bin(1m)',
      'parse message "* (*)#* (*) switched from * to *" as op, sub, attempt, id, from, to | stats count(*) by op, to',
    ]) {
      const answer = await query({ logGroupName: group(ODD), startTime: 0, endTime: end, queryString, limit: 500 });
      const expected = new InsightsQuery(queryString, events.values(), { limit: 500 }).run();
      expect(answer.results, queryString).toEqual(expected.results);
      expect(answer.statistics, queryString).toEqual({ ...expected.statistics, logGroupsScanned: 1 });
    }
  });
});
