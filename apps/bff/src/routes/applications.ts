/** Reading applications: the fleet, one application, versions, operations, its job, metrics, logs, snapshots. */
import * as C from '@mfc/contracts';
import { z } from 'zod';
import type { Api } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../services/index.js';

const name = (params: Record<string, string>) => {
  const r = C.ApplicationName.safeParse(params.name);
  if (!r.success) throw new HttpError(400, 'ValidationError', `Invalid application name: ${params.name}`);
  return r.data;
};

export function applicationRoutes(api: Api, s: Services): void {
  const tag = 'applications';
  api.add(
    {
      method: 'get',
      path: '/applications',
      summary: 'The fleet with job health and needs-attention flags',
      tag,
      response: C.FleetResponse,
    },
    async () => {
      const applications = await s.apps.fleet(s.clock.now());
      // The advisor's last counts for RUNNING applications (stale ones are read again in the background).
      const advice = s.advisor.summaries(applications.filter((a) => a.status === 'RUNNING').map((a) => a.name));
      return {
        applications: applications.map((a) => (advice.has(a.name) ? { ...a, advice: advice.get(a.name) } : a)),
        generatedAt: s.clock.now(),
      };
    },
  );

  api.add(
    { method: 'get', path: '/applications/:name', summary: 'One application', tag, response: C.ApplicationView },
    async ({ params }) => s.apps.view(name(params)),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/versions',
      summary: 'Versions (ROLLED_BACK marked)',
      tag,
      response: C.VersionsResponse,
    },
    async ({ params }) => s.apps.versions(name(params)),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/versions/diff',
      summary: 'Differences between two versions',
      tag,
      query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
      response: C.VersionDiff,
    },
    async ({ params, query }) => s.apps.diff(name(params), query.from, query.to),
  );

  api.add(
    { method: 'get', path: '/applications/:name/versions/:versionId', summary: 'One version’s configuration', tag },
    async ({ params }) => {
      const id = Number(params.versionId);
      if (!Number.isInteger(id) || id < 1)
        throw new HttpError(400, 'ValidationError', `Invalid version id: ${params.versionId}`);
      return { version: await s.apps.version(name(params), id) };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/operations',
      summary: 'Operations with their outcome',
      tag,
      response: C.OperationsResponse,
    },
    async ({ params }) => {
      const app = name(params);
      return { operations: await s.downtime.annotate(app, await s.operations.views(app), s.clock.now()) };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/job',
      summary: 'The Flink job graph with subtask states',
      tag: 'job',
      response: C.JobView,
    },
    async ({ params }) => s.job.job(name(params)),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/job/vertices/:vertexId',
      summary: 'Subtasks of one vertex',
      tag: 'job',
      response: C.SubtasksView,
    },
    async ({ params }) => {
      if (!/^[0-9a-f]{32}$/.test(params.vertexId ?? ''))
        throw new HttpError(400, 'ValidationError', 'A vertex id is 32 hex characters.');
      return s.job.subtasks(name(params), params.vertexId!);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/job/checkpoints',
      summary: 'Checkpoint history and configuration',
      tag: 'job',
      response: C.CheckpointsView,
    },
    async ({ params }) => s.job.checkpoints(name(params)),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/job/exceptions',
      summary: 'The job’s exception history',
      tag: 'job',
      query: z.object({ max: z.coerce.number().int().min(1).max(100).default(20) }),
      response: C.ExceptionsView,
    },
    async ({ params, query }) => s.job.exceptions(name(params), query.max),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/metrics',
      summary: 'Metric series over a time range (CloudWatch)',
      tag: 'observability',
      query: z.object({ range: C.MetricRange.default('1h') }),
      response: C.MetricsResponse,
    },
    async ({ params, query }) => s.metrics.series(name(params), query.range, s.clock.now()),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/logs',
      summary: 'The application log (CloudWatch Logs), filterable',
      tag: 'observability',
      query: z.object({
        filter: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        nextToken: z.string().max(1024).optional(),
      }),
      response: C.LogsResponse,
    },
    async ({ params, query }) => s.logs.lines(name(params), query),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/advice',
      summary: 'The advisor’s findings: evidence, the recommended change, and the update that applies it',
      tag: 'advisor',
      query: z.object({ fresh: z.enum(['0', '1']).default('0') }),
      response: C.AdviceResponse,
    },
    async ({ params, query }) => s.advisor.forApplication(name(params), query.fresh === '1'),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/snapshots',
      summary: 'Snapshots with their keys, and the quota',
      tag: 'snapshots',
      response: C.SnapshotsResponse,
    },
    async ({ params }) => s.apps.snapshotViews(name(params)),
  );

  api.add(
    {
      method: 'get',
      path: '/artifacts',
      summary: 'Code packages in S3',
      tag: 'applications',
      response: C.ArtifactsResponse,
    },
    async () => s.artifacts.list(),
  );
}

export { name as applicationNameParam };
