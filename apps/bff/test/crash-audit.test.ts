/**
 * The BFF's audit log survives a SIGKILL: every acknowledged action is in it after a restart, and the
 * embedded emulator's state (on the same data directory) comes back too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as C from '@mfc/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mfc-bff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launch(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      MFC_DATA_DIR: dir,
      MFC_TIME_PROFILE: 'instant',
      LOG_LEVEL: 'warn',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`BFF did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Managed Flink Console: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (c) => reject(new Error(`BFF exited ${c}: ${out}`)));
  });
  return { child, url };
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('BFF crash recovery', () => {
  it('keeps every acknowledged action in the audit log across SIGKILLs', async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < 3; round++) {
      const { child, url } = await launch();
      const client = new Client(url);
      await client.signIn();
      if (round > 0) {
        const audit = await client.get<C.AuditResponse>('/api/audit?limit=500');
        const ids = new Set(audit.body.entries.map((e) => e.operationId));
        for (const op of acknowledged) expect(ids.has(op), `round ${round}: audit entry of ${op} lost`).toBe(true);
      }
      const app = round % 2 === 0 ? 'returns-forecaster' : 'inventory-aggregator';
      const view = await client.get<C.ApplicationView>(`/api/applications/${app}`);
      const r =
        view.body.status === 'READY'
          ? await client.post<C.ActionResponse>(`/api/applications/${app}/start`, {})
          : await client.post<C.ActionResponse>(`/api/applications/${app}/stop`, { force: true, confirm: app });
      expect(r.status).toBe(202);
      acknowledged.push(r.body.operationId!);
      // Killed immediately after the answer arrived.
      await kill(child);
    }
    const { child, url } = await launch();
    const client = new Client(url);
    await client.signIn();
    const audit = await client.get<C.AuditResponse>('/api/audit?limit=500');
    for (const op of acknowledged)
      expect(audit.body.entries.some((e) => e.operationId === op && e.outcome === 'success')).toBe(true);
    // The embedded emulator kept its state too: the started application is not back to never-started.
    const ops = await client.get<C.OperationsResponse>('/api/applications/returns-forecaster/operations');
    expect(ops.body.operations.map((o) => o.id)).toEqual(expect.arrayContaining([acknowledged[0], acknowledged[2]]));
    await kill(child);
  }, 120_000);
});
