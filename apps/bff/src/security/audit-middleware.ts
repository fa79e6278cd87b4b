/**
 * Records every mutation in the audit log once its response is done: who, what, on which target,
 * with which parameters (secrets removed), the outcome and the operation id.
 */
import type { AuditEntry } from '@mfc/contracts';
import type { Request, RequestHandler, Response } from 'express';
import type { SecurityContext } from './context.js';
import { isMutation } from './csrf.js';
import './express-types.js';

/** Keys whose values never reach the log (passwords, tokens, secret keys; not "keyId" or "keyType"). */
const SECRET_KEY = /pass(word|phrase)?|secret|token|authorization|cookie|credential|private.?key|api.?key|session.?id/i;
const MAX_PARAMS_CHARS = 16_384;

export function redactParams(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  const clean = redact(body);
  const params =
    typeof clean === 'object' && clean !== null && !Array.isArray(clean)
      ? (clean as Record<string, unknown>)
      : { body: clean };
  const json = JSON.stringify(params);
  // Bodies are small by design; a huge one is summarised rather than bloating every audit page.
  return json.length > MAX_PARAMS_CHARS ? { truncated: true, preview: json.slice(0, 1000) } : params;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 10) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k)) out[k] = redact(v, depth + 1);
    return out;
  }
  return value;
}

export function outcomeOf(status: number): AuditEntry['outcome'] {
  if (status >= 200 && status < 300) return 'success';
  if (status === 401 || status === 403 || status === 429) return 'denied';
  return 'failure';
}

/**
 * Writes an entry and resolves once it is durable (in the store, or spilled to the data directory while
 * the store is down); logs instead of throwing: a full disk must not turn into a crashed request.
 */
export async function recordAudit(ctx: SecurityContext, entry: Omit<AuditEntry, 'id'>): Promise<void> {
  try {
    await ctx.audit.record(entry);
  } catch (err) {
    ctx.logger.error({ err, audit: entry }, 'could not write the audit log');
  }
}

/**
 * Express resets req.baseUrl and req.params when an error leaves a router with next(err), before the
 * error handler responds. These hooks keep what the matched route saw, so the entry names the route.
 */
type Params = Record<string, string | string[]>;

function captureRoute(req: Request): () => { path?: string; params: Params } {
  let route: { path?: unknown } | undefined;
  let routeBase = '';
  let params: Params = req.params;
  let routeParams: Params = {};
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      routeBase = req.baseUrl;
    },
  });
  Object.defineProperty(req, 'params', {
    configurable: true,
    enumerable: true,
    get: () => params,
    set: (value: Params) => {
      params = value;
      if (value && Object.keys(value).length > 0) routeParams = value;
    },
  });
  return () => ({
    path: typeof route?.path === 'string' ? `${routeBase}${route.path}` : undefined,
    params: { ...routeParams, ...params },
  });
}

export function createAuditMiddleware(ctx: SecurityContext): RequestHandler {
  return (req, res, next) => {
    if (!isMutation(req)) return next();
    const routeInfo = captureRoute(req);
    let sent: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      sent = body;
      return json(body);
    };
    let done = false;
    const record = async (finished: boolean) => {
      if (done) return;
      done = true;
      if (res.locals.auditRecorded || (res.locals.readOnly && res.statusCode < 400)) return;
      await recordAudit(ctx, entryFor(ctx, req, res, routeInfo(), sent, finished));
    };
    // Written before the answer leaves: an acknowledged action is in the log even if the process dies
    // right after. A client that left before any answer is recorded when the connection closes.
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (done) return end(...args);
      void record(true).finally(() => end(...args));
      return res;
    }) as Response['end'];
    res.once('close', () => void record(res.writableFinished));
    next();
  };
}

function entryFor(
  ctx: SecurityContext,
  req: Request,
  res: Response,
  route: { path?: string; params: Params },
  sent: unknown,
  finished: boolean,
): Omit<AuditEntry, 'id'> {
  const status = res.statusCode;
  const named = res.locals.audit ?? {};
  const path = route.path ?? req.originalUrl.split('?')[0] ?? req.originalUrl;
  const operationId = res.locals.operationId ?? stringField(sent, 'operationId');
  let error = res.locals.auditError ?? (status >= 400 ? errorMessage(sent) : undefined);
  if (!finished && error === undefined) error = 'the client disconnected before the response was sent';
  return {
    at: ctx.now(),
    user: req.user?.name ?? 'anonymous',
    role: req.user?.role ?? '',
    action: named.action ?? `${req.method} ${path}`,
    target: named.target ?? paramText(route.params.name) ?? paramText(route.params.id) ?? '',
    params: redactParams(req.body),
    outcome: finished ? outcomeOf(status) : 'failure',
    ...(operationId !== undefined ? { operationId } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** Express 5 gives wildcard params as arrays of segments. */
function paramText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join('/') : value;
}

function stringField(body: unknown, key: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function errorMessage(body: unknown): string | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  return stringField(error, 'message');
}
