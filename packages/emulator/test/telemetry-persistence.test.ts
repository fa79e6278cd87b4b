/**
 * Telemetry survives restarts on the same data directory: metric series, log events, checkpoint and
 * exception history read through the real clients are the same after a graceful stop, after a SIGKILL
 * (up to the last flush), and past the engine's 24-hour ring (from the telemetry file), for 15 days.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FLUSH_INTERVAL_MS, TELEMETRY_FILE } from '../src/persistence/telemetry-store.js';
import { eventually, ROLE, startTestEmulator, tempDir, type TestEmulator } from './harness.js';
import { clients, dashboard, logEvents, metricSeries, upTo, type History } from './telemetry-reads.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const HOUR = 3_600_000;
const LOOPING = 'orders-enricher';
const GROUP = `/aws/kinesis-analytics/${LOOPING}`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const d = tempDir();
  cleanups.push(() => d.remove());
  return d.dir;
}

/** An emulator on `dataDir` whose clock moves only when told (speed 0), so two reads can be equal. */
async function frozen(dataDir: string, extra: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  return startTestEmulator({ inMemory: false, dataDir, speed: 0, ...extra });
}

async function history(url: string, app: string, group: string, from: number, to: number): Promise<History> {
  const c = clients(url);
  const [metrics, logs, dash] = await Promise.all([
    metricSeries(c.cw, app, from, to),
    logEvents(c.logs, group),
    dashboard(c.ka, app),
  ]);
  return { metrics, logs, checkpoints: dash.checkpoints, exceptions: dash.exceptions };
}

const now = async (t: TestEmulator) => ((await t.admin('/_emulator/clock')) as { now: number }).now;

const code = (file: string) => ({
  CodeContentType: 'ZIPFILE' as const,
  CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::mfc-demo-artifacts', FileKey: `sessionizer/${file}` } },
});

async function createRunning(t: TestEmulator, name: string, file = 'sessionizer-1.0.0.jar'): Promise<void> {
  await t.ka.send(
    new ka.CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: ROLE,
      ApplicationConfiguration: { ApplicationCodeConfiguration: code(file) },
    }),
  );
  await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: name }));
  await t.admin('/_emulator/clock', { advanceMs: 1_000 });
  await eventually(async () => {
    const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: name }));
    expect(d.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
  });
}

/** A SQLite file's page size, from its header. */
function pageSize(file: string): number {
  const size = readFileSync(file).readUInt16BE(16);
  return size === 1 ? 65_536 : size;
}

/** Hour chunks of metric samples in the telemetry file. */
function hoursOnDisk(data: string): number {
  const db = new Database(join(data, TELEMETRY_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM metric_hours').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Consecutive minutes, none twice: the series of a job that ran the whole time. */
function expectContiguous(points: [number, number][]): void {
  for (let i = 1; i < points.length; i++) expect(points[i]![0] - points[i - 1]![0]).toBe(60_000);
}

describe('telemetry across a graceful restart', () => {
  it('serves the same metric series, log events, checkpoint and exception history, then continues without a gap', async () => {
    const data = dir();
    const a = await frozen(data, { demo: true });
    await a.admin('/_emulator/clock', { advanceMs: 20 * 60_000 });
    const t1 = await now(a);
    const before = await history(a.emu.url, LOOPING, GROUP, t1 - 2 * HOUR, t1 + 60_000);
    // The looping job's history is there to lose: restarts climbing, exceptions, failed subtasks in the log.
    expect(before.metrics.fullRestarts!.length).toBeGreaterThan(20);
    expect(before.metrics.fullRestarts!.at(-1)![1]).toBeGreaterThan(before.metrics.fullRestarts![0]![1]);
    expect(before.logs.some((e) => e.message.includes('switched from RUNNING to FAILED'))).toBe(true);
    expect(before.exceptions!.length).toBeGreaterThan(0);
    expect(before.checkpoints!.history.length).toBeGreaterThan(0);
    await a.close();

    const b = await frozen(data);
    cleanups.push(() => b.close());
    expect(await now(b)).toBe(t1);
    const after = await history(b.emu.url, LOOPING, GROUP, t1 - 2 * HOUR, t1 + 60_000);
    expect(after).toEqual(before);

    // Time resumes where it stopped: the next minutes follow the last one, none repeated, none missing.
    await b.admin('/_emulator/clock', { advanceMs: 5 * 60_000 });
    const t2 = await now(b);
    const later = await history(b.emu.url, LOOPING, GROUP, t1 - 2 * HOUR, t2 + 60_000);
    for (const [name, points] of Object.entries(later.metrics)) {
      expect(points.slice(0, before.metrics[name]!.length), name).toEqual(before.metrics[name]);
      expectContiguous(points);
    }
    expect(later.metrics.fullRestarts!.length).toBe(before.metrics.fullRestarts!.length + 5);
    expect(later.logs.slice(0, before.logs.length)).toEqual(before.logs);
    expect(later.logs.length).toBeGreaterThan(before.logs.length);
  });

  it('keeps an application deleted before the restart out of the telemetry', async () => {
    const data = dir();
    const a = await frozen(data);
    await createRunning(a, 'short-lived');
    await a.admin('/_emulator/clock', { advanceMs: 10 * 60_000 });
    await a.ka.send(new ka.StopApplicationCommand({ ApplicationName: 'short-lived', Force: true }));
    await a.admin('/_emulator/clock', { advanceMs: 60_000 });
    const d = await a.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'short-lived' }));
    await a.ka.send(
      new ka.DeleteApplicationCommand({
        ApplicationName: 'short-lived',
        CreateTimestamp: d.ApplicationDetail!.CreateTimestamp,
      }),
    );
    await a.close();
    const b = await frozen(data);
    cleanups.push(() => b.close());
    const c = clients(b.emu.url);
    const listed = await c.cw.send(new ListMetricsCommand({ Namespace: 'AWS/KinesisAnalytics' }));
    expect(listed.Metrics ?? []).toEqual([]);
    const t = await now(b);
    expect((await metricSeries(c.cw, 'short-lived', t - HOUR, t)).fullRestarts).toEqual([]);
  });
});

describe('a log past the lines the engine keeps', () => {
  it('reads the same after a restart: the newest lines, numbered as before', async () => {
    const data = dir();
    const a = await frozen(data);
    await createRunning(a, 'chatty', 'sessionizer-1.3.0-poison-pill.jar');
    const c = clients(a.emu.url);
    let before: Awaited<ReturnType<typeof logEvents>> = [];
    for (let i = 0; i < 20 && before.length < 10_500; i++) {
      await a.admin('/_emulator/clock', { advanceMs: HOUR });
      before = await logEvents(c.logs, '/aws/kinesis-analytics/chatty');
    }
    expect(before.length).toBeGreaterThan(10_000);
    await a.close();
    const b = await frozen(data);
    cleanups.push(() => b.close());
    expect(await logEvents(clients(b.emu.url).logs, '/aws/kinesis-analytics/chatty')).toEqual(before);
  });
});

describe('metric history beyond the 24-hour ring', () => {
  it('serves one-minute points older than a day from the telemetry file, before and after a restart, for 15 days', async () => {
    const data = dir();
    const a = await frozen(data);
    await createRunning(a, 'steady');
    await a.admin('/_emulator/clock', { advanceMs: 2 * HOUR });
    const t0 = await now(a);
    const c = clients(a.emu.url);
    const early = await metricSeries(c.cw, 'steady', t0 - 2 * HOUR, t0);
    expect(early.uptime!.length).toBeGreaterThanOrEqual(118);
    // A day and a half later the ring has wrapped: these minutes come from disk.
    await a.admin('/_emulator/clock', { advanceMs: 36 * HOUR });
    expect(await metricSeries(c.cw, 'steady', t0 - 2 * HOUR, t0)).toEqual(early);
    const span = await metricSeries(c.cw, 'steady', t0 - 2 * HOUR, t0 + 36 * HOUR, ['uptime']);
    expectContiguous(span.uptime!);
    await a.close();

    const b = await frozen(data);
    cleanups.push(() => b.close());
    const cb = clients(b.emu.url);
    expect(await metricSeries(cb.cw, 'steady', t0 - 2 * HOUR, t0)).toEqual(early);
    expect(await metricSeries(cb.cw, 'steady', t0 - 2 * HOUR, t0 + 36 * HOUR, ['uptime'])).toEqual(span);
    // Past CloudWatch's 15 days for one-minute data, the oldest minutes are gone, from answers and from disk.
    await b.admin('/_emulator/clock', { advanceMs: 15 * 24 * HOUR });
    expect((await metricSeries(cb.cw, 'steady', t0 - 2 * HOUR, t0)).uptime).toEqual([]);
    const kept = await metricSeries(cb.cw, 'steady', t0, t0 + 16 * 24 * HOUR, ['uptime']);
    expect(kept.uptime!.length).toBeGreaterThan(14 * 24 * 60);
    await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS * 2));
    expect(hoursOnDisk(data)).toBeLessThanOrEqual(15 * 24 + 1);
  });
});

describe('a damaged telemetry file', () => {
  async function withTelemetry(): Promise<{
    data: string;
    apps: string[];
    restarts: [number, number][];
    logs: { timestamp: number; message: string }[];
  }> {
    const data = dir();
    const a = await frozen(data, { demo: true });
    await a.admin('/_emulator/clock', { advanceMs: 5 * 60_000 });
    const apps = (await a.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!.map(
      (s) => `${s.ApplicationName}:${s.ApplicationStatus}`,
    );
    const n = await now(a);
    const restarts = (await metricSeries(clients(a.emu.url).cw, LOOPING, n - HOUR, n + 1)).fullRestarts!;
    const logs = await logEvents(clients(a.emu.url).logs, GROUP);
    await a.close();
    return { data, apps, restarts, logs };
  }

  async function startWarned(data: string): Promise<{ t: TestEmulator; warnings: string[] }> {
    const lines: string[] = [];
    const t = await frozen(data, { log: (l) => lines.push(l) });
    cleanups.push(() => t.close());
    return { t, warnings: lines.filter((l) => l.startsWith('warning')) };
  }

  it('garbage instead of a database: the emulator starts with its lifecycle state and says so once', async () => {
    const { data, apps } = await withTelemetry();
    writeFileSync(join(data, TELEMETRY_FILE), Buffer.alloc(64 * 1024, 0x5a));
    const { t, warnings } = await startWarned(data);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(data, TELEMETRY_FILE));
    const listed = (await t.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!;
    expect(listed.map((s) => `${s.ApplicationName}:${s.ApplicationStatus}`)).toEqual(apps);
    // Telemetry goes on being recorded into a new file.
    await t.admin('/_emulator/clock', { advanceMs: 3 * 60_000 });
    const n = await now(t);
    const c = clients(t.emu.url);
    expect((await metricSeries(c.cw, LOOPING, n - 3 * 60_000, n + 1)).fullRestarts!.length).toBe(3);
  });

  it('a truncated file: lifecycle state served, the readable telemetry kept, one warning', async () => {
    const { data, apps, restarts, logs } = await withTelemetry();
    const file = join(data, TELEMETRY_FILE);
    // The last page is gone (a write that never made it to disk): the rest of the file still reads.
    const full = statSync(file).size;
    truncateSync(file, full - pageSize(file));
    const { t, warnings } = await startWarned(data);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(/kept what could be read \([1-9]\d* metric hours, [1-9]\d* log lines/);
    const listed = (await t.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!;
    expect(listed.map((s) => `${s.ApplicationName}:${s.ApplicationStatus}`)).toEqual(apps);
    const n = await now(t);
    const series = await metricSeries(clients(t.emu.url).cw, LOOPING, n - HOUR, n + 1);
    // What survived is the history as it was, none of it invented.
    expect(series.fullRestarts!.length).toBeGreaterThan(0);
    for (const p of series.fullRestarts!) expect(restarts).toContainEqual(p);
    const lines = await logEvents(clients(t.emu.url).logs, GROUP);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(logs).toContainEqual(l);
  });
});

describe('telemetry across a SIGKILL', () => {
  interface Running {
    child: ChildProcess;
    url: string;
  }

  async function launch(data: string): Promise<Running> {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', '--data-dir', data, '--demo', '--speed', '20'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (c) => reject(new Error(`emulator exited ${c}: ${out}`)));
    });
    cleanups.push(() => {
      child.kill('SIGKILL');
    });
    return { child, url };
  }

  const kill = (r: Running) =>
    new Promise<void>((resolve) => {
      r.child.once('exit', () => resolve());
      r.child.kill('SIGKILL');
    });

  it('keeps everything read more than a flush interval before the kill', { timeout: 120_000 }, async () => {
    const data = dir();
    const a = await launch(data);
    const clock = async (url: string) =>
      ((await (await fetch(`${url}/_emulator/clock`)).json()) as { now: number }).now;
    // At 20× the demo's job restarts every few wall seconds.
    await eventually(async () => {
      const t = await clock(a.url);
      const m = await metricSeries(clients(a.url).cw, LOOPING, t - HOUR, t + 60_000, ['fullRestarts']);
      expect(m.fullRestarts!.length).toBeGreaterThan(16);
    }, 60_000);
    const t1 = await clock(a.url);
    const before = await history(a.url, LOOPING, GROUP, t1 - HOUR, t1 + 60_000);
    await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS * 2.5));
    await kill(a);

    const b = await launch(data);
    // The clock resumes from the last commit, which is after everything read above.
    expect(await clock(b.url)).toBeGreaterThanOrEqual(t1);
    const after = await history(b.url, LOOPING, GROUP, t1 - HOUR, t1 + 60_000);
    expect(upTo(after, t1).metrics).toEqual(upTo(before, t1).metrics);
    expect(upTo(after, t1).logs).toEqual(upTo(before, t1).logs);
    // Exceptions and finished checkpoints are lifecycle state: each one seen before is still there.
    const key = (e: unknown) => JSON.stringify(e);
    const exceptionsAfter = new Set(after.exceptions!.map(key));
    const oldest = Math.min(...after.exceptions!.map((e) => (e as { timestamp: number }).timestamp));
    for (const e of before.exceptions!)
      if ((e as { timestamp: number }).timestamp >= oldest) expect(exceptionsAfter.has(key(e))).toBe(true);
    const done = (h: History) =>
      h.checkpoints!.history.filter((c) => (c as { status: string }).status !== 'IN_PROGRESS') as { id: number }[];
    const afterIds = new Map(done(after).map((c) => [c.id, c]));
    const firstAfter = Math.min(...afterIds.keys());
    for (const c of done(before)) if (c.id >= firstAfter) expect(afterIds.get(c.id)).toEqual(c);
    await kill(b);
  });
});

describe('the telemetry file on disk', () => {
  it('is a separate file from the lifecycle state, written within a flush interval', async () => {
    const data = dir();
    const t = await frozen(data);
    cleanups.push(() => t.close());
    await createRunning(t, 'written');
    await t.admin('/_emulator/clock', { advanceMs: 10 * 60_000 });
    await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS * 2));
    const raw = readFileSync(join(data, TELEMETRY_FILE));
    expect(raw.subarray(0, 15).toString()).toBe('SQLite format 3');
    // Rows are in the write-ahead log or the file: reading the file through SQLite sees them.
    const db = new Database(join(data, TELEMETRY_FILE), { readonly: true });
    const chunks = db.prepare('SELECT COUNT(*) AS n FROM metric_hours').get() as { n: number };
    const lines = db.prepare('SELECT COUNT(*) AS n FROM log_blocks').get() as { n: number };
    db.close();
    expect(chunks.n).toBeGreaterThan(0);
    expect(lines.n).toBeGreaterThan(0);
  });
});
