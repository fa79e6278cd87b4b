/**
 * The product restarted on its data directory, as an operator does it: the demo runs in a standalone
 * emulator with the BFF in front of it (MFC_TARGET=aws, MFC_ENDPOINT), both are stopped — gracefully, then
 * with SIGKILL — and started again. Through the AWS SDK, the metric series, log events, checkpoint and
 * exception history read before are still there; through the BFF, orders-enricher is still flagged and
 * the healthy application is not. Then the same with the BFF and its embedded emulator in one process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as C from '@mfc/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clients,
  dashboard,
  logEvents,
  metricSeries,
  upTo,
  type History,
} from '../../../packages/emulator/test/telemetry-reads.js';
import { Client, eventually } from './harness.js';
import { bffProcess, emulatorProcess, killAll, stop } from './processes.js';

const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';
const HOUR = 3_600_000;
/** More than the emulator's telemetry flush interval (1 s): what was read before a kill is on disk. */
const SETTLE_MS = 2_500;

const root = mkdtempSync(join(tmpdir(), 'mfc-restart-'));
afterAll(() => {
  killAll();
  rmSync(root, { recursive: true, force: true });
});

const emulatorAt = (dir: string) => emulatorProcess(['--data-dir', dir, '--demo', '--speed', '10']);
const bffAt = bffProcess;

async function clockOf(url: string): Promise<number> {
  return ((await (await fetch(`${url}/_emulator/clock`)).json()) as { now: number }).now;
}

async function historyOf(url: string, t: number): Promise<History> {
  const c = clients(url);
  const [metrics, logs, dash] = await Promise.all([
    metricSeries(c.cw, LOOPING, t - HOUR, t + 60_000),
    logEvents(c.logs, `/aws/kinesis-analytics/${LOOPING}`),
    dashboard(c.ka, LOOPING),
  ]);
  return { metrics, logs, checkpoints: dash.checkpoints, exceptions: dash.exceptions };
}

/** The fleet as the console reads it, with orders-enricher flagged and the healthy one not. */
async function expectFlagged(bffUrl: string): Promise<C.FleetApplication> {
  const client = new Client(bffUrl);
  await client.signIn();
  return eventually(async () => {
    const fleet = await client.get<C.FleetResponse>('/api/applications');
    expect(fleet.status).toBe(200);
    const looping = fleet.body.applications.find((a) => a.name === LOOPING)!;
    const healthy = fleet.body.applications.find((a) => a.name === HEALTHY)!;
    expect(looping.status).toBe('RUNNING');
    expect(looping.attention.flag, JSON.stringify(looping)).toBe(true);
    expect(healthy.attention.flag, JSON.stringify(healthy)).toBe(false);
    return looping;
  }, 30_000);
}

/** Everything read before a stop is served the same after the restart (up to the time it was read). */
function expectKept(before: History, after: History, t: number): void {
  expect(upTo(after, t).metrics).toEqual(upTo(before, t).metrics);
  expect(upTo(after, t).logs).toEqual(upTo(before, t).logs);
  // Exception and checkpoint history are Flink's bounded windows: every entry still in the window is the same.
  const oldest = Math.min(...after.exceptions!.map((e) => (e as { timestamp: number }).timestamp));
  const exceptionsAfter = new Set(after.exceptions!.map((e) => JSON.stringify(e)));
  for (const e of before.exceptions!)
    if ((e as { timestamp: number }).timestamp >= oldest) expect(exceptionsAfter.has(JSON.stringify(e))).toBe(true);
  const done = (h: History) =>
    h.checkpoints!.history.filter((c) => (c as { status: string }).status !== 'IN_PROGRESS') as { id: number }[];
  const afterById = new Map(done(after).map((c) => [c.id, c]));
  const first = Math.min(...afterById.keys());
  // A completed checkpoint is discarded once newer ones subsume it, as Flink does: that flag may only go from false to true.
  for (const c of done(before) as { id: number; discarded?: boolean }[]) {
    if (c.id < first) continue;
    const kept = afterById.get(c.id) as { discarded?: boolean } | undefined;
    expect(kept).toEqual({ ...c, discarded: c.discarded || kept?.discarded });
  }
  const counts = (h: History) => h.checkpoints!.counts as { completed: number; failed: number };
  expect(counts(after).completed).toBeGreaterThanOrEqual(counts(before).completed);
  expect(counts(after).failed).toBeGreaterThanOrEqual(counts(before).failed);
}

describe('the demo restarted on its data directory', () => {
  it(
    'standalone emulator and BFF, stopped gracefully and then killed: history and the flag stay',
    { timeout: 240_000 },
    async () => {
      const dir = join(root, 'standalone');
      let emu = await emulatorAt(dir);
      let bff = await bffAt({ MFC_TARGET: 'aws', MFC_ENDPOINT: emu.url });
      // At 10× the looping job has restarted many times within a few wall seconds.
      await eventually(async () => {
        const t = await clockOf(emu.url);
        const m = await metricSeries(clients(emu.url).cw, LOOPING, t - HOUR, t + 60_000, ['fullRestarts']);
        expect(m.fullRestarts!.length).toBeGreaterThan(17);
      }, 60_000);
      await expectFlagged(bff.url);

      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        const t = await clockOf(emu.url);
        const before = await historyOf(emu.url, t);
        expect(before.metrics.fullRestarts!.at(-1)![1]).toBeGreaterThan(before.metrics.fullRestarts![0]![1]);
        expect(before.exceptions!.length).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const codes = await Promise.all([stop(bff.child, signal), stop(emu.child, signal)]);
        if (signal === 'SIGTERM') expect(codes).toEqual([0, 0]);

        emu = await emulatorAt(dir);
        bff = await bffAt({ MFC_TARGET: 'aws', MFC_ENDPOINT: emu.url });
        expect(
          await clockOf(emu.url),
          `${signal}: the clock resumes, never before what was read`,
        ).toBeGreaterThanOrEqual(t);
        const after = await historyOf(emu.url, t);
        expectKept(before, after, t);
        const flagged = await expectFlagged(bff.url);
        expect(flagged.jobHealth.totalRestarts ?? 0, signal).toBeGreaterThan(0);
      }
      await Promise.all([stop(bff.child, 'SIGTERM'), stop(emu.child, 'SIGTERM')]);
    },
  );

  it(
    'the BFF with its embedded emulator, killed and started again: the flag and the metric history stay',
    { timeout: 180_000 },
    async () => {
      const dir = join(root, 'embedded');
      const extra = { MFC_DATA_DIR: dir, MFC_DEMO: '1', MFC_EMULATOR_SPEED: '10' };
      let bff = await bffAt(extra);
      await expectFlagged(bff.url);
      const client = new Client(bff.url);
      await client.signIn();
      const metrics = async (c: Client) =>
        (await c.get<C.MetricsResponse>(`/api/applications/${LOOPING}/metrics?range=1h`)).body;
      const before = await metrics(client);
      const restarts = (m: C.MetricsResponse) => m.series.find((s) => s.metric === 'fullRestarts')!.points;
      expect(restarts(before).length).toBeGreaterThan(10);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      await stop(bff.child, 'SIGKILL');

      bff = await bffAt(extra);
      await expectFlagged(bff.url);
      const again = new Client(bff.url);
      await again.signIn();
      const after = await metrics(again);
      // Every point the console charted before the kill is charted after it.
      for (const p of restarts(before)) expect(restarts(after)).toContainEqual(p);
      await stop(bff.child, 'SIGTERM');
    },
  );
});
