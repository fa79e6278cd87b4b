/**
 * Actions. Each one refetches what it certainly changed; the SSE stream carries the rest (status
 * changes, operation phases, snapshots appearing) as the service works through the operation.
 */
import type {
  ActionResponse,
  CreateSnapshotRequest,
  DeleteSnapshotRequest,
  EncryptionRequest,
  KeyActionRequest,
  PreflightRequest,
  PreflightResponse,
  RollbackRequest,
  StartRequest,
  StopRequest,
  UpdateRequest,
  DeleteRequest,
  DemoClockRequest,
  InsightsQueryRequest,
  InsightsStarted,
} from '@mfc/contracts';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import { markAdviceStale } from './queries';

const app = (name: string) => `/applications/${encodeURIComponent(name)}`;

function refreshApp(qc: QueryClient, name: string): void {
  void qc.invalidateQueries({ queryKey: qk.app(name), exact: true });
  void qc.invalidateQueries({ queryKey: qk.operations(name) });
  void qc.invalidateQueries({ queryKey: qk.fleet });
}

export type AppAction =
  | { kind: 'start'; body: StartRequest }
  | { kind: 'stop'; body: StopRequest }
  | { kind: 'rollback'; body: RollbackRequest }
  | { kind: 'update'; body: UpdateRequest }
  | { kind: 'encryption'; body: EncryptionRequest }
  | { kind: 'createSnapshot'; body: CreateSnapshotRequest }
  | { kind: 'deleteSnapshot'; snapshot: string; body: DeleteSnapshotRequest }
  | { kind: 'delete'; body: DeleteRequest };

function request(name: string, action: AppAction): Promise<ActionResponse> {
  switch (action.kind) {
    case 'createSnapshot':
      return api(`${app(name)}/snapshots`, { method: 'POST', body: action.body });
    case 'deleteSnapshot':
      return api(`${app(name)}/snapshots/${encodeURIComponent(action.snapshot)}`, {
        method: 'DELETE',
        body: action.body,
      });
    case 'delete':
      return api(app(name), { method: 'DELETE', body: action.body });
    default:
      return api(`${app(name)}/${action.kind}`, { method: 'POST', body: action.body });
  }
}

export function useAppAction(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: AppAction) => request(name, action),
    onSuccess: (_res, action) => {
      refreshApp(qc, name);
      if (action.kind === 'createSnapshot' || action.kind === 'deleteSnapshot')
        void qc.invalidateQueries({ queryKey: qk.snapshots(name) });
      if (action.kind === 'update' || action.kind === 'rollback' || action.kind === 'encryption')
        void qc.invalidateQueries({ queryKey: qk.versions(name) });
      if (action.kind === 'delete') void qc.invalidateQueries({ queryKey: qk.keys });
      // The advice judged the configuration and job as they were: the next read judges them again.
      if (action.kind === 'update' || action.kind === 'rollback' || action.kind === 'start') {
        markAdviceStale(name);
        void qc.invalidateQueries({ queryKey: qk.advice(name) });
      }
    },
  });
}

/** Pre-flight is a read (POST only because its input is a body); it is not cached. */
export function preflight(name: string, body: PreflightRequest, signal?: AbortSignal): Promise<PreflightResponse> {
  return api(`${app(name)}/preflight`, { method: 'POST', body, ...(signal ? { signal } : {}) });
}

export function useKeyAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ keyId, body }: { keyId: string; body: KeyActionRequest }) =>
      api<ActionResponse>(`/keys/${encodeURIComponent(keyId)}/actions`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.keys });
      // Key state shows on applications (encryption) and snapshots (flags).
      void qc.invalidateQueries({ queryKey: ['app'] });
    },
  });
}

export function useDemoClock() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DemoClockRequest) => api<unknown>('/demo/clock', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.health }),
  });
}

export function useDemoScenario() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ scenario, application }: { scenario: string; application?: string }) =>
      api<unknown>(`/demo/scenarios/${encodeURIComponent(scenario)}`, {
        method: 'POST',
        body: application ? { application } : {},
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.fleet });
      void qc.invalidateQueries({ queryKey: ['app'] });
      void qc.invalidateQueries({ queryKey: qk.keys });
    },
  });
}

export function useDemoReset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<unknown>('/demo/reset', { method: 'POST', body: {} }),
    onSuccess: () => void qc.invalidateQueries(),
  });
}

/** Creates the recommended restart-loop alarm (PutMetricAlarm through the BFF; operator). */
export function useCreateRecommendedAlarm(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<ActionResponse>(`${app(name)}/alarms/recommended`, { method: 'POST', body: {} }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['app', name, 'alarms'] });
      void qc.invalidateQueries({ queryKey: qk.alarmSummary });
    },
  });
}

/** Starts a Logs Insights query over the application's log group. */
export function useStartInsights(name: string) {
  return useMutation({
    mutationFn: (body: InsightsQueryRequest) => api<InsightsStarted>(`${app(name)}/insights`, { method: 'POST', body }),
  });
}

export function useStopInsights(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (queryId: string) =>
      api<unknown>(`${app(name)}/insights/${encodeURIComponent(queryId)}/stop`, { method: 'POST', body: {} }),
    onSuccess: (_r, queryId) => void qc.invalidateQueries({ queryKey: qk.insights(name, queryId) }),
  });
}
