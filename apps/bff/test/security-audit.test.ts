import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditResponse, ErrorBody, type AuditEntry } from '@mfc/contracts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecurity, redactParams, upsertUser, type SecurityConfig } from '../src/security/index.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const SECRET = 'audit-secret-0123456789abcdefghijklmnopqrstuv';
const AT = Date.UTC(2025, 0, 1, 9);
let dir: string;
const opened: { close(): void }[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mfc-security-audit-'));
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class AwsError extends Error {
  constructor(
    override name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function buildApp(overrides: Partial<SecurityConfig> & { storeFile?: string } = {}) {
  const { storeFile, ...rest } = overrides;
  const store = new SqliteStore(storeFile ?? ':memory:', () => AT);
  const security = createSecurity({
    mode: 'demo',
    sessionSecret: SECRET,
    store,
    logger: pino({ level: 'silent' }),
    now: () => AT,
    ...rest,
  });
  const close = () => {
    security.close();
    void store.close();
  };
  opened.push({ close });
  const app = express();
  app.use(security.headers);
  app.use(express.json());
  app.use('/api/session', security.sessionRouter);
  app.use('/api', security.auditMiddleware, security.authenticate, security.csrf, security.rateLimit);
  app.get('/api/audit', security.auditRoute);
  const apps = express.Router();
  apps.post('/:name/stop', security.requireRole('operator'), (req, res) => {
    res.locals.operationId = `op-${req.params.name}`;
    res.json({ application: req.params.name, message: 'stopping' });
  });
  // Fails through next(err) to the app's error handler, as the lead's AWS error mapping does.
  apps.post('/:name/start', security.requireRole('operator'), (_req, _res, next) => {
    next(new AwsError('ResourceInUseException', 'Application orders is not in READY status', 400));
  });
  apps.post('/:name/snapshots', security.requireRole('operator'), (req, res) => {
    res.locals.audit = { action: 'createSnapshot', target: `${req.params.name}/${String(req.body.name)}` };
    res.locals.auditError = 'snapshot quota reached (10 of 10)';
    res.status(400).json({ error: { name: 'LimitExceededException', message: 'quota', status: 400 } });
  });
  // The operation id only in the response body (ActionResponse.operationId).
  apps.post('/:name/rollback', security.requireRole('operator'), (req, res) => {
    res.json({ application: req.params.name, operationId: 'op-rollback', message: 'rolling back' });
  });
  app.use('/api/applications', apps);
  app.get('/api/applications', (_req, res) => void res.json({}));
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    res.status(status).json({ error: { name: err.name, message: err.message, status } });
  });
  return { app, security, close };
}

async function demoSession(app: express.Express) {
  const res = await request(app).get('/api/session').expect(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return { cookie, csrf: res.body.csrfToken as string };
}

async function auditPage(app: express.Express, cookie: string, query = ''): Promise<AuditResponse> {
  const res = await request(app).get(`/api/audit${query}`).set('Cookie', cookie).expect(200);
  return AuditResponse.parse(res.body);
}

describe('audit log of mutations', () => {
  it('records who, what, parameters (secrets removed), outcome and operation id', async () => {
    const { app } = buildApp();
    const { cookie, csrf } = await demoSession(app);
    const post = (path: string, body: object) =>
      request(app).post(path).set('Cookie', cookie).set('x-csrf-token', csrf).send(body);
    await post('/api/applications/orders/stop', {
      force: true,
      confirm: 'orders',
      password: 'p4ss',
      nested: { secretAccessKey: 'AKIA...', keyId: 'alias/orders' },
    }).expect(200);
    await post('/api/applications/orders/start', { restoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' }).expect(400);
    await post('/api/applications/orders/snapshots', { name: 'snap-1' }).expect(400);
    await post('/api/applications/orders/rollback', { expectedVersionId: 3, confirm: 'orders' }).expect(200);
    // Reads are not audited.
    await request(app).get('/api/applications').set('Cookie', cookie).expect(200);

    const { entries } = await auditPage(app, cookie);
    expect(entries.map((e) => e.action)).toEqual([
      'POST /api/applications/:name/rollback',
      'createSnapshot',
      'POST /api/applications/:name/start',
      'POST /api/applications/:name/stop',
    ]);
    const [rollback, snapshot, start, stop] = entries as [AuditEntry, AuditEntry, AuditEntry, AuditEntry];
    expect(stop).toEqual({
      id: expect.any(Number),
      at: AT,
      user: 'demo-operator',
      role: 'operator',
      action: 'POST /api/applications/:name/stop',
      target: 'orders',
      params: { force: true, confirm: 'orders', nested: { keyId: 'alias/orders' } },
      outcome: 'success',
      operationId: 'op-orders',
    });
    expect(start).toMatchObject({
      target: 'orders',
      outcome: 'failure',
      error: 'Application orders is not in READY status',
      params: { restoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
    });
    expect(start.operationId).toBeUndefined();
    expect(snapshot).toMatchObject({
      target: 'orders/snap-1',
      outcome: 'failure',
      error: 'snapshot quota reached (10 of 10)',
    });
    expect(rollback).toMatchObject({ outcome: 'success', operationId: 'op-rollback' });
  });

  it('records refused mutations as denied: no session, bad CSRF token, role, rate limit', async () => {
    // The viewer's refused attempt counts too: the limit runs before the route's role check.
    const { app } = buildApp({ mutationRateLimit: { windowMs: 60_000, max: 2 } });
    const { cookie, csrf } = await demoSession(app);
    await request(app).post('/api/applications/orders/stop').send({ force: true }).expect(401);
    await request(app).post('/api/applications/orders/stop').set('Cookie', cookie).send({}).expect(403);
    await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'viewer' })
      .expect(200);
    await request(app)
      .post('/api/applications/orders/stop')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({})
      .expect(403);
    await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'operator' })
      .expect(200);
    await request(app)
      .post('/api/applications/orders/stop')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({})
      .expect(200);
    await request(app)
      .post('/api/applications/orders/stop')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({})
      .expect(429);

    const { entries } = await auditPage(app, cookie);
    // Refused before a route matched (401, CSRF, rate limit), the action is the concrete path.
    expect(entries.map((e) => [e.user, e.action, e.outcome])).toEqual([
      ['demo-operator', 'POST /api/applications/orders/stop', 'denied'],
      ['demo-operator', 'POST /api/applications/:name/stop', 'success'],
      ['demo-viewer', 'switchRole', 'success'],
      ['demo-viewer', 'POST /api/applications/:name/stop', 'denied'],
      ['demo-operator', 'switchRole', 'success'],
      ['demo-operator', 'POST /api/applications/orders/stop', 'denied'],
      ['anonymous', 'POST /api/applications/orders/stop', 'denied'],
    ]);
    expect(entries[0]!.error).toMatch(/Too many actions/);
    expect(entries[2]!.params).toEqual({ from: 'viewer', role: 'operator' });
    expect(entries[3]).toMatchObject({ target: 'orders', role: 'viewer' });
    expect(entries[3]!.error).toMatch(/needs the operator role/);
    expect(entries[4]!.params).toEqual({ from: 'operator', role: 'viewer' });
    expect(entries[5]!.error).toMatch(/x-csrf-token/);
    expect(entries[6]).toMatchObject({ role: '', params: { force: true } });
  });

  it('records sign-in attempts without the password', async () => {
    const usersFile = join(dir, 'users.json');
    await upsertUser(usersFile, 'alice', 'operator', 'alice-password-1');
    const { app, security } = buildApp({ mode: 'production', usersFile, lockout: { maxFailures: 2, lockMs: 60_000 } });
    await request(app).post('/api/session/login').send({ username: 'alice', password: 'wrong-password' }).expect(401);
    await request(app).post('/api/session/login').send({ username: 'alice', password: 'wrong-password' }).expect(401);
    await request(app).post('/api/session/login').send({ username: 'alice', password: 'alice-password-1' }).expect(429);
    const entries = await security.store.audit.list();
    expect(entries.map((e) => [e.action, e.user, e.outcome])).toEqual([
      ['login', 'alice', 'denied'],
      ['login', 'alice', 'failure'],
      ['login', 'alice', 'failure'],
    ]);
    for (const e of entries) expect(e.params).toEqual({ username: 'alice' });
    expect(JSON.stringify(entries)).not.toMatch(/password-1|wrong-password/);

    const { app: app2, security: security2 } = buildApp({ mode: 'production', usersFile });
    const ok = await request(app2)
      .post('/api/session/login')
      .send({ username: 'alice', password: 'alice-password-1' })
      .expect(200);
    expect((await security2.store.audit.list())[0]).toMatchObject({
      action: 'login',
      user: 'alice',
      role: 'operator',
      outcome: 'success',
    });
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    await request(app2)
      .post('/api/session/logout')
      .set('Cookie', cookie)
      .set('x-csrf-token', ok.body.csrfToken)
      .expect(204);
    expect((await security2.store.audit.list())[0]).toMatchObject({
      action: 'logout',
      user: 'alice',
      outcome: 'success',
    });
  });
});

describe('GET /api/audit', () => {
  it('lists newest first, pages with before/nextBefore, filters, validates and needs a session', async () => {
    const { app, security } = buildApp();
    const { cookie } = await demoSession(app);
    for (let i = 1; i <= 5; i++)
      await security.store.audit.record({
        at: AT + i,
        user: i % 2 ? 'alice' : 'bob',
        role: 'operator',
        action: i === 5 ? 'delete' : 'stop',
        target: `app-${i}`,
        params: { i },
        outcome: 'success',
      });
    const first = await auditPage(app, cookie, '?limit=2');
    expect(first.entries.map((e) => e.target)).toEqual(['app-5', 'app-4']);
    expect(first.nextBefore).toBe(first.entries[1]!.id);
    const second = await auditPage(app, cookie, `?limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((e) => e.target)).toEqual(['app-3', 'app-2']);
    const last = await auditPage(app, cookie, `?limit=2&before=${second.nextBefore}`);
    expect(last.entries.map((e) => e.target)).toEqual(['app-1']);
    expect(last.nextBefore).toBeUndefined();

    expect((await auditPage(app, cookie, '?user=alice')).entries.map((e) => e.target)).toEqual([
      'app-5',
      'app-3',
      'app-1',
    ]);
    expect((await auditPage(app, cookie, '?action=delete')).entries.map((e) => e.target)).toEqual(['app-5']);
    expect((await auditPage(app, cookie, '?target=app-2')).entries.map((e) => e.user)).toEqual(['bob']);

    for (const q of ['?limit=0', '?limit=501', '?before=abc']) {
      const res = await request(app).get(`/api/audit${q}`).set('Cookie', cookie).expect(400);
      expect(ErrorBody.parse(res.body).error.name).toBe('ValidationError');
    }
    await request(app).get('/api/audit').expect(401);
  });

  it('is readable by a viewer', async () => {
    const { app } = buildApp();
    const { cookie, csrf } = await demoSession(app);
    await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'viewer' })
      .expect(200);
    expect((await auditPage(app, cookie)).entries[0]).toMatchObject({ action: 'switchRole', user: 'demo-operator' });
  });
});

describe('persistence', () => {
  it('keeps entries in a WAL-mode SQLite file across close and reopen', async () => {
    const auditFile = join(dir, 'data', 'audit.sqlite');
    const first = buildApp({ storeFile: auditFile });
    const s1 = await demoSession(first.app);
    await request(first.app)
      .post('/api/applications/orders/stop')
      .set('Cookie', s1.cookie)
      .set('x-csrf-token', s1.csrf)
      .send({ force: false })
      .expect(200);
    first.close();

    const db = new Database(auditFile, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const second = buildApp({ storeFile: auditFile });
    const s2 = await demoSession(second.app);
    const { entries } = await auditPage(second.app, s2.cookie);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      target: 'orders',
      params: { force: false },
      outcome: 'success',
      operationId: 'op-orders',
    });
    // New ids continue after the old ones.
    const id = await second.security.store.audit.record({
      at: AT,
      user: 'u',
      role: 'admin',
      action: 'x',
      target: '',
      params: {},
      outcome: 'success',
    });
    expect(id).toBeGreaterThan(entries[0]!.id);
  });

  it('the SQLite store keeps audit entries on its own, in memory', async () => {
    const store = new SqliteStore(':memory:');
    const id = await store.audit.record({
      at: AT,
      user: 'u',
      role: 'viewer',
      action: 'a',
      target: 't',
      params: { n: 1 },
      outcome: 'denied',
      error: 'no',
    });
    expect(await store.audit.list()).toEqual([
      {
        id,
        at: AT,
        user: 'u',
        role: 'viewer',
        action: 'a',
        target: 't',
        params: { n: 1 },
        outcome: 'denied',
        error: 'no',
      },
    ]);
    await store.close();
    await store.close(); // idempotent
  });
});

describe('redactParams', () => {
  it('drops secrets at any depth and keeps key references', () => {
    expect(
      redactParams({
        username: 'a',
        password: 'x',
        newPassword: 'y',
        authToken: 't',
        list: [{ apiKey: 'k', keyArn: 'arn' }],
        keyId: 'alias/k',
      }),
    ).toEqual({ username: 'a', list: [{ keyArn: 'arn' }], keyId: 'alias/k' });
    expect(redactParams(undefined)).toEqual({});
    expect(redactParams(['a'])).toEqual({ body: ['a'] });
  });
});
