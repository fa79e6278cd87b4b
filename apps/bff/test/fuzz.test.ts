/**
 * Fuzzing /api: every declared route with generated bodies (valid-looking, wrong types, huge, nested,
 * garbage) and hostile path parameters. Every answer is below 500 with the ErrorBody shape on errors,
 * and the embedded emulator's invariants hold afterwards.
 */
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { startTestBff, type Client } from './harness.js';

const PER_ROUTE = Number(process.env.MFC_FUZZ_PER_ROUTE ?? 60);

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}
let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
  await client.post('/api/session/role', { role: 'admin' });
});
afterAll(() => bff.close());

function randomValue(r: Random, depth = 0): unknown {
  switch (r.int(0, depth > 2 ? 5 : 8)) {
    case 0:
      return r.int(-1e6, 1e6);
    case 1:
      return r.chars(r.int(0, 40), 'abcdefghijklmnopqrstuvwxyz-_.0123456789 /%"\\\u00e9');
    case 2:
      return r.next() < 0.5;
    case 3:
      return null;
    case 4:
      return 1e308;
    case 5:
      return 'x'.repeat(r.int(100, 20_000));
    case 6:
      return Array.from({ length: r.int(0, 5) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(0, 6) }, () => [
          r.chars(r.int(1, 12), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
          randomValue(r, depth + 1),
        ]),
      );
  }
}

/** Field names the contracts use, so generated objects often get past the first check. */
const FIELDS = [
  'restoreType',
  'snapshotName',
  'allowNonRestoredState',
  'force',
  'confirm',
  'expectedVersionId',
  'code',
  'parallelism',
  'checkpointing',
  'properties',
  'keyType',
  'keyId',
  'name',
  'action',
  'update',
  'application',
  'speed',
  'advanceMs',
];
const PARAMS = [
  'clickstream-sessionizer',
  'orders-enricher',
  'nope',
  '..',
  '%2e%2e%2fetc',
  'a'.repeat(300),
  '%00',
  'x%2Fy',
  '😀',
  '1',
  'nightly-1',
];

function body(r: Random): unknown {
  if (r.next() < 0.5) return Object.fromEntries(FIELDS.filter(() => r.next() < 0.3).map((f) => [f, randomValue(r)]));
  return randomValue(r);
}

describe('fuzzing /api', () => {
  it('every route answers generated requests below 500, with the error shape', async () => {
    const r = new Random(20261121);
    let requests = 0;
    for (const route of bff.routes) {
      for (let i = 0; i < PER_ROUTE; i++) {
        const path = route.path.replace(/:(\w+)/g, () =>
          encodeURIComponent(PARAMS[r.int(0, PARAMS.length - 1)]!).replace(/%25/g, '%'),
        );
        const query =
          route.method === 'get' && r.next() < 0.5
            ? `?${r.chars(4, 'abc')}=${encodeURIComponent(String(randomValue(r)).slice(0, 500))}&range=${r.chars(3, '1hm')}&from=${r.int(-5, 9)}&to=x`
            : '';
        const res = await client.request(
          route.method.toUpperCase(),
          `/api${path}${query}`,
          route.method === 'get' ? undefined : body(r),
        );
        requests++;
        expect(
          res.status,
          `${route.method} ${path}${query} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
        ).toBeLessThan(500);
        if (res.status >= 400) {
          const err = (res.body as C.ErrorBody).error;
          expect(
            err,
            `${route.method} ${path}${query} → ${res.status} ${String(JSON.stringify(res.body)).slice(0, 300)}`,
          ).toBeDefined();
          expect(typeof err.name).toBe('string');
          expect(typeof err.message).toBe('string');
          expect(err.status).toBe(res.status);
        }
      }
    }
    expect(requests).toBe(PER_ROUTE * bff.routes.length);
  }, 240_000);

  it('garbage bodies and unknown paths answer cleanly', async () => {
    for (const raw of ['{', '[]', 'null', '"x"', 'x'.repeat(300_000)]) {
      const res = await fetch(`${bff.url}/api/applications/orders-enricher/start`, {
        method: 'POST',
        headers: {
          cookie: client.cookie!,
          'x-csrf-token': client.session!.csrfToken,
          'content-type': 'application/json',
        },
        body: raw,
      });
      expect(res.status, `${raw.slice(0, 20)} → ${res.status} ${(await res.text()).slice(0, 200)}`).toBeLessThan(500);
    }
    for (const path of ['/api/../etc/passwd', '/api/applications/%E0%A4%A', '/api/%00', '/api/applications/a/b/c/d/e'])
      expect((await client.get(path)).status).toBeLessThan(500);
  });

  it('leaves the emulator state sound', async () => {
    await fetch(`${bff.emulator!.url}/_emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 10 * 60_000 }),
    });
    expect(await (await fetch(`${bff.emulator!.url}/_emulator/invariants`)).json()).toEqual({
      problems: [],
      faults: 0,
    });
  });
});
