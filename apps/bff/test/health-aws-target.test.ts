/**
 * The health rules with MFC_TARGET=aws against a separately started emulator (MFC_ENDPOINT): the fleet is
 * judged from calls the service really offers, through the AWS SDK (kinesisanalyticsv2 and CloudWatch
 * operations) and the Flink REST API behind CreateApplicationPresignedUrl, and nothing else.
 */
import * as KinesisAnalytics from '@aws-sdk/client-kinesis-analytics-v2';
import * as CloudWatch from '@aws-sdk/client-cloudwatch';
import { startEmulator, type Emulator } from '@mfc/emulator';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import type { FlinkJobsOverview } from '../src/services/flink-types.js';
import { startTestBff, type Client } from './harness.js';

const LOOPING = 'orders-enricher';
/** The Flink REST v1 resources the health reads (paths after the presigned dashboard URL). */
const FLINK_REST = [
  /^\/jobs\/overview$/,
  /^\/jobs\/[0-9a-f]{32}\/exceptions\?maxExceptions=\d+$/,
  /^\/jobs\/[0-9a-f]{32}\/checkpoints$/,
  /^\/jobs\/[0-9a-f]{32}\/checkpoints\/config$/,
  // The advisor's reads (the fleet's advice counts are read in the background): Flink REST as well.
  /^\/jobs\/[0-9a-f]{32}$/,
  /^\/jobs\/[0-9a-f]{32}\/vertices\/[0-9a-f]{32}\/backpressure$/,
  /^\/jobs\/[0-9a-f]{32}\/checkpoints\/details\/\d+\/subtasks\/[0-9a-f]{32}$/,
];

let emulator: Emulator;
let bff: Bff;
let client: Client;
const saved = { ...process.env };
const commands: string[] = [];
const fetched: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  emulator = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant', demo: true });
  process.env.AWS_ACCESS_KEY_ID = 'AKIDREMOTE';
  process.env.AWS_SECRET_ACCESS_KEY = 'remote-secret';
  ({ bff, client } = await startTestBff({ MFC_TARGET: 'aws', MFC_ENDPOINT: emulator.url, MFC_DEMO: '0' }));
  for (const sdk of [bff.services.clients.kinesisAnalytics, bff.services.clients.cloudWatch]) {
    const send = sdk.send.bind(sdk) as (c: unknown) => Promise<unknown>;
    (sdk as { send: unknown }).send = (command: { constructor: { name: string } }) => {
      commands.push(command.constructor.name);
      return send(command);
    };
  }
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = String(input instanceof Request ? input.url : input);
    // The BFF's own requests, not this test's to the BFF.
    if (!url.startsWith(bff.url)) fetched.push(url);
    return realFetch(input, init);
  };
  await realFetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ speed: 0 }) });
  await bff.services.clock.refresh();
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await bff.close();
  await emulator.close();
  process.env = saved;
});

describe('health with MFC_TARGET=aws', () => {
  it('flags the looping job and not the healthy one, from real service calls only', async () => {
    // A moment of the loop when the job is RESTARTING (the remote emulator's clock, stopped and stepped).
    for (let i = 0; ; i++) {
      const { jobs } = await bff.services.dashboard.get<FlinkJobsOverview>(LOOPING, '/jobs/overview');
      if (jobs[0]?.state === 'RESTARTING') break;
      if (i > 200) throw new Error('orders-enricher never restarted');
      await realFetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 250 }) });
    }
    await bff.services.clock.refresh();
    bff.services.prober.forgetAll();
    commands.length = 0;
    fetched.length = 0;

    const r = await client.get<C.FleetResponse>('/api/applications');
    const byName = Object.fromEntries(r.body.applications.map((a) => [a.name, a]));
    expect(byName[LOOPING]!.attention.signals.map((s) => s.signal)).toEqual([
      'restart-loop',
      'job-state',
      'subtasks-failed',
      'new-exceptions',
    ]);
    expect(byName['metrics-exporter']!.attention.signals.map((s) => s.signal)).toContain('checkpoints-stale');
    expect(byName['clickstream-sessionizer']!.attention).toEqual({ flag: false, reasons: [], signals: [] });

    // Every SDK call is an operation of the real service models.
    expect(commands.length).toBeGreaterThan(0);
    const real = new Set(
      [...Object.keys(KinesisAnalytics), ...Object.keys(CloudWatch)].filter((k) => k.endsWith('Command')),
    );
    expect(commands.filter((c) => !real.has(c))).toEqual([]);
    expect(commands).toContain('GetMetricDataCommand');
    // Every HTTP request outside the SDK is a Flink REST call under a presigned dashboard URL.
    const dashboard = /^http:\/\/127\.0\.0\.1:\d+\/flinkdashboard\/[^/]+(\/.*?)(?:[?&]authToken=[0-9a-f]+)$/;
    const paths = fetched.map((u) => dashboard.exec(u)?.[1] ?? `not a dashboard URL: ${u}`);
    expect(paths.length).toBeGreaterThanOrEqual(4 * 3);
    expect(paths.filter((p) => !FLINK_REST.some((re) => re.test(p)))).toEqual([]);
    expect(fetched.some((u) => u.includes('/_emulator/'))).toBe(false);
  });
});
