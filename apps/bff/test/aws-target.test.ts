/**
 * MFC_TARGET=aws pointed at a separately started emulator through MFC_ENDPOINT: the same SDK path the BFF
 * uses against AWS, with no embedded shortcut (the BFF starts no emulator of its own).
 */
import { startEmulator, type Emulator } from '@mfc/emulator';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { emulatorChangeSignal } from '../src/services/changes.js';
import { eventually, readEvents, startTestBff, type Client } from './harness.js';

let emulator: Emulator;
let bff: Bff;
let client: Client;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant', demo: true });
  // The SDK's default credential chain reads these, as it would on a workstation.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDREMOTE';
  process.env.AWS_SECRET_ACCESS_KEY = 'remote-secret';
  ({ bff, client } = await startTestBff({ MFC_TARGET: 'aws', MFC_ENDPOINT: emulator.url, MFC_DEMO: '0' }));
});
afterAll(async () => {
  await bff.close();
  await emulator.close();
  process.env = saved;
});

describe('MFC_TARGET=aws with MFC_ENDPOINT', () => {
  it('starts no emulator and reads the remote one through the SDK', async () => {
    expect(bff.emulator).toBeUndefined();
    const health = await client.get<C.HealthResponse>('/api/health');
    expect(health.body).toMatchObject({ target: 'aws', endpoint: emulator.url, status: 'ok' });
    const fleet = await client.get<C.FleetResponse>('/api/applications');
    expect(fleet.body.applications).toHaveLength(6);
  });

  it('acts on the remote emulator and reads the job through the presigned dashboard URL', async () => {
    await client.post('/api/applications/returns-forecaster/start', {});
    await eventually(async () => {
      const j = await client.get<C.JobView>('/api/applications/returns-forecaster/job');
      expect(j.body.available).toBe(true);
    });
    // The change happened in the remote emulator's own engine.
    expect(
      emulator
        .engine()
        .core.findApp({ account: '123456789012', region: 'us-east-1', principal: '' }, 'returns-forecaster')?.status,
    ).toBe('RUNNING');
  });

  it('asks the remote emulator whether anything changed before reading (GET /_emulator/generation)', async () => {
    await fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ speed: 0 }) });
    try {
      const reads = () => emulator.readCache.hits + emulator.readCache.misses;
      const stream = readEvents(
        `${bff.url}/api/events?watch=returns-forecaster`,
        { cookie: client.cookie! },
        () => false,
        1500,
      );
      await eventually(async () => expect(bff.watchers.activePollers.applications).toContain('returns-forecaster'));
      await new Promise((r) => setTimeout(r, 300));
      const before = reads();
      await stream;
      // About 20 polls of the fleet and of the application in that second, none of which read.
      expect(reads() - before).toBe(0);
      const signal = emulatorChangeSignal(emulator.url);
      const [a, b] = await Promise.all([signal(), signal()]);
      expect(a).toMatch(/^[0-9a-f]{8}-\d+$/);
      expect(b).toBe(a);
      // Something that cannot say gives no generation, and the pollers then read as they would from AWS.
      expect(await emulatorChangeSignal('http://127.0.0.1:9')()).toBeUndefined();
    } finally {
      await fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ speed: 1 }) });
    }
  });
});
