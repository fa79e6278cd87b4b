/**
 * Reads as react-query hooks. Freshness comes from the SSE stream (src/api/events.ts); the few intervals
 * below cover what no event announces (restart counters, rates, charts) and stay slow, so an idle tab
 * makes only a handful of requests a minute.
 */
import type {
  AdviceResponse,
  AlarmsResponse,
  AlarmSummariesResponse,
  ApplicationView,
  ArtifactsResponse,
  AuditResponse,
  CheckpointsView,
  DemoScenariosResponse,
  ExceptionsView,
  FleetResponse,
  HealthResponse,
  InsightsResults,
  JobView,
  KeysResponse,
  LogsResponse,
  MetricsResponse,
  OperationsResponse,
  SnapshotsResponse,
  SubtasksView,
  VersionDiff,
  VersionsResponse,
} from '@mfc/contracts';
import {
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import { observeServiceTime } from './clock';
import { markFetched } from './freshness';
import { qk } from './keys';

const enc = encodeURIComponent;
const app = (name: string) => `/applications/${enc(name)}`;

/** Fleet counters (restarts in the last 5 minutes, checkpoint age) move without status changes. */
export const FLEET_REFRESH_MS = 30_000;
/** While the BFF is still reading some fleet rows' details or jobs (its first answer after a start). */
export const PENDING_REFRESH_MS = 3_000;
/** Records/s, backpressure and the latest exception of the job view move between subtask events. */
export const JOB_REFRESH_MS = 20_000;
/** Attempts and durations in an open subtasks table. */
export const VERTEX_REFRESH_MS = 20_000;

export function useHealth(enabled = true) {
  return useQuery({
    enabled,
    queryKey: qk.health,
    queryFn: async ({ signal }) => {
      const h = await api<HealthResponse>('/health', { signal });
      if (h.emulator) observeServiceTime(h.emulator.now, h.emulator.speed);
      return h;
    },
    staleTime: 60_000,
  });
}

/** The fleet's query, shared by useFleet and the first load's prefetch (main.tsx). */
export function fleetQuery() {
  return queryOptions({
    queryKey: qk.fleet,
    queryFn: async ({ signal }) => {
      const f = await api<FleetResponse>('/applications', { signal });
      markFetched(qk.fleet);
      observeServiceTime(f.generatedAt);
      return f;
    },
  });
}

export function useFleet() {
  return useQuery({
    ...fleetQuery(),
    // Rows still being read (details, or jobs) come with a fleet event when done; without the stream,
    // ask again soon.
    refetchInterval: (q) =>
      q.state.data?.applications.some((a) => a.detailsPending || a.jobHealth.unread?.some((u) => u.pending))
        ? PENDING_REFRESH_MS
        : FLEET_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

export function useApplication(name: string) {
  return useQuery({
    queryKey: qk.app(name),
    queryFn: ({ signal }) => api<ApplicationView>(app(name), { signal }),
  });
}

/** The job view's query, shared by useJob and the application page's prefetch (src/job/prefetch.ts). */
export function jobQuery(name: string) {
  return queryOptions({
    queryKey: qk.job(name),
    queryFn: async ({ signal }) => {
      const job = await api<JobView>(`${app(name)}/job`, { signal });
      markFetched(qk.job(name));
      if (job.available) observeServiceTime(job.fetchedAt);
      return job;
    },
  });
}

export function useJob(name: string, enabled = true) {
  return useQuery({
    ...jobQuery(name),
    refetchInterval: JOB_REFRESH_MS,
    refetchIntervalInBackground: false,
    enabled,
  });
}

export function useVertex(name: string, vertexId: string | undefined) {
  return useQuery({
    queryKey: qk.vertex(name, vertexId ?? ''),
    queryFn: async ({ signal }) => {
      const v = await api<SubtasksView>(`${app(name)}/job/vertices/${enc(vertexId!)}`, { signal });
      markFetched(qk.vertex(name, vertexId!));
      return v;
    },
    enabled: vertexId !== undefined,
    // States arrive by event; attempts and durations refresh slowly while the table is open.
    refetchInterval: VERTEX_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

export function useCheckpoints(name: string) {
  return useQuery({
    queryKey: qk.checkpoints(name),
    queryFn: ({ signal }) => api<CheckpointsView>(`${app(name)}/job/checkpoints`, { signal }),
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });
}

export function useExceptions(name: string, enabled: boolean) {
  return useQuery({
    queryKey: qk.exceptions(name),
    queryFn: ({ signal }) => api<ExceptionsView>(`${app(name)}/job/exceptions?max=20`, { signal }),
    enabled,
  });
}

export function useSnapshots(name: string, enabled = true) {
  return useQuery({
    queryKey: qk.snapshots(name),
    queryFn: ({ signal }) => api<SnapshotsResponse>(`${app(name)}/snapshots`, { signal }),
    enabled,
  });
}

export function useOperations(name: string) {
  return useQuery({
    queryKey: qk.operations(name),
    queryFn: ({ signal }) => api<OperationsResponse>(`${app(name)}/operations`, { signal }),
  });
}

export function useVersions(name: string) {
  return useQuery({
    queryKey: qk.versions(name),
    queryFn: ({ signal }) => api<VersionsResponse>(`${app(name)}/versions`, { signal }),
  });
}

export function useVersionDiff(name: string, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: qk.diff(name, from ?? 0, to ?? 0),
    queryFn: ({ signal }) => api<VersionDiff>(`${app(name)}/versions/diff?from=${from}&to=${to}`, { signal }),
    enabled: from !== undefined && to !== undefined && from !== to,
    // Versions are immutable: a diff never changes.
    staleTime: Infinity,
  });
}

export function useMetrics(name: string, range: string) {
  return useQuery({
    queryKey: qk.metrics(name, range),
    queryFn: ({ signal }) => api<MetricsResponse>(`${app(name)}/metrics?range=${enc(range)}`, { signal }),
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
}

export function useLogs(name: string, filter: string) {
  return useInfiniteQuery({
    queryKey: qk.logs(name, filter),
    queryFn: ({ signal, pageParam }) =>
      api<LogsResponse>(
        `${app(name)}/logs?limit=1000${filter ? `&filter=${enc(filter)}` : ''}${pageParam ? `&nextToken=${enc(pageParam)}` : ''}`,
        { signal },
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextToken,
    placeholderData: keepPreviousData,
  });
}

export function useKeys() {
  return useQuery({ queryKey: qk.keys, queryFn: ({ signal }) => api<KeysResponse>('/keys', { signal }) });
}

export function useAudit() {
  return useInfiniteQuery({
    queryKey: qk.audit,
    queryFn: ({ signal, pageParam }) =>
      api<AuditResponse>(`/audit?limit=50${pageParam ? `&before=${pageParam}` : ''}`, { signal }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextBefore,
  });
}

export function useArtifacts(enabled: boolean) {
  return useQuery({
    queryKey: qk.artifacts,
    queryFn: ({ signal }) => api<ArtifactsResponse>('/artifacts', { signal }),
    enabled,
  });
}

export function useScenarios(enabled: boolean) {
  return useQuery({
    queryKey: qk.scenarios,
    queryFn: ({ signal }) => api<DemoScenariosResponse>('/demo/scenarios', { signal }),
    enabled,
    staleTime: Infinity,
  });
}

/** The alarms on an application's metrics over a range (state changes arrive as alarm events). */
export function useAlarms(name: string, range: string) {
  return useQuery({
    queryKey: qk.alarms(name, range),
    queryFn: async ({ signal }) => {
      const r = await api<AlarmsResponse>(`${app(name)}/alarms?range=${enc(range)}`, { signal });
      // Ages ("since 2 min") are measured on the service's clock, which the emulator can move.
      observeServiceTime(r.to);
      return r;
    },
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
}

/** Every application's alarm counts, for the fleet's alarm column. */
export function useAlarmSummaries() {
  return useQuery({
    queryKey: qk.alarmSummary,
    queryFn: ({ signal }) => api<AlarmSummariesResponse>('/alarms/summary', { signal }),
    refetchInterval: 60_000,
    refetchIntervalInBackground: false,
  });
}

/** A Logs Insights query's results: read every second until it is no longer Scheduled or Running. */
export function useInsightsResults(name: string, queryId: string | undefined) {
  return useQuery({
    queryKey: qk.insights(name, queryId ?? ''),
    queryFn: ({ signal }) => api<InsightsResults>(`${app(name)}/insights/${enc(queryId!)}`, { signal }),
    enabled: queryId !== undefined,
    refetchInterval: (q) =>
      q.state.data && q.state.data.status !== 'Scheduled' && q.state.data.status !== 'Running' ? false : 1_000,
    // A finished query's results never change.
    staleTime: Infinity,
  });
}

/** Checkpoints and backpressure move without events: an open Advice section reads the advisor this often. */
export const ADVICE_REFRESH_MS = 60_000;

/**
 * Applications whose kept advice is known to be out of date: an action succeeded, or the status or version
 * changed, since it was judged. The BFF keeps an answer a little while; the next read asks it to judge again.
 */
const adviceStale = new Set<string>();

export function markAdviceStale(name: string): void {
  adviceStale.add(name);
}

/** Writes an answer into the cache, and its count into the fleet's row (the fleet shows the same advice). */
function storeAdvice(qc: QueryClient, advice: AdviceResponse): void {
  qc.setQueryData(qk.advice(advice.application), advice);
  qc.setQueryData<FleetResponse>(qk.fleet, (f) => {
    const i = f ? f.applications.findIndex((a) => a.name === advice.application) : -1;
    if (!f || i === -1 || f.applications[i]!.status !== 'RUNNING') return f;
    const applications = f.applications.slice();
    applications[i] = {
      ...applications[i]!,
      advice: {
        findings: advice.findings.length,
        rules: advice.findings.map((x) => x.rule),
        generatedAt: advice.generatedAt,
      },
    };
    return { ...f, applications };
  });
}

async function readAdvice(name: string, fresh: boolean, signal?: AbortSignal): Promise<AdviceResponse> {
  // Not a reading of the service's clock: a kept answer's generatedAt is as old as the answer.
  return api<AdviceResponse>(`${app(name)}/advice${fresh ? '?fresh=1' : ''}`, signal ? { signal } : {});
}

/** The advisor's findings for one application: evidence, the recommendation and the change that applies it. */
export function useAdvice(name: string, enabled = true) {
  return useQuery({
    queryKey: qk.advice(name),
    queryFn: async ({ signal }) => {
      const fresh = adviceStale.delete(name);
      try {
        return await readAdvice(name, fresh, signal);
      } catch (e) {
        if (fresh) adviceStale.add(name);
        throw e;
      }
    },
    enabled,
    refetchInterval: ADVICE_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

/** "Re-check": the advisor judges the application again now (fresh=1), and the answer replaces the kept one. */
export function useRecheckAdvice(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => readAdvice(name, true),
    onSuccess: (advice) => {
      adviceStale.delete(name);
      storeAdvice(qc, advice);
    },
  });
}
