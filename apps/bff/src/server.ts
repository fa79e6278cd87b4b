/**
 * The BFF: one Express app serving the console and its API on one port. Every AWS call goes through the
 * AWS SDK, to the embedded emulator (started in-process on a private loopback port), a remote emulator
 * (MFC_ENDPOINT) or real AWS; no route imports the engine.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthResponse } from '@mfc/contracts';
import { refuseNewer, type Emulator } from '@mfc/emulator';
import compression from 'compression';
import express, { type Response } from 'express';
import type { Logger } from 'pino';
import { createClients, type AwsClients } from './aws/clients.js';
import type { Config } from './config.js';
import { AlarmWatcher } from './events/alarm-watcher.js';
import { EventBus } from './events/bus.js';
import { AlarmWebhook } from './events/webhook.js';
import { Watchers } from './events/watchers.js';
import { Api, openApiDocument, type RouteSpec } from './http/api.js';
import { errorHandler, HttpError, sendError } from './http/errors.js';
import { actionRoutes } from './routes/actions.js';
import { applicationRoutes } from './routes/applications.js';
import { demoRoutes } from './routes/demo.js';
import { eventsHandler } from './routes/events.js';
import { keyRoutes } from './routes/keys.js';
import { observabilityRoutes } from './routes/observability.js';
import { preferenceRoutes } from './routes/preferences.js';
import { createSecurity, type Security } from './security/index.js';
import { emulatorChangeSignal, noChangeSignal } from './services/changes.js';
import { emulatorClock, isEmulator, wallClock, type ServiceClock } from './services/clock.js';
import type { JobSnapshot } from './services/applications.js';
import { createServices, type Services } from './services/index.js';
import { PostgresStore } from './store/postgres-store.js';
import { PostgresReadCache, type ReadCache } from './store/read-cache.js';
import { shareReads } from './aws/shared-reads.js';
import { SqliteStore, STORE_SCHEMA } from './store/sqlite-store.js';
import type { SharedStore } from './store/types.js';
import { startEmbeddedEmulator } from './target/embedded.js';
import { LocalCoordinator, type Coordinator } from './coordination/coordinator.js';
import { PostgresCoordinator } from './coordination/postgres-coordinator.js';

export interface Bff {
  url: string;
  /** The declared API routes (the OpenAPI document is generated from them). */
  routes: RouteSpec[];
  server: Server;
  services: Services;
  security: Security;
  bus: EventBus;
  watchers: Watchers;
  alarmWatcher: AlarmWatcher;
  webhook?: AlarmWebhook;
  /** Which replica leads which polling duty. */
  coordinator: Coordinator;
  store: SharedStore;
  emulator?: Emulator;
  /** Before close on SIGTERM: readiness answers 503 and SSE streams end, for MFC_DRAIN_MS. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

const AUDIT_FILE = 'audit.sqlite';
/** Audit entries wait here while the shared store cannot be reached. */
const AUDIT_SPILL_FILE = 'audit-pending.jsonl';

/** The shared store: PostgreSQL when configured (migrated at start), else SQLite in the data directory. */
export async function openStore(config: Config): Promise<SharedStore> {
  if (config.databaseUrl) return PostgresStore.open({ url: config.databaseUrl, applicationName: 'mfc-bff' });
  return new SqliteStore(config.inMemory ? ':memory:' : join(config.dataDir, AUDIT_FILE));
}

/** Fixed credentials for the embedded emulator, which accepts any. */
const EMBEDDED_CREDENTIALS = { accessKeyId: 'AKIDMFCEMBEDDED', secretAccessKey: 'embedded-emulator' };

const DEFAULT_CONSOLE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../console/dist');

/** This replica's name in logs and in PostgreSQL's pg_stat_activity. */
/** Replicas reuse each other's reads of the service for a moment (the pollers read afresh and write through). */
function shareServiceReads(clients: AwsClients, store: PostgresStore, config: Config, logger: Logger): ReadCache {
  const cache = new PostgresReadCache(store.pool);
  shareReads(clients.kinesisAnalytics, 'ka', cache, config.readCacheMs, logger);
  shareReads(clients.cloudWatch, 'cw', cache, config.readCacheMs, logger);
  shareReads(clients.logs, 'logs', cache, config.readCacheMs, logger);
  shareReads(clients.kms, 'kms', cache, config.readCacheMs, logger);
  return cache;
}

const replicaId = () => process.env.MFC_REPLICA_ID ?? `${hostname()}:${process.pid}`;

async function startCoordinator(url: string, store: PostgresStore, logger: Logger): Promise<Coordinator> {
  const c = new PostgresCoordinator({ url, pool: store.pool, replicaId: replicaId(), logger });
  await c.start();
  return c;
}

export async function startBff(config: Config, logger: Logger): Promise<Bff> {
  // A data directory from a newer release is refused before anything in it is opened (the embedded
  // emulator checks its own files the same way).
  if (!config.inMemory) refuseNewer(join(config.dataDir, AUDIT_FILE), STORE_SCHEMA);
  let emulator: Emulator | undefined;
  let clients: AwsClients;
  if (config.target === 'embedded') {
    emulator = await startEmbeddedEmulator(config, (line) => logger.warn({ component: 'emulator' }, line));
    clients = createClients(config.region, emulator.url, EMBEDDED_CREDENTIALS);
  } else clients = createClients(config.region, config.endpoint);
  // A database that cannot be reached stops the start with its reason (after the embedded emulator has
  // checked its own files, so a newer data directory is refused before any file in it is opened).
  let store: SharedStore;
  try {
    store = await openStore(config);
  } catch (e) {
    clients.destroy();
    await emulator?.close();
    throw e;
  }
  const endpoint = emulator?.url ?? config.endpoint;
  const clock: ServiceClock = endpoint && (await isEmulator(endpoint)) ? await emulatorClock(endpoint) : wallClock();

  // Replicas on one database share the polling; one process leads every duty itself.
  const coordinator: Coordinator =
    store instanceof PostgresStore && config.databaseUrl
      ? await startCoordinator(config.databaseUrl, store, logger)
      : new LocalCoordinator();
  const bus = new EventBus(coordinator);
  const readCache =
    store instanceof PostgresStore && config.readCacheMs > 0
      ? shareServiceReads(clients, store, config, logger)
      : undefined;
  // Latest job states: the watchers write them, the views read them.
  const jobs = new Map<string, JobSnapshot>();
  const services = createServices(
    clients,
    clock,
    (app) => jobs.get(app),
    { checkpointStaleMs: config.checkpointStaleMs },
    config.alarms.topicArn,
  );
  if (readCache) services.dashboard.shareReads(readCache, config.readCacheMs);
  // Pending fleet rows (details, or jobs) read in the background: this replica's browsers refetch the fleet.
  services.apps.onFleetDetails =
    services.prober.onProbed =
    services.advisor.onAdvised =
      (changed) => {
        if (changed.length > 0) bus.hint({ type: 'fleet', changed });
      };
  const watchers = new Watchers(
    bus,
    services.apps,
    services.operations,
    services.dashboard,
    jobs,
    config.pollMs,
    logger,
    // The embedded emulator is asked in-process; another emulator over HTTP; AWS cannot say.
    emulator
      ? async () => emulator.stateGeneration()
      : clock.emulatorUrl
        ? emulatorChangeSignal(clock.emulatorUrl)
        : noChangeSignal,
    coordinator,
  );
  const alarmWatcher = new AlarmWatcher(
    services.alarms,
    bus,
    { pollMs: config.alarms.pollMs, fullScanMs: config.alarms.fullScanMs, always: !!config.alarms.webhook },
    logger,
    () => clock.now(),
    coordinator,
  );
  const webhook = config.alarms.webhook
    ? new AlarmWebhook({ ...config.alarms.webhook, backoffMs: 1_000, maxQueue: 1_000, region: config.region }, logger)
    : undefined;
  if (webhook) alarmWatcher.onChange = (change) => webhook.push(change);
  bus.onWatchChange(() => alarmWatcher.reconcile());
  alarmWatcher.reconcile();
  const security = createSecurity({
    mode: config.mode,
    sessionSecret: config.sessionSecret,
    usersFile: config.usersFile,
    ...(config.oidc ? { oidc: config.oidc } : {}),
    store,
    ...(config.inMemory ? {} : { auditSpillFile: join(config.dataDir, AUDIT_SPILL_FILE) }),
    secureCookies: false,
    logger,
  });
  if (!config.inMemory) await import('node:fs').then((fs) => fs.mkdirSync(config.dataDir, { recursive: true }));

  const app = express();
  app.disable('x-powered-by');
  app.use(security.headers);
  // gzip for JSON and the console's assets (the fleet of 1,000 is 299 KB, 6 KB gzipped). The SSE stream
  // says no-transform, which compression honours: its events go out unbuffered.
  app.use(compression());
  app.use((req, res, next) => {
    const started = Date.now();
    res.on('finish', () => {
      if (req.path === '/api/events') return;
      logger.info(
        {
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Date.now() - started,
          user: req.user?.name,
        },
        'request',
      );
    });
    next();
  });
  app.use('/api', express.json({ limit: '256kb' }));

  // Public: health, the API description, and the session endpoints that create a session.
  app.get('/api/health', async (_req, res) => {
    const checks: HealthResponse['checks'] = {};
    try {
      await services.apps.summaries();
      checks.kinesisanalytics = { ok: true };
    } catch (e) {
      checks.kinesisanalytics = { ok: false, message: (e as Error).message };
    }
    let emu: HealthResponse['emulator'];
    if (clock.emulatorUrl) {
      const c = (await fetch(`${clock.emulatorUrl}/_emulator/clock`)
        .then((r) => r.json())
        .catch(() => undefined)) as { timeProfile: string; speed: number; now: number } | undefined;
      if (c) emu = { timeProfile: c.timeProfile, speed: c.speed, now: c.now };
    }
    try {
      await store.now();
      checks.store = { ok: true };
    } catch (e) {
      checks.store = { ok: false, message: (e as Error).message };
    }
    const body: HealthResponse = {
      replica: { id: coordinator.replicaId, store: store.kind, leading: coordinator.leading() },
      status: Object.values(checks).every((c) => c.ok) ? 'ok' : 'degraded',
      target: config.target,
      region: config.region,
      ...(endpoint ? { endpoint: config.target === 'embedded' ? 'embedded emulator' : endpoint } : {}),
      ...(emu ? { emulator: emu } : {}),
      checks,
    };
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });
  // Readiness for a load balancer: the store answers and this replica is not draining. Cheap (no AWS call),
  // so it can be probed every few seconds.
  let draining = false;
  app.get('/api/ready', async (_req, res) => {
    if (draining) return void res.status(503).json({ ready: false, reason: 'draining: shutting down' });
    try {
      await store.now();
      res.json({ ready: true, replica: coordinator.replicaId });
    } catch (e) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({ ready: false, reason: `the store cannot be reached: ${(e as Error).message}` });
    }
  });
  app.use('/api/session', security.sessionRouter);

  const router = express.Router();
  const api = new Api(router, security.requireRole);
  applicationRoutes(api, services);
  actionRoutes(api, services);
  keyRoutes(api, services);
  observabilityRoutes(api, services);
  preferenceRoutes(api, store);
  demoRoutes(api, services);
  const extra = [
    {
      path: '/api/events',
      method: 'get',
      summary: 'Server-Sent Events: application, operation, snapshot, job and alarm changes',
      tag: 'events',
    },
    { path: '/api/audit', method: 'get', summary: 'The audit log of every mutation', tag: 'audit' },
    {
      path: '/api/session',
      method: 'get',
      summary: 'The current session (demo mode signs in; production answers SignedOut when nobody is)',
      tag: 'session',
    },
    { path: '/api/health', method: 'get', summary: 'Health and target', tag: 'health' },
    {
      path: '/api/ready',
      method: 'get',
      summary: 'Readiness: 200 when the store answers and the replica is not draining, else 503',
      tag: 'health',
    },
  ];
  const openapi = openApiDocument(api.specs, extra);
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));

  // Audit first, so refused requests (401, 403, 429) are recorded too.
  app.use('/api', security.auditMiddleware, security.authenticate, security.csrf, security.rateLimit);
  const open = new Set<Response>();
  app.get('/api/events', eventsHandler(bus, open));
  app.get('/api/audit', security.auditRoute);
  app.use('/api', router);
  app.use('/api', (req, res) =>
    sendError(res, new HttpError(404, 'NotFound', `No API route ${req.method} ${req.originalUrl}.`)),
  );

  // The built console, with the SPA's routes falling back to index.html.
  const consoleDir = config.consoleDir ?? DEFAULT_CONSOLE_DIR;
  if (existsSync(join(consoleDir, 'index.html'))) {
    app.use(
      express.static(consoleDir, {
        index: false,
        maxAge: '1h',
        setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('cache-control', 'no-cache'),
      }),
    );
    app.get(/^(?!\/api\/).*/, (_req, res) =>
      res.setHeader('cache-control', 'no-cache').sendFile(join(consoleDir, 'index.html')),
    );
  } else
    app.get('/', (_req, res) =>
      res
        .type('text/plain')
        .send(
          'The console is not built. Run `npm run build` (or `npm start`) at the repository root; the API is at /api.',
        ),
    );
  app.use(errorHandler(logger));

  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = app.listen(config.port, config.host, () => resolveServer(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;

  return {
    url,
    routes: api.specs,
    server,
    services,
    security,
    bus,
    watchers,
    alarmWatcher,
    webhook,
    coordinator,
    store,
    emulator,
    async drain() {
      // Not ready: the load balancer stops sending; open event streams end, and browsers reconnect elsewhere.
      draining = true;
      for (const res of open) res.end();
      if (config.drainMs > 0) await new Promise((r) => setTimeout(r, config.drainMs));
    },
    async close() {
      watchers.stop();
      alarmWatcher.stop();
      await coordinator.close();
      webhook?.close();
      for (const res of open) res.end();
      // close() waits for every connection to end: a browser's keep-alive connection can carry a new
      // request (an EventSource reconnecting) after it, so connections are closed now, not after.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
      clock.close?.();
      clients.destroy();
      security.close();
      await store.close();
      await emulator?.close();
    },
  };
}
