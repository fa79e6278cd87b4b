/**
 * The Flink JobManager REST API v1 behind `CreateApplicationPresignedUrl`: `/flinkdashboard/<id>/...`
 * (also under `/v1/...`), guarded by the session's token, answered from the application's simulated
 * cluster. Read-only: nothing here changes engine state except the session's first use.
 */
import type { IncomingMessage } from 'node:http';
import { DASHBOARD_PATH, type Engine } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import { checkpointConfig, checkpointDetails, checkpointing, checkpointSubtasks } from './checkpoints.js';
import {
  clusterOverview,
  dashboardConfig,
  jobManagerConfig,
  jobManagerEnvironment,
  jobManagerMetrics,
  jobScoped,
} from './cluster.js';
import type { RestContext } from './context.js';
import { dashboardPage, errorPage } from './dashboard-page.js';
import { errorResponse, jsonResponse, RestError } from './errors.js';
import { jobExceptions } from './exceptions.js';
import { jobAccumulators, jobConfig, jobDetails, jobPlanResource, jobsList, jobsOverview, jobStatus } from './jobs.js';
import { aggregatedSubtaskMetrics, jobMetricsResource, subtaskMetrics, vertexMetrics, watermarks } from './metrics.js';
import { authenticate } from './session.js';
import { taskManagerDetails, taskManagerMetrics, taskManagers } from './taskmanagers.js';
import {
  backPressure,
  subtaskAttemptByNumber,
  subtaskCurrentAttempt,
  subtasksAccumulators,
  subtaskTimes,
  vertexAccumulators,
  vertexDetails,
  vertexTaskManagers,
} from './vertices.js';

type Handler = (ctx: RestContext) => unknown;

const VERTEX = 'jobs/:jobid/vertices/:vertexid';

/** Path templates (Flink's, without the leading slash) → handlers. Literal segments win over parameters. */
const ROUTES: [string, Handler][] = [
  ['config', dashboardConfig],
  ['overview', clusterOverview],
  ['jobmanager/config', jobManagerConfig],
  ['jobmanager/metrics', jobManagerMetrics],
  ['jobmanager/environment', jobManagerEnvironment],
  ['taskmanagers', taskManagers],
  ['taskmanagers/:taskmanagerid', taskManagerDetails],
  ['taskmanagers/:taskmanagerid/metrics', taskManagerMetrics],
  ['jobs', jobsList],
  ['jobs/overview', jobsOverview],
  ['jobs/:jobid', jobDetails],
  ['jobs/:jobid/plan', jobPlanResource],
  ['jobs/:jobid/status', jobStatus],
  ['jobs/:jobid/config', jobConfig],
  ['jobs/:jobid/accumulators', jobAccumulators],
  ['jobs/:jobid/exceptions', jobExceptions],
  ['jobs/:jobid/metrics', jobMetricsResource],
  ['jobs/:jobid/jobmanager/config', jobScoped(jobManagerConfig)],
  ['jobs/:jobid/jobmanager/environment', jobScoped(jobManagerEnvironment)],
  ['jobs/:jobid/checkpoints', checkpointing],
  ['jobs/:jobid/checkpoints/config', checkpointConfig],
  ['jobs/:jobid/checkpoints/details/:checkpointid', checkpointDetails],
  ['jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid', checkpointSubtasks],
  [VERTEX, vertexDetails],
  [`${VERTEX}/accumulators`, vertexAccumulators],
  [`${VERTEX}/backpressure`, backPressure],
  [`${VERTEX}/metrics`, vertexMetrics],
  [`${VERTEX}/subtasktimes`, subtaskTimes],
  [`${VERTEX}/taskmanagers`, vertexTaskManagers],
  [`${VERTEX}/watermarks`, watermarks],
  [`${VERTEX}/subtasks/accumulators`, subtasksAccumulators],
  [`${VERTEX}/subtasks/metrics`, aggregatedSubtaskMetrics],
  [`${VERTEX}/subtasks/:subtaskindex`, subtaskCurrentAttempt],
  [`${VERTEX}/subtasks/:subtaskindex/attempts/:attempt`, subtaskAttemptByNumber],
  [`${VERTEX}/subtasks/:subtaskindex/metrics`, subtaskMetrics],
];

/** Every path template served (for tests that check each one is exercised). */
export const ROUTE_TEMPLATES: readonly string[] = ROUTES.map(([template]) => template);

const COMPILED = ROUTES.map(([template, handler]) => ({ segments: template.split('/'), handler }));

export function matchRoute(path: string): { handler: Handler; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  let best: { handler: Handler; params: Record<string, string>; literals: number } | undefined;
  for (const route of COMPILED) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const ok = route.segments.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = part;
        return part !== '';
      }
      literals++;
      return seg === part;
    });
    if (ok && (!best || literals > best.literals)) best = { handler: route.handler, params, literals };
  }
  return best;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const html = (status: number, body: string, headers: Record<string, string>): WireResponse => ({
  status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    // Self-contained: inline styles only, nothing loaded from anywhere.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
    ...headers,
  },
  body,
});

export function handleFlinkRest(engine: Engine, req: IncomingMessage, url: URL): WireResponse {
  const prefix = `${DASHBOARD_PATH}/`;
  const rest = url.pathname.slice(prefix.length);
  const slash = rest.indexOf('/');
  const dashboardId = decode(slash < 0 ? rest : rest.slice(0, slash));
  if (dashboardId === '') return errorResponse(404, `Not found: ${url.pathname}`);
  // The dashboard resolves its XHRs relative to the page: serve it under a trailing slash.
  if (slash < 0)
    return {
      status: 302,
      headers: { location: `${prefix}${encodeURIComponent(dashboardId)}/${url.search}` },
      body: '',
    };

  let path = rest
    .slice(slash + 1)
    .split('/')
    .map(decode)
    .join('/')
    .replace(/\/+$/, '');
  if (path === 'v1' || path.startsWith('v1/')) path = path.slice(3);
  const isPage = path === '' || path === 'index.html';
  let headers: Record<string, string> = {};
  try {
    const { session, setCookie } = authenticate(engine, req, url, dashboardId);
    if (setCookie) headers = { 'set-cookie': setCookie };
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD')
      throw new RestError(405, `The Flink dashboard of a managed application is read-only: ${method} is not allowed.`, {
        allow: 'GET, HEAD',
      });
    const app = engine.store.apps.get(session.appKey);
    if (!app) throw new RestError(503, 'The Flink dashboard is unavailable: the application no longer exists.');
    if (app.status !== 'RUNNING')
      throw new RestError(503, `The Flink dashboard is unavailable while the application is ${app.status}.`);
    const cluster = engine.flink.cluster(app.key);
    if (!cluster) throw new RestError(503, 'The Flink dashboard is unavailable: the cluster is not running.');
    // A checkpoint whose planned end has passed is settled before anyone reads the statistics.
    engine.flink.settle(app.key);
    const ctx: RestContext = { engine, app, cluster, now: engine.now(), params: {}, query: url.searchParams };
    if (isPage) return html(200, dashboardPage(ctx), headers);
    const route = matchRoute(path);
    if (!route) throw new RestError(404, `Not found: /${path}`);
    ctx.params = route.params;
    return jsonResponse(200, route.handler(ctx), headers);
  } catch (e) {
    if (!(e instanceof RestError)) throw e;
    const all = { ...headers, ...e.headers };
    return isPage ? html(e.status, errorPage(e.status, e.message), all) : errorResponse(e.status, e.message, all);
  }
}
