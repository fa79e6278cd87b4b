import type { SessionInfo } from '@mfc/contracts';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startBff, type Bff } from '../src/server.js';

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on mutations. */
export class Client {
  cookie?: string;
  session?: SessionInfo;
  readonly calls: { method: string; path: string }[] = [];

  constructor(readonly url: string) {}

  async signIn(): Promise<SessionInfo> {
    const res = await fetch(`${this.url}/api/session`, { headers: this.cookie ? { cookie: this.cookie } : {} });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    this.session = (await res.json()) as SessionInfo;
    return this.session;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: string | null } = {},
  ): Promise<Response<T>> {
    this.calls.push({ method, path: path.split('?')[0]! });
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = opts.csrf === undefined ? this.session?.csrfToken : opts.csrf;
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body: unknown = {}, opts?: { csrf?: string | null }) {
    return this.request<T>('POST', path, body, opts);
  }
  del<T = unknown>(path: string, body: unknown = {}) {
    return this.request<T>('DELETE', path, body);
  }
}

export async function startTestBff(env: Record<string, string> = {}): Promise<{ bff: Bff; client: Client }> {
  const config = loadConfig({
    PORT: '0',
    MFC_IN_MEMORY: '1',
    MFC_DEMO: '1',
    MFC_TIME_PROFILE: 'instant',
    MFC_POLL_MS: '50',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const bff = await startBff(config, createLogger('silent'));
  const client = new Client(bff.url);
  await client.signIn();
  return { bff, client };
}

export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Moves the emulator's virtual clock (the embedded emulator's admin API). */
export async function advance(bff: Bff, ms: number): Promise<void> {
  await fetch(`${bff.emulator!.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
  await bff.services.clock.refresh();
}

/** Reads Server-Sent Events from a URL until `until` returns true or the time runs out. */
export async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: { id?: string; event?: string; data: unknown }[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ id?: string; event?: string; data: unknown }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { id?: string; event?: string; data: unknown }[] = [];
  try {
    const res = await fetch(url, { headers, signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const e: { id?: string; event?: string; data: unknown } = { data: undefined };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
        }
        if (e.data !== undefined || e.event) events.push(e);
      }
      if (until(events)) break;
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
