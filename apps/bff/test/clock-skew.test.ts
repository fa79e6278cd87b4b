/**
 * A replica whose clock is wrong cannot keep a session alive past its lifetime, nor end one early: with the
 * PostgreSQL store every session time is the database server's. Two replicas (security layers) share one
 * database; one runs an hour behind, the other an hour ahead.
 */
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurity } from '../src/security/index.js';
import { PostgresStore } from '../src/store/postgres-store.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

const SECRET = 'skew-test-secret-0123456789abcdef0123456789';
const HOUR = 3_600_000;
let pg: PostgresServer;
let store: PostgresStore;

beforeAll(async () => {
  pg = await startPostgres();
  store = await PostgresStore.open({ url: await pg.createDatabase('skew') });
}, 120_000);
afterAll(async () => {
  await store?.close();
  pg?.remove();
});

function replica(offsetMs: number) {
  const security = createSecurity({
    mode: 'demo',
    sessionSecret: SECRET,
    store,
    logger: pino({ level: 'silent' }),
    now: () => Date.now() + offsetMs,
    sessionTtlMs: 600,
    idleTimeoutMs: 60_000,
  });
  const app = express();
  app.use(express.json());
  app.use('/api/session', security.sessionRouter);
  app.use('/api', security.auditMiddleware, security.authenticate);
  app.get('/api/me', (req, res) => void res.json({ user: req.user }));
  return { app, security };
}

describe('replica clocks', () => {
  it('do not extend or shorten a session: the database server’s clock decides', async () => {
    const behind = replica(-HOUR);
    const ahead = replica(HOUR);
    const signIn = await request(behind.app).get('/api/session').expect(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    // An hour ahead, the session is not over before its time...
    await request(ahead.app).get('/api/me').set('Cookie', cookie).expect(200);
    await new Promise((r) => setTimeout(r, 800));
    // ...and an hour behind, it is over once its 600 ms have passed on the server.
    const late = await request(behind.app).get('/api/me').set('Cookie', cookie).expect(401);
    expect(late.body.error.message).toMatch(/expired/);
    behind.security.close();
    ahead.security.close();
  });
});
