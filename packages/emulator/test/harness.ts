import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/server.js';

const run = promisify(execFile);
export const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
export const ROLE = 'arn:aws:iam::123456789012:role/flink-app';
/** The healthy sessionizer in the emulator's seeded artifact bucket: the code most tests create applications with. */
export const SESSIONIZER_CODE = {
  CodeContentType: 'ZIPFILE' as const,
  CodeContent: {
    S3ContentLocation: { BucketARN: 'arn:aws:s3:::mfc-demo-artifacts', FileKey: 'sessionizer/sessionizer-1.0.0.jar' },
  },
};

export interface TestEmulator {
  emu: Emulator;
  ka: KinesisAnalyticsV2Client;
  kms: KMSClient;
  /** Runs the real `aws` CLI against the emulator; returns parsed JSON output (or raw text). */
  cli(args: string[]): Promise<unknown>;
  /** Runs the CLI expecting failure; returns stderr. */
  cliError(args: string[]): Promise<string>;
  admin(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  // Every test also checks the read cache: each kept answer is computed again and compared.
  const emu = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant', verifyReadCache: true, ...opts });
  const config = { endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const cliArgs = (args: string[]) => ['--endpoint-url', emu.url, '--output', 'json', ...args];
  return {
    emu,
    ka: new KinesisAnalyticsV2Client(config),
    kms: new KMSClient(config),
    async cli(args) {
      const { stdout } = await run('aws', cliArgs(args), { env, timeout: 60_000 });
      try {
        return stdout.trim() === '' ? {} : JSON.parse(stdout);
      } catch {
        return stdout;
      }
    },
    async cliError(args) {
      try {
        await run('aws', cliArgs(args), { env, timeout: 60_000 });
      } catch (e) {
        return (e as { stderr: string }).stderr;
      }
      throw new Error(`aws ${args.join(' ')} succeeded; a failure was expected`);
    },
    async admin(path, body) {
      const res = await fetch(`${emu.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    },
    async close() {
      await emu.close();
      if (emu.readCache.mismatches > 0)
        throw new Error(`the read cache kept ${emu.readCache.mismatches} answers that differ from fresh ones`);
    },
  };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mfc-emulator-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls until `check` passes (for transitions driven by the emulator's own timer). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The AWS error name a promise rejects with. */
export async function awsError(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
