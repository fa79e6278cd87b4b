#!/usr/bin/env node
/**
 * mfc-emulator: npx mfc-emulator --port 4599 [--in-memory | --data-dir DIR] [--time-profile instant|fast|realistic]
 *   [--speed N] [--seed N] [--strict-auth] [--principals FILE] [--demo]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TIME_PROFILES, type TimeProfileName } from '@mfc/engine';
import type { Principal } from './auth/sigv4.js';
import { SchemaTooNewError } from './persistence/schema.js';
import { startEmulator } from './server.js';

const USAGE = `usage: mfc-emulator [--port 4599] [--host 127.0.0.1] [--in-memory | --data-dir DIR]
                    [--time-profile instant|fast|realistic] [--speed N] [--seed N]
                    [--strict-auth] [--principals FILE] [--demo] [--application-quota N]`;

function fail(message: string): never {
  console.error(`mfc-emulator: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4599' },
        host: { type: 'string', default: '127.0.0.1' },
        'in-memory': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        'time-profile': { type: 'string', default: 'fast' },
        speed: { type: 'string', default: '1' },
        seed: { type: 'string', default: 'mfc' },
        'strict-auth': { type: 'boolean', default: false },
        principals: { type: 'string' },
        demo: { type: 'boolean', default: false },
        // Like a service quota increase: applications per account and region (AWS default 100).
        'application-quota': { type: 'string', default: '100' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got ${values.port}`);
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0) fail(`--speed must be a non-negative number, got ${values.speed}`);
  if (!(values['time-profile'] in TIME_PROFILES)) fail(`--time-profile must be instant, fast or realistic`);
  if (values['in-memory'] && values['data-dir']) fail('--in-memory and --data-dir exclude each other');
  const quota = Number(values['application-quota']);
  if (!Number.isInteger(quota) || quota < 1 || quota > 1_000_000)
    fail('--application-quota must be an integer from 1 to 1000000');
  let principals: Record<string, Principal> | undefined;
  if (values.principals) {
    try {
      principals = JSON.parse(readFileSync(values.principals, 'utf8')) as Record<string, Principal>;
    } catch (e) {
      fail(`cannot read --principals ${values.principals}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const emulator = await startEmulator({
    port,
    host: values.host,
    inMemory: values['in-memory'],
    dataDir: values['data-dir'] ?? '.mfc-data',
    timeProfile: values['time-profile'] as TimeProfileName,
    speed,
    seed: values.seed,
    strictAuth: values['strict-auth'],
    principals,
    demo: values.demo,
    limits: { applicationsPerRegion: quota },
    log: (line) => console.error(line),
  });
  console.log(`mfc-emulator listening on ${emulator.url}`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(`mfc-emulator: ${e instanceof Error ? e.message : String(e)}`);
  // A data directory from a newer release has its own exit code, so scripts can tell it from a crash.
  process.exit(e instanceof SchemaTooNewError ? e.exitCode : 1);
});
