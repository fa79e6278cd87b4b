/** CloudWatch alarms on an application and Logs Insights over its log group. */
import * as C from '@mfc/contracts';
import { z } from 'zod';
import type { Api } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../services/index.js';
import { applicationNameParam as name } from './applications.js';

const queryId = (params: Record<string, string>) => {
  if (!/^[\w-]{1,256}$/.test(params.queryId ?? ''))
    throw new HttpError(400, 'ValidationError', `Invalid query id: ${params.queryId}`);
  return params.queryId!;
};

export function observabilityRoutes(api: Api, s: Services): void {
  const tag = 'observability';
  api.add(
    {
      method: 'get',
      path: '/alarms/summary',
      summary: 'Per application: how many CloudWatch alarms watch it and which are in ALARM',
      tag,
      response: C.AlarmSummariesResponse,
    },
    async () => s.alarms.summaries(),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/alarms',
      summary: 'The CloudWatch alarms on the application’s metrics, their state changes and the recommended alarm',
      tag,
      query: z.object({ range: C.MetricRange.default('1h') }),
      response: C.AlarmsResponse,
    },
    async ({ params, query }) => s.alarms.forApplication(name(params), query.range, s.clock.now()),
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/alarms/recommended',
      summary: 'Create the recommended restart-loop alarm (PutMetricAlarm: DIFF of fullRestarts > 0 for 5 minutes)',
      tag,
      role: 'operator',
      status: 201,
      response: C.ActionResponse,
    },
    async ({ params }) => {
      const app = name(params);
      // Only for an application that exists: PutMetricAlarm itself accepts any dimension value.
      await s.apps.describe(app);
      const alarm = await s.alarms.createRecommended(app);
      return { application: app, message: `Created the alarm ${alarm}.` };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/insights',
      summary: 'Start a CloudWatch Logs Insights query over the application’s log group',
      tag,
      body: C.InsightsQueryRequest,
      status: 202,
      response: C.InsightsStarted,
    },
    async ({ params, body }) => s.insights.start(name(params), body.query, body.range, s.clock.now()),
  );

  api.add(
    {
      method: 'get',
      path: '/applications/:name/insights/:queryId',
      summary: 'A Logs Insights query’s status and results so far',
      tag,
      response: C.InsightsResults,
    },
    async ({ params }) => s.insights.results(name(params), queryId(params)),
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/insights/:queryId/stop',
      summary: 'Stop a running Logs Insights query',
      tag,
      status: 202,
    },
    async ({ params }) => {
      await s.insights.stop(name(params), queryId(params));
      return { stopped: true };
    },
  );
}
