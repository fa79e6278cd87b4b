import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ErrorBody, SessionInfo, SignedOut } from '@mfc/contracts';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecurity,
  hashPassword,
  readUsersFile,
  upsertUser,
  verifyPassword,
  writeUsersFile,
  type SecurityConfig,
} from '../src/security/index.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { main as usersCli } from '../src/security/users-cli.js';

const SECRET = 'production-secret-0123456789abcdefghijklmnop';
let dir: string;
let usersFile: string;
const opened: { close(): void }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfc-security-login-'));
  usersFile = join(dir, 'users.json');
  writeUsersFile(usersFile, [
    { username: 'alice', role: 'operator', passwordHash: await hashPassword('alice-password-1') },
    { username: 'victor', role: 'viewer', passwordHash: await hashPassword('victor-password-1') },
  ]);
  await upsertUser(usersFile, 'ada', 'admin', 'ada-password-123');
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function buildApp(overrides: Partial<SecurityConfig> = {}) {
  let clock = Date.UTC(2025, 0, 1, 9);
  // The store keeps time on the same clock the test moves.
  const store = new SqliteStore(':memory:', () => clock);
  const security = createSecurity({
    mode: 'production',
    sessionSecret: SECRET,
    usersFile,
    store,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    lockout: { maxFailures: 3, lockMs: 15 * 60_000 },
    ...overrides,
  });
  opened.push({ close: () => (security.close(), void store.close()) });
  const app = express();
  app.use(security.headers);
  app.use(express.json());
  app.use('/api/session', security.sessionRouter);
  app.use('/api', security.auditMiddleware, security.authenticate, security.csrf, security.rateLimit);
  app.get('/api/applications', (req, res) => void res.json({ user: req.user }));
  app.post('/api/applications/:name/force-stop', security.requireRole('operator', 'Force-stopping'), (_req, res) => {
    res.json({ message: 'force-stopping' });
  });
  app.delete('/api/keys/:id', security.requireRole('admin', 'Deleting a key'), (_req, res) => void res.json({}));
  return { app, security, advance: (ms: number) => void (clock += ms) };
}

function cookieOf(res: request.Response): string {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('mfc_session='));
  if (!header) throw new Error('no mfc_session cookie was set');
  return header.split(';')[0]!;
}

function login(app: express.Express, username: string, password: string, cookie?: string) {
  const req = request(app).post('/api/session/login').send({ username, password });
  return cookie ? req.set('Cookie', cookie) : req;
}

function errorOf(res: request.Response, status: number, name: string) {
  expect(res.status).toBe(status);
  const body = ErrorBody.parse(res.body);
  expect(body.error).toMatchObject({ name, status });
  return body.error;
}

describe('production sign-in', () => {
  it('does not create sessions on GET /api/session; signs in with the users file', async () => {
    const { app } = buildApp();
    expect((await request(app).get('/api/session').expect(200)).body).toEqual({
      signedIn: false,
      mode: 'production',
      message: 'Sign in to continue.',
      // The users file is the only way in here: no single sign-on is configured.
      methods: ['password'],
    });
    const res = await login(app, 'alice', 'alice-password-1').expect(200);
    const info = SessionInfo.parse(res.body);
    expect(info).toMatchObject({ user: { name: 'alice', role: 'operator' }, mode: 'production' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Secure/); // production default
    const cookie = cookieOf(res);
    await request(app)
      .get('/api/applications')
      .set('Cookie', cookie)
      .expect(200, { user: { name: 'alice', role: 'operator' } });
    expect((await request(app).get('/api/session').set('Cookie', cookie).expect(200)).body).toEqual(info);
  });

  it('answers 401 for a wrong password or an unknown user, with the same message, and 400 for a bad body', async () => {
    const { app } = buildApp();
    const wrong = await login(app, 'alice', 'nope');
    expect(errorOf(wrong, 401, 'Unauthorized').message).toBe('Wrong username or password.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(errorOf(await login(app, 'mallory', 'nope'), 401, 'Unauthorized').message).toBe(
      'Wrong username or password.',
    );
    const bad = errorOf(
      await request(app).post('/api/session/login').send({ username: 'alice' }),
      400,
      'ValidationError',
    );
    expect(bad.issues?.[0]?.path).toBe('password');
  });

  it('locks a username after repeated failures, even for the right password, until the lock time passes', async () => {
    const { app, advance } = buildApp();
    errorOf(await login(app, 'alice', 'wrong-1'), 401, 'Unauthorized');
    errorOf(await login(app, 'alice', 'wrong-2'), 401, 'Unauthorized');
    const third = errorOf(await login(app, 'alice', 'wrong-3'), 401, 'Unauthorized');
    expect(third.message).toMatch(/locked for 15 more minutes/);

    const locked = await login(app, 'alice', 'alice-password-1');
    expect(errorOf(locked, 429, 'LoginLocked').message).toMatch(/Too many failed sign-ins for alice/);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.headers['set-cookie']).toBeUndefined();
    // Other users are unaffected.
    await login(app, 'ada', 'ada-password-123').expect(200);

    advance(14 * 60_000);
    const stillLocked = await login(app, 'alice', 'alice-password-1');
    errorOf(stillLocked, 429, 'LoginLocked');
    expect(stillLocked.headers['retry-after']).toBe('60');
    advance(60_000);
    await login(app, 'alice', 'alice-password-1').expect(200);
  });

  it('forgets failures after a successful sign-in', async () => {
    const { app } = buildApp();
    await login(app, 'alice', 'wrong').expect(401);
    await login(app, 'alice', 'wrong').expect(401);
    await login(app, 'alice', 'alice-password-1').expect(200);
    await login(app, 'alice', 'wrong').expect(401);
    await login(app, 'alice', 'wrong').expect(401);
    await login(app, 'alice', 'alice-password-1').expect(200);
  });

  it('rotates the session id and CSRF token on sign-in; the previous cookie stops working', async () => {
    const { app } = buildApp();
    const first = await login(app, 'alice', 'alice-password-1').expect(200);
    const second = await login(app, 'ada', 'ada-password-123', cookieOf(first)).expect(200);
    expect(cookieOf(second)).not.toBe(cookieOf(first));
    expect(second.body.csrfToken).not.toBe(first.body.csrfToken);
    errorOf(await request(app).get('/api/applications').set('Cookie', cookieOf(first)), 401, 'Unauthorized');
    await request(app)
      .get('/api/applications')
      .set('Cookie', cookieOf(second))
      .expect(200, { user: { name: 'ada', role: 'admin' } });
  });

  it('signs out with the CSRF token; the old cookie no longer works', async () => {
    const { app } = buildApp();
    const res = await login(app, 'alice', 'alice-password-1').expect(200);
    const cookie = cookieOf(res);
    errorOf(await request(app).post('/api/session/logout').set('Cookie', cookie), 403, 'CsrfTokenInvalid');
    await request(app).get('/api/applications').set('Cookie', cookie).expect(200);
    const out = await request(app)
      .post('/api/session/logout')
      .set('Cookie', cookie)
      .set('x-csrf-token', res.body.csrfToken)
      .expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/mfc_session=;.*Expires=Thu, 01 Jan 1970/);
    errorOf(await request(app).get('/api/applications').set('Cookie', cookie), 401, 'Unauthorized');
    const after = await request(app).get('/api/session').set('Cookie', cookie).expect(200);
    expect(SignedOut.parse(after.body).message).toMatch(/session has ended/);
    // Signing out again is harmless.
    await request(app).post('/api/session/logout').set('Cookie', cookie).expect(204);
  });

  it('applies the roles from the users file; role switching is a demo-only 404', async () => {
    const { app } = buildApp();
    const viewer = await login(app, 'victor', 'victor-password-1').expect(200);
    const forceStop = (res: request.Response) =>
      request(app)
        .post('/api/applications/orders/force-stop')
        .set('Cookie', cookieOf(res))
        .set('x-csrf-token', res.body.csrfToken)
        .send({});
    expect(errorOf(await forceStop(viewer), 403, 'Forbidden').message).toBe(
      'Force-stopping needs the operator role; you are signed in as victor (viewer).',
    );
    errorOf(
      await request(app)
        .post('/api/session/role')
        .set('Cookie', cookieOf(viewer))
        .set('x-csrf-token', viewer.body.csrfToken)
        .send({ role: 'admin' }),
      404,
      'NotFound',
    );
    const operator = await login(app, 'alice', 'alice-password-1').expect(200);
    await forceStop(operator).expect(200);
    const delKey = (res: request.Response) =>
      request(app).delete('/api/keys/k1').set('Cookie', cookieOf(res)).set('x-csrf-token', res.body.csrfToken);
    errorOf(await delKey(operator), 403, 'Forbidden');
    await delKey(await login(app, 'ada', 'ada-password-123').expect(200)).expect(200);
  });
});

describe('configuration', () => {
  it('refuses to start production without a users file or with a short secret', () => {
    const base = { mode: 'production' as const, store: new SqliteStore(':memory:'), logger: pino({ level: 'silent' }) };
    expect(() => createSecurity({ ...base, sessionSecret: SECRET })).toThrow(/usersFile/);
    expect(() => createSecurity({ ...base, sessionSecret: 'short', usersFile })).toThrow(/32 characters/);
  });

  it('refuses a users file with a plain password or a duplicate name', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ username: 'bob', role: 'operator', passwordHash: 'hunter2' }]));
    expect(() => readUsersFile(bad)).toThrow(/passwordHash must be scrypt/);
    const dup = readUsersFile(usersFile).slice(0, 1);
    writeFileSync(bad, JSON.stringify([...dup, ...dup]));
    expect(() => readUsersFile(bad)).toThrow(/duplicate username alice/);
  });
});

describe('password hashes and the users file helpers', () => {
  it('hashes with scrypt, salted, and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'scrypt$1$1$1$AAAA$AAAA')).toBe(false);
  });

  it('writes an owner-only file that upsertUser updates in place', async () => {
    const file = join(dir, 'nested', 'users.json');
    await upsertUser(file, 'bob', 'viewer', 'bob-password-123');
    await upsertUser(file, 'bob', 'operator', 'bob-password-456');
    const users = readUsersFile(file);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: 'bob', role: 'operator' });
    expect(await verifyPassword('bob-password-456', users[0]!.passwordHash)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('bob-password');
  });

  it('adds a user from the command line with the password on stdin', async () => {
    const file = join(dir, 'cli-users.json');
    const message = await usersCli([file, 'carol', 'admin'], Readable.from(['carol-password-1\n']));
    expect(message).toMatch(/carol \(admin\)/);
    const [carol] = readUsersFile(file);
    expect(await verifyPassword('carol-password-1', carol!.passwordHash)).toBe(true);
    await expect(usersCli([file, 'carol', 'root'], Readable.from(['x']))).rejects.toThrow(/usage/);
    await expect(usersCli([file, 'carol', 'admin'], Readable.from(['short']))).rejects.toThrow(/at least 12/);
  });
});

describe('parallel guesses', () => {
  it('cannot outrun the lockout by guessing concurrently', async () => {
    const { app } = buildApp();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => login(app, 'alice', `guess-${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});
