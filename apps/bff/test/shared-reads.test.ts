/**
 * Replicas share their reads of the service through PostgreSQL: two SDK clients (two replicas) describing
 * the same application make one call to the emulator; the pollers' fresh reads always reach it; a change
 * made through a replica drops the cached reads; timestamps come back as Dates.
 */
import { DescribeApplicationCommand, StopApplicationCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import { startEmulator, type Emulator } from '@mfc/emulator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../src/aws/clients.js';
import { decodeOutput, encodeOutput, freshReads, shareReads, stableJson } from '../src/aws/shared-reads.js';
import { PostgresStore } from '../src/store/postgres-store.js';
import { PostgresReadCache } from '../src/store/read-cache.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

const credentials = { accessKeyId: 'AKIDSHARED', secretAccessKey: 'shared' };
let pg: PostgresServer;
let store: PostgresStore;
let emu: Emulator;
let a: AwsClients;
let b: AwsClients;

beforeAll(async () => {
  pg = await startPostgres();
  store = await PostgresStore.open({ url: await pg.createDatabase('reads') });
  emu = await startEmulator({ inMemory: true, port: 0, demo: true, timeProfile: 'instant' });
  const cache = new PostgresReadCache(store.pool);
  a = createClients('us-east-1', emu.url, credentials);
  b = createClients('us-east-1', emu.url, credentials);
  for (const c of [a, b]) shareReads(c.kinesisAnalytics, 'ka', cache, 60_000, pino({ level: 'silent' }));
}, 120_000);
afterAll(async () => {
  a?.destroy();
  b?.destroy();
  await emu?.close();
  await store?.close();
  pg?.remove();
});

/** Read-only calls the emulator answered. */
const reads = () => emu.readCache.hits + emu.readCache.misses;
const describeApp = (c: AwsClients, name = 'orders-enricher') =>
  c.kinesisAnalytics.send(new DescribeApplicationCommand({ ApplicationName: name }));

describe('shared reads', () => {
  it('keeps Dates and orders keys stably', () => {
    const value = { at: new Date(1_700_000_000_123), list: [{ d: new Date(5) }], n: 1, s: 'x' };
    const back = decodeOutput(encodeOutput(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.at).toBeInstanceOf(Date);
    expect(stableJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe(stableJson({ a: [2, { d: 3 }], b: 1 }));
  });

  it('answers the second replica from the first one’s read; fresh reads always ask', async () => {
    await emu.mutate(() => undefined);
    const r0 = reads();
    const first = await describeApp(a);
    const second = await describeApp(b);
    expect(reads() - r0).toBe(1);
    expect(second.ApplicationDetail).toEqual(first.ApplicationDetail);
    expect(second.ApplicationDetail!.CreateTimestamp).toBeInstanceOf(Date);
    await freshReads(() => describeApp(b));
    expect(reads() - r0).toBe(2);
  });

  it('drops the cached reads after a change made through a replica', async () => {
    await describeApp(a, 'clickstream-sessionizer');
    const r0 = reads();
    await describeApp(b, 'clickstream-sessionizer');
    expect(reads() - r0).toBe(0);
    await a.kinesisAnalytics.send(new StopApplicationCommand({ ApplicationName: 'clickstream-sessionizer' }));
    const after = await describeApp(b, 'clickstream-sessionizer');
    expect(reads() - r0).toBe(1);
    expect(after.ApplicationDetail!.ApplicationStatus).not.toBe('RUNNING');
  });
});
