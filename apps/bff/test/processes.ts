/**
 * The product's processes started the way an operator starts them (from source, through tsx), for the
 * tests that stop, kill and restart them: a standalone emulator and BFF replicas. Every child is killed
 * when the test file ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BFF_MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const EMULATOR_CLI = fileURLToPath(new URL('../../../packages/emulator/src/cli.ts', import.meta.url));

const children = new Set<ChildProcess>();

export const childEnv = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'AKIDRESTART',
  AWS_SECRET_ACCESS_KEY: 'restart-secret',
  LOG_LEVEL: 'warn',
};

/** Starts a child and resolves with the URL its ready line names. */
export function launch(
  args: string[],
  extraEnv: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...childEnv, ...extraEnv },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

export function stop(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export function killAll(): void {
  for (const c of children) c.kill('SIGKILL');
}

export const emulatorProcess = (args: string[]) =>
  launch([EMULATOR_CLI, '--port', '0', ...args], {}, /listening on (http:\/\/127\.0\.0\.1:\d+)/);

export const bffProcess = (extra: Record<string, string>) =>
  launch([BFF_MAIN], { PORT: '0', MFC_POLL_MS: '200', ...extra }, /Managed Flink Console: (http:\/\/\S+)/);
