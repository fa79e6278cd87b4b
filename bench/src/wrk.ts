/** Load from a second process: wrk (C, epoll) so the client is never the bottleneck. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export function ensureWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') return; // wrk --version exits 1 but exists
    if (process.getuid?.() !== 0) throw new Error('wrk is missing: apt-get install -y wrk', { cause: e });
    execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

const toMs = (v: string, unit: string) =>
  Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1);

/** POSTs `body` with `headers` at `connections` concurrent keep-alive connections for `seconds`. */
export function load(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { connections: number; seconds: number },
): LoadResult {
  const dir = mkdtempSync(join(tmpdir(), 'mfc-wrk-'));
  const script = join(dir, 'post.lua');
  const lua = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    // No per-response Lua callback: it would cost the client CPU on this shared machine; wrk counts non-2xx itself.
    'done = function(summary, latency, requests) io.write(string.format("\\nNON2XX %d\\n", summary.errors.status)) end',
  ].join('\n');
  writeFileSync(script, lua);
  // One client thread: on these 2-core machines a second wrk thread competes with the (single-threaded)
  // server for a core, which lengthens every server's tail (the bare floor's p99 went from about 2 to 4 ms).
  const out = execFileSync(
    'wrk',
    ['-t', '1', '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--latency', '-s', script, url],
    {
      encoding: 'utf8',
    },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const lat = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s|m)`).exec(out);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSecond: rps, p50Ms: lat('50'), p99Ms: lat('99'), errors: non2xx };
}
