/**
 * /jobs/{jid}/exceptions in Flink 2.0's shape: the exception history, newest first, cut to
 * `maxExceptions` (default 20, as Flink's) with `truncated` saying whether more exist.
 */
import { currentJob, requireKnownJob, type RestContext } from './context.js';
import { badRequest } from './errors.js';

export interface ExceptionInfo {
  exceptionName: string;
  stacktrace: string;
  timestamp: number;
  taskName: string;
  endpoint: string;
  taskManagerId: string;
  failureLabels: Record<string, string>;
}

export interface RootExceptionInfo extends ExceptionInfo {
  concurrentExceptions: ExceptionInfo[];
}

export interface JobExceptions {
  exceptionHistory: { truncated: boolean; entries: RootExceptionInfo[] };
}

const DEFAULT_MAX = 20;

export function jobExceptions(ctx: RestContext): JobExceptions {
  requireKnownJob(ctx);
  // A finished job's history is not kept by the cluster: it answers with none.
  const view = currentJob(ctx);
  const raw = ctx.query.get('maxExceptions');
  if (raw !== null && !/^\d+$/.test(raw)) throw badRequest(`Cannot parse query parameter maxExceptions: '${raw}'.`);
  const max = raw === null ? DEFAULT_MAX : Number(raw);
  const all = [...(view?.job.exceptions ?? [])].reverse();
  // Failure labels filter (`key:value`): the simulation attaches no labels, so any filter matches nothing.
  const filtered = ctx.query.getAll('failureLabelFilter').some((f) => f !== '') ? [] : all;
  return {
    exceptionHistory: {
      truncated: filtered.length > max,
      entries: filtered.slice(0, max).map((e) => ({
        exceptionName: e.exceptionName,
        stacktrace: e.stacktrace,
        timestamp: e.timestamp,
        taskName: e.taskName,
        endpoint: e.endpoint,
        taskManagerId: e.taskManagerId,
        failureLabels: {},
        concurrentExceptions: [],
      })),
    },
  };
}
