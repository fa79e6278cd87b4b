/**
 * The emulator's HTTP server: AWS JSON services on `POST /` by X-Amz-Target, AWS Query services (IAM, STS)
 * on `POST /` by the form's Action, the S3 subset (path style), the Flink dashboard REST API under the
 * presigned path, and `/_emulator/*` administration. Requests are handled one at a time against the
 * synchronous engine, and every change is committed before the answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Engine, type CallContext, type EngineOptions, type TimeProfileName } from '@mfc/engine';
import { handleAdmin } from './admin/admin-routes.js';
import { handleFlinkRest } from './flink-rest/router.js';
import { DEMO_HISTORY_MS, seedDemoFleet } from './admin/demo-fleet.js';
import { parseAuthorization, PrincipalDirectory, type Principal } from './auth/sigv4.js';
import { verifySignature } from './auth/strict-auth.js';
import { Pacer } from './pacer.js';
import { refuseNewer } from './persistence/schema.js';
import {
  LIFECYCLE_FILE,
  LIFECYCLE_SCHEMA,
  MemoryStateStore,
  SqliteStateStore,
  type StateStore,
} from './persistence/state-store.js';
import { TELEMETRY_FILE, TELEMETRY_SCHEMA, TelemetryStore } from './persistence/telemetry-store.js';
import { errorResponse, invoke, type JsonService, type WireResponse } from './protocol/json-rpc.js';
import { ReadCache } from './protocol/read-cache.js';
import { formParams, invokeQuery, queryAuthError, type QueryService } from './protocol/query.js';
import { handleS3, s3ErrorResponse } from './s3/s3-handler.js';
import { kinesisAnalyticsService } from './services/kinesis-analytics.js';
import { cloudWatchService } from './services/cloudwatch.js';
import { kmsService } from './services/kms.js';
import { logsService } from './services/logs.js';
import { iamService } from './services/iam.js';
import { stsService } from './services/sts.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Directory of the SQLite state; ignored with inMemory. */
  dataDir?: string;
  inMemory?: boolean;
  timeProfile?: TimeProfileName;
  /** Virtual seconds per wall second. */
  speed?: number;
  seed?: string | number;
  /** Verify SigV4 signatures against the principals' secret keys. */
  strictAuth?: boolean;
  principals?: Record<string, Principal>;
  /** Seed the demo fleet on a fresh state. */
  demo?: boolean;
  limits?: EngineOptions['limits'];
  /** Log lines (default: none). */
  log?: (line: string) => void;
  /** Tests: compute every cached read again and count the answers that differ (readCache.mismatches). */
  verifyReadCache?: boolean;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  engine(): Engine;
  readonly pacer: Pacer;
  readonly store: StateStore;
  /** Metric and log history in the data directory (undefined in memory). */
  readonly telemetry?: TelemetryStore;
  readonly readCache: ReadCache;
  /**
   * Changes whenever a change of state is committed (or the emulator resets); while it is the same, every
   * read-only call answers the same. Virtual time due so far is applied first.
   */
  stateGeneration(): string;
  /** Runs `fn` against the engine and commits its changes (for in-process callers and tests). */
  mutate<T>(fn: (engine: Engine) => T): T;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 80 * 1024 * 1024;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const log = opts.log ?? (() => {});
  const dataDir = opts.dataDir ?? '.mfc-data';
  // A data directory from a newer release is refused before any of its files is opened.
  if (!opts.inMemory) {
    refuseNewer(join(dataDir, LIFECYCLE_FILE), LIFECYCLE_SCHEMA);
    refuseNewer(join(dataDir, TELEMETRY_FILE), TELEMETRY_SCHEMA);
  }
  const store: StateStore = opts.inMemory ? new MemoryStateStore() : new SqliteStateStore(dataDir);
  let telemetry: TelemetryStore | undefined;
  try {
    telemetry = store.dataDir ? new TelemetryStore(store.dataDir, log) : undefined;
  } catch (e) {
    store.close();
    throw e;
  }
  if (!store.cleanShutdown)
    log(`the previous run on ${store.dataDir} did not shut down cleanly; resuming from its last commit`);
  const engineOptions = (): EngineOptions => ({
    seed: opts.seed ?? 'mfc',
    timeProfile: opts.timeProfile ?? 'fast',
    // Virtual time starts at wall time so timestamps look real; a restored state resumes its own clock.
    startTime: Date.now() - (opts.demo ? DEMO_HISTORY_MS : 0),
    limits: opts.limits,
  });
  const rows = store.load();
  let engine = new Engine(engineOptions(), rows.length > 0 ? rows : undefined);
  // A restored engine keeps its stored profile only if the caller did not choose one.
  if (opts.timeProfile) engine.setTimeProfile(opts.timeProfile);
  telemetry?.attach(engine);
  const readCache = new ReadCache();
  const commit = (withMeta = false) => {
    const changes = engine.drainChanges(withMeta);
    readCache.invalidateFor(changes);
    store.commit(changes);
  };
  const pacer = new Pacer(engine, opts.speed ?? 1, commit, (e) => log(`scheduler error: ${String(e)}`));
  const directory = new PrincipalDirectory(opts.principals ?? {});
  const services: Record<string, JsonService> = {
    KinesisAnalytics_20180523: kinesisAnalyticsService(() => engine),
    TrentService: kmsService(() => engine),
    GraniteServiceVersion20100801: cloudWatchService(
      () => engine,
      () => telemetry,
    ),
    Logs_20140328: logsService(() => engine),
  };
  // AWS Query protocol services, by signing name (credential scope service).
  const queryServices: Record<string, QueryService> = {
    iam: iamService(() => engine),
    sts: stsService(() => engine),
  };

  const emulator: Emulator = {
    url: '',
    port: 0,
    server: undefined as unknown as Server,
    engine: () => engine,
    pacer,
    store,
    telemetry,
    readCache,
    stateGeneration() {
      pacer.sync();
      commit();
      return readCache.generation;
    },
    mutate(fn) {
      pacer.sync();
      const out = fn(engine);
      commit();
      return out;
    },
    reset() {
      store.clear();
      telemetry?.clear();
      readCache.invalidate();
      engine = new Engine(engineOptions());
      telemetry?.attach(engine);
      commit();
      pacer.replace(engine);
      if (opts.demo) void seedDemo();
    },
    close: async () => {
      // Virtual time up to now is run and recorded, so a restart resumes exactly where this stopped.
      pacer.sync();
      commit(true);
      pacer.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      telemetry?.close();
      store.close();
    },
  };

  const seedDemo = async () => {
    emulator.mutate((e) => seedDemoFleet(e));
    pacer.replace(engine);
  };

  const server = createServer((req, res) => {
    // Answered from the body's 'end' event itself (no promise hop): the common call is a small POST.
    readBody(req, (body) => {
      try {
        if (body === undefined)
          return send(res, errorResponse(413, 'RequestEntityTooLargeException', 'Request body too large.'));
        handle(req, res, body);
      } catch (e) {
        log(`request failed: ${e instanceof Error ? e.stack : String(e)}`);
        if (!res.headersSent)
          send(res, errorResponse(500, 'InternalFailure', 'The emulator failed to process the request.'));
      }
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    pacer.sync();
    const out = route(req, body);
    // Committed before the answer: an acknowledged change survives a crash.
    commit();
    send(res, out);
  }

  function route(req: IncomingMessage, body: Buffer): WireResponse {
    const target = req.headers['x-amz-target'];
    // The AWS JSON protocol's POST / needs no URL parsing.
    if (req.method === 'POST' && req.url === '/' && typeof target === 'string') return handleJson(req, target, body);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/_emulator/'))
      return handleAdmin({ emulator, url, method: req.method ?? 'GET', body, pacer, seedDemo });
    // The Flink dashboard REST API, at the path CreateApplicationPresignedUrl hands out (authToken-guarded).
    if (url.pathname.startsWith('/flinkdashboard/')) return handleFlinkRest(engine, req, url);
    if (req.method === 'POST' && url.pathname === '/' && typeof target === 'string')
      return handleJson(req, target, body);
    // An AWS JSON request without its target is the JSON protocol's error, not S3's XML one.
    const json = /^application\/x-amz-json-1\.[01]\b/.exec(req.headers['content-type'] ?? '');
    if (json && req.method === 'POST')
      return errorResponse(
        400,
        'UnknownOperationException',
        'The request has no X-Amz-Target header naming the operation.',
        json[0],
      );
    const query = queryRequest(req, url, body);
    if (query) return handleQuery(req, query.service, query.params, body);
    const auth = authenticate(req, body);
    if ('status' in auth) return s3AuthError(req, auth);
    return handleS3(engine, req, url, body, auth, (what) => log(`unknown operation: ${what}`));
  }

  function authenticate(req: IncomingMessage, body: Buffer): CallContext | WireResponse {
    const parsed = parseAuthorization(req.headers);
    if (!parsed.ok) return errorResponse(parsed.status, parsed.type, parsed.message);
    const { credential } = parsed;
    // Temporary credentials STS issued act as the identity they were issued for, until they expire.
    const temporary = engine.sts.session(credential.accessKeyId);
    if (temporary && engine.sts.expired(temporary))
      return errorResponse(400, 'ExpiredTokenException', 'The security token included in the request is expired');
    const issued: Principal | undefined = temporary && {
      account: temporary.account,
      principal: temporary.principal,
      secretAccessKey: temporary.secretAccessKey,
    };
    let principal = issued ?? directory.resolve(credential.accessKeyId);
    if (opts.strictAuth) {
      const known = issued ?? directory.lookup(credential.accessKeyId);
      if (temporary && req.headers['x-amz-security-token'] !== temporary.sessionToken)
        return errorResponse(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      if (!known)
        return errorResponse(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      const problem = verifySignature(req, body, credential, known.secretAccessKey ?? '');
      if (problem) return errorResponse(problem.status, problem.type, problem.message);
      principal = known;
    }
    return {
      account: principal.account,
      region: credential.region,
      principal: principal.principal,
      endpoint: `http://${req.headers.host ?? `127.0.0.1:${emulator.port}`}`,
    };
  }

  /**
   * An AWS Query request (IAM, STS): POST / with a form body (or GET / with the parameters in the URL)
   * signed for one of those services, or whose Action one of their models has.
   */
  function queryRequest(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
  ): { service: QueryService; params: Map<string, string> } | undefined {
    if (url.pathname !== '/') return undefined;
    const parsed = parseAuthorization(req.headers);
    const signedFor = parsed.ok ? queryServices[parsed.credential.service] : undefined;
    let params: Map<string, string>;
    if (req.method === 'POST' && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? ''))
      params = formParams(body.toString('utf8'));
    else if (req.method === 'GET' && signedFor && url.searchParams.has('Action'))
      params = formParams(url.search.slice(1));
    else return undefined;
    if (signedFor) return { service: signedFor, params };
    const action = params.get('Action');
    const service = action
      ? Object.values(queryServices).find((s) => Object.hasOwn(s.model.operations, action))
      : undefined;
    return service && { service, params };
  }

  function handleQuery(req: IncomingMessage, service: QueryService, params: Map<string, string>, body: Buffer) {
    const ctx = authenticate(req, body);
    if ('status' in ctx) return queryAuthError(service, ctx);
    const { response, unknownAction } = invokeQuery(service, params, ctx);
    if (unknownAction !== undefined)
      log(
        `unknown operation: ${service.name} ${unknownAction} (Query, Version=${params.get('Version') ?? '-'}; answered InvalidAction)`,
      );
    return response;
  }

  function handleJson(req: IncomingMessage, target: string, body: Buffer): WireResponse {
    const dot = target.lastIndexOf('.');
    const service = services[target.slice(0, dot)];
    if (!service || dot < 0) {
      log(`unknown operation: ${target} (answered UnknownOperationException)`);
      return errorResponse(400, 'UnknownOperationException', `Unknown operation ${target}`);
    }
    const ctx = authenticate(req, body);
    if ('status' in ctx) return ctx;
    const text = body.toString('utf8');
    const key = readCache.keyOf(target, text, ctx);
    if (key === undefined) {
      const answer = invoke(service, target.slice(dot + 1), text, ctx);
      if (answer.headers['x-amzn-errortype'] === 'UnknownOperationException')
        log(`unknown operation: ${service.name} ${target.slice(dot + 1)} (answered UnknownOperationException)`);
      return answer;
    }
    const cached = readCache.get(key);
    if (cached && !opts.verifyReadCache) return cached;
    const out = invoke(service, target.slice(dot + 1), text, ctx);
    if (cached && String(cached.body) !== String(out.body)) {
      readCache.mismatches++;
      log(`read cache mismatch for ${target}: ${text}`);
    }
    readCache.put(key, out);
    return out;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(emulator, { url: `http://${opts.host ?? '127.0.0.1'}:${port}`, port, server });
  if (rows.length === 0) {
    commit();
    if (opts.demo) await seedDemo();
  }
  pacer.sync();
  return emulator;
}

/** S3 clients read errors as XML with S3's own codes for the authentication failures. */
const S3_AUTH_CODES: Record<string, [string, string]> = {
  UnrecognizedClientException: [
    'InvalidAccessKeyId',
    'The AWS Access Key Id you provided does not exist in our records.',
  ],
  MissingAuthenticationTokenException: ['AccessDenied', 'Access Denied'],
  IncompleteSignatureException: ['AuthorizationHeaderMalformed', 'The authorization header is malformed.'],
  ExpiredTokenException: ['ExpiredToken', 'The provided token has expired.'],
};

function s3AuthError(req: IncomingMessage, json: WireResponse): WireResponse {
  const type = json.headers['x-amzn-errortype'] ?? 'AccessDenied';
  const [code, message] = S3_AUTH_CODES[type] ?? [type, (JSON.parse(String(json.body)) as { message: string }).message];
  return s3ErrorResponse(json.status, code, message, req.method);
}

/** Calls `done` with the whole body, or undefined when it is over MAX_BODY; an aborted request gets no call. */
function readBody(req: IncomingMessage, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => done(size > MAX_BODY ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  req.on('error', () => undefined);
}

function send(res: ServerResponse, out: WireResponse): void {
  res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
  res.end(out.body);
}
