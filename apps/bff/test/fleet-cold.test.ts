/** The fleet right after a start: statuses at once, the details of a big fleet read in the background. */
import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_READ_CONCURRENCY, INLINE_DETAIL_READS } from '../src/services/applications.js';
import type { Bff } from '../src/server.js';
import { readEvents, startTestBff, type Client } from './harness.js';

const APPS = 120;
let bff: Bff;
let client: Client;
/** DescribeApplication calls in flight, and the most at once. */
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  ({ bff, client } = await startTestBff({ MFC_DEMO: '0', MFC_APPLICATION_QUOTA: '500' }));
  for (let i = 0; i < APPS; i += 20)
    await Promise.all(Array.from({ length: 20 }, (_, j) => create(`cold-${String(i + j).padStart(3, '0')}`)));
  const sdk = bff.services.clients.kinesisAnalytics;
  const send = sdk.send.bind(sdk) as (command: unknown) => Promise<unknown>;
  (sdk as { send: unknown }).send = async (command: { constructor: { name: string } }) => {
    const describe = command.constructor.name === 'DescribeApplicationCommand';
    if (describe) mostInFlight = Math.max(mostInFlight, ++inFlight);
    try {
      return await send(command);
    } finally {
      if (describe) inFlight--;
    }
  };
});
afterAll(() => bff.close());

const create = (name: string) =>
  bff.services.clients.kinesisAnalytics.send(
    new CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: 'arn:aws:iam::123456789012:role/cold',
    }),
  );

describe('the fleet after a start', () => {
  it('answers every status at once, and reads a big fleet’s details a few at a time', async () => {
    expect(APPS).toBeGreaterThan(INLINE_DETAIL_READS);
    const fleetEvent = readEvents(`${bff.url}/api/events`, { cookie: client.cookie! }, (events) =>
      events.some((e) => (e.data as C.ServerEvent | undefined)?.type === 'fleet'),
    );
    const first = await client.get<C.FleetResponse>('/api/applications');
    expect(first.status).toBe(200);
    expect(first.body.applications).toHaveLength(APPS);
    expect(first.body.applications.every((a) => a.status === 'READY')).toBe(true);
    const pending = first.body.applications.filter((a) => a.detailsPending);
    expect(pending.length).toBe(APPS);
    expect(pending[0]).toMatchObject({ kpus: null, parallelism: null });
    expect(pending[0]!.encryption).toBeUndefined();

    // The background read ends with a fleet event naming the applications it read.
    const events = await fleetEvent;
    const done = events.map((e) => e.data as C.ServerEvent).find((e) => e?.type === 'fleet');
    expect(done?.type === 'fleet' && done.changed.length).toBe(APPS);
    const after = await client.get<C.FleetResponse>('/api/applications');
    expect(after.body.applications.filter((a) => a.detailsPending)).toHaveLength(0);
    expect(after.body.applications.every((a) => a.kpus !== null && a.encryption?.keyType)).toBe(true);
    expect(mostInFlight).toBeGreaterThan(0);
    expect(mostInFlight).toBeLessThanOrEqual(DETAIL_READ_CONCURRENCY);
  });

  it('reads a few new applications inline: a small change never answers pending rows', async () => {
    for (let i = 0; i < 5; i++) await create(`late-${i}`);
    const res = await client.get<C.FleetResponse>('/api/applications');
    expect(res.body.applications).toHaveLength(APPS + 5);
    expect(res.body.applications.filter((a) => a.detailsPending)).toHaveLength(0);
    expect(res.body.applications.find((a) => a.name === 'late-4')?.kpus).toBeGreaterThan(0);
  });
});
