import { ErrorBody, SessionInfo } from '@mfc/contracts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecurity, type SecurityConfig } from '../src/security/index.js';
import { sign } from '../src/security/cookies.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** A small app wired the way the lead mounts the security layer, with dummy action routes. */
function buildApp(overrides: Partial<SecurityConfig> = {}) {
  let clock = Date.UTC(2025, 0, 1, 9);
  // The store keeps time on the same clock the test moves.
  const store = new SqliteStore(':memory:', () => clock);
  const security = createSecurity({
    mode: 'demo',
    sessionSecret: SECRET,
    store,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    ...overrides,
  });
  opened.push({ close: () => (security.close(), void store.close()) });
  const app = express();
  app.use(security.headers);
  app.use(express.json());
  app.use('/api/session', security.sessionRouter);
  app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use('/api', security.auditMiddleware, security.authenticate, security.csrf, security.rateLimit);
  app.get('/api/audit', security.auditRoute);
  app.get('/api/applications', (req, res) => void res.json({ user: req.user }));
  app.post('/api/applications/:name/stop', security.requireRole('operator', 'Stopping an application'), (req, res) => {
    res.locals.operationId = 'op-1';
    res.json({ application: req.params.name, message: 'stopping' });
  });
  app.post('/api/applications/:name/refresh', security.requireRole('viewer'), (_req, res) => void res.json({}));
  app.post('/api/applications/:name/preflight', security.requireRole('viewer'), (_req, res) => {
    res.locals.readOnly = true;
    res.json({ checks: [] });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: { name: err.name, message: err.message, status: 500 } });
  });
  return {
    app,
    security,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

function cookieOf(res: request.Response): string {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('mfc_session='));
  if (!header) throw new Error('no mfc_session cookie was set');
  return header.split(';')[0]!;
}

async function demoSession(app: express.Express) {
  const res = await request(app).get('/api/session').expect(200);
  return { cookie: cookieOf(res), csrf: SessionInfo.parse(res.body).csrfToken, res };
}

function expectError(res: request.Response, status: number, name: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorBody.parse(res.body);
  expect(body.error).toMatchObject({ name, status });
  return body.error;
}

describe('demo sessions', () => {
  it('signs a first visit in as the demo operator with an HttpOnly, SameSite=Strict cookie and a CSRF token', async () => {
    const { app } = buildApp();
    const { res, cookie, csrf } = await demoSession(app);
    expect(SessionInfo.parse(res.body)).toEqual({
      user: { name: 'demo-operator', role: 'operator' },
      csrfToken: csrf,
      mode: 'demo',
    });
    expect(csrf.length).toBeGreaterThanOrEqual(32);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    expect(res.headers['cache-control']).toBe('no-store');

    // The next visit keeps the session: same token, no new cookie.
    const again = await request(app).get('/api/session').set('Cookie', cookie).expect(200);
    expect(again.body.csrfToken).toBe(csrf);
    expect(again.headers['set-cookie']).toBeUndefined();
    await request(app)
      .get('/api/applications')
      .set('Cookie', cookie)
      .expect(200, { user: { name: 'demo-operator', role: 'operator' } });
  });

  it('answers 401 without a session, for reads and mutations, while public routes stay open', async () => {
    const { app } = buildApp();
    await request(app).get('/api/health').expect(200);
    const err = expectError(await request(app).get('/api/applications'), 401, 'Unauthorized');
    expect(err.message).toMatch(/session/);
    expectError(await request(app).post('/api/applications/orders/stop').send({}), 401, 'Unauthorized');
  });

  it('rejects a tampered or foreign cookie with 401 and clears it', async () => {
    const { app } = buildApp();
    const { cookie } = await demoSession(app);
    const value = cookie.slice('mfc_session='.length);
    const flipped = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
    const res = await request(app).get('/api/applications').set('Cookie', `mfc_session=${flipped}`);
    expectError(res, 401, 'Unauthorized');
    expect(String(res.headers['set-cookie'])).toMatch(/mfc_session=;.*Expires=Thu, 01 Jan 1970/);
    const [id] = value.split('.');
    expectError(await request(app).get('/api/applications').set('Cookie', `mfc_session=${id}`), 401, 'Unauthorized');
    const foreign = sign(id!, 'another-secret-another-secret-another-secret');
    expectError(
      await request(app).get('/api/applications').set('Cookie', `mfc_session=${foreign}`),
      401,
      'Unauthorized',
    );
    // A well-signed id that no session has (e.g. after a restart) is refused too.
    const unknown = sign('x'.repeat(43), SECRET);
    expectError(
      await request(app).get('/api/applications').set('Cookie', `mfc_session=${unknown}`),
      401,
      'Unauthorized',
    );
    await request(app).get('/api/applications').set('Cookie', cookie).expect(200);
  });

  it('ends a session after the idle timeout, and one kept busy at the absolute lifetime', async () => {
    const { app, advance } = buildApp({ sessionTtlMs: 60 * 60_000, idleTimeoutMs: 10 * 60_000 });
    const idle = await demoSession(app);
    advance(9 * 60_000);
    await request(app).get('/api/applications').set('Cookie', idle.cookie).expect(200);
    advance(9 * 60_000); // 18 min since the start, 9 since the last request: still alive
    await request(app).get('/api/applications').set('Cookie', idle.cookie).expect(200);
    advance(10 * 60_000);
    const err = expectError(
      await request(app).get('/api/applications').set('Cookie', idle.cookie),
      401,
      'Unauthorized',
    );
    expect(err.message).toMatch(/10 min without activity/);

    const busy = await demoSession(app);
    for (let i = 0; i < 11; i++) {
      advance(5 * 60_000);
      await request(app).get('/api/applications').set('Cookie', busy.cookie).expect(200);
    }
    advance(5 * 60_000); // 60 min after sign-in
    const expired = expectError(
      await request(app).get('/api/applications').set('Cookie', busy.cookie),
      401,
      'Unauthorized',
    );
    expect(expired.message).toMatch(/expired after 1 h/);

    // Demo mode: the next page load starts a fresh session.
    const fresh = await request(app).get('/api/session').set('Cookie', busy.cookie).expect(200);
    expect(cookieOf(fresh)).not.toBe(busy.cookie);
  });

  it('sets the cookie Max-Age to the remaining absolute lifetime', async () => {
    const { app } = buildApp({ sessionTtlMs: 2 * 3_600_000 });
    const { res } = await demoSession(app);
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=7200/);
  });
});

describe('CSRF', () => {
  it('needs the session token in x-csrf-token on every mutation', async () => {
    const { app } = buildApp();
    const { cookie, csrf } = await demoSession(app);
    const other = await demoSession(app);
    const missing = expectError(
      await request(app).post('/api/applications/orders/stop').set('Cookie', cookie).send({}),
      403,
      'CsrfTokenInvalid',
    );
    expect(missing.message).toMatch(/x-csrf-token/);
    expectError(
      await request(app)
        .post('/api/applications/orders/stop')
        .set('Cookie', cookie)
        .set('x-csrf-token', `${csrf}x`)
        .send({}),
      403,
      'CsrfTokenInvalid',
    );
    // Another session's token is not this session's.
    expectError(
      await request(app)
        .post('/api/applications/orders/stop')
        .set('Cookie', cookie)
        .set('x-csrf-token', other.csrf)
        .send({}),
      403,
      'CsrfTokenInvalid',
    );
    await request(app)
      .post('/api/applications/orders/stop')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({})
      .expect(200, { application: 'orders', message: 'stopping' });
    // Reads need no token.
    await request(app).get('/api/applications').set('Cookie', cookie).expect(200);
  });
});

describe('roles', () => {
  it('lets a demo switch to viewer, who is refused operator actions, and back to operator', async () => {
    const { app } = buildApp();
    const { cookie, csrf } = await demoSession(app);
    expectError(
      await request(app).post('/api/session/role').set('Cookie', cookie).send({ role: 'viewer' }),
      403,
      'CsrfTokenInvalid',
    );
    expectError(
      await request(app)
        .post('/api/session/role')
        .set('Cookie', cookie)
        .set('x-csrf-token', csrf)
        .send({ role: 'root' }),
      400,
      'ValidationError',
    );
    const viewer = await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'viewer' })
      .expect(200);
    expect(SessionInfo.parse(viewer.body)).toEqual({
      user: { name: 'demo-viewer', role: 'viewer' },
      csrfToken: csrf,
      mode: 'demo',
    });

    const stop = () =>
      request(app).post('/api/applications/orders/stop').set('Cookie', cookie).set('x-csrf-token', csrf).send({});
    const denied = expectError(await stop(), 403, 'Forbidden');
    expect(denied.message).toBe(
      'Stopping an application needs the operator role; you are signed in as demo-viewer (viewer).',
    );
    // A viewer-level mutation still passes.
    await request(app)
      .post('/api/applications/orders/refresh')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .expect(200);

    await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'operator' })
      .expect(200);
    await stop().expect(200);
    await request(app)
      .post('/api/session/role')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ role: 'admin' })
      .expect(200);
    await stop().expect(200);
  });

  it('refuses role switching without a session', async () => {
    const { app } = buildApp();
    expectError(await request(app).post('/api/session/role').send({ role: 'admin' }), 401, 'Unauthorized');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the per-session budget, and recovers after the window', async () => {
    const { app, advance } = buildApp({ mutationRateLimit: { windowMs: 60_000, max: 3 } });
    const { cookie, csrf } = await demoSession(app);
    const stop = () =>
      request(app).post('/api/applications/orders/stop').set('Cookie', cookie).set('x-csrf-token', csrf).send({});
    for (let i = 0; i < 3; i++) await stop().expect(200);
    const limited = await stop();
    const err = expectError(limited, 429, 'TooManyRequests');
    expect(err.message).toMatch(/at most 3 per 60 s/);
    expect(limited.headers['retry-after']).toBe('60');
    // A pre-flight is a question, not an action: the dialogs ask it as the operator types.
    await request(app)
      .post('/api/applications/orders/preflight')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({})
      .expect(200, { checks: [] });
    advance(45_000);
    expect((await stop()).headers['retry-after']).toBe('15');
    // Reads are not counted, and another session has its own budget.
    await request(app).get('/api/applications').set('Cookie', cookie).expect(200);
    const other = await demoSession(app);
    await request(app)
      .post('/api/applications/orders/stop')
      .set('Cookie', other.cookie)
      .set('x-csrf-token', other.csrf)
      .send({})
      .expect(200);
    advance(15_000);
    await stop().expect(200);
  });
});

describe('secure headers', () => {
  it('sends a strict CSP and the other helmet headers, without X-Powered-By', async () => {
    const { app } = buildApp();
    for (const res of [await request(app).get('/api/health'), await request(app).get('/api/applications')]) {
      const csp = String(res.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // Plain http demo: no HSTS that would pin https on 127.0.0.1.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('adds HSTS when cookies are Secure (served over TLS)', async () => {
    const { app } = buildApp({ secureCookies: true });
    const res = await request(app).get('/api/health');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(String((await request(app).get('/api/session')).headers['set-cookie'])).toMatch(/Secure/);
  });
});
