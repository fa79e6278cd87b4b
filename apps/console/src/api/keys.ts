/**
 * Query keys. Everything about one application sits under ['app', name] so an event or a deletion can
 * reach all of it with one prefix; the application view itself is that key exactly.
 */
export const qk = {
  health: ['health'] as const,
  fleet: ['fleet'] as const,
  app: (name: string) => ['app', name] as const,
  job: (name: string) => ['app', name, 'job'] as const,
  vertex: (name: string, vertexId: string) => ['app', name, 'job', 'vertex', vertexId] as const,
  checkpoints: (name: string) => ['app', name, 'checkpoints'] as const,
  exceptions: (name: string) => ['app', name, 'exceptions'] as const,
  snapshots: (name: string) => ['app', name, 'snapshots'] as const,
  operations: (name: string) => ['app', name, 'operations'] as const,
  versions: (name: string) => ['app', name, 'versions'] as const,
  diff: (name: string, from: number, to: number) => ['app', name, 'diff', from, to] as const,
  metrics: (name: string, range: string) => ['app', name, 'metrics', range] as const,
  logs: (name: string, filter: string) => ['app', name, 'logs', filter] as const,
  alarms: (name: string, range: string) => ['app', name, 'alarms', range] as const,
  /** Every application's alarm counts (the fleet's alarm column). */
  alarmSummary: ['alarms', 'summary'] as const,
  insights: (name: string, queryId: string) => ['app', name, 'insights', queryId] as const,
  /** The advisor's findings for one application (under the application: its events reach it). */
  advice: (name: string) => ['app', name, 'advice'] as const,
  keys: ['keys'] as const,
  audit: ['audit'] as const,
  artifacts: ['artifacts'] as const,
  scenarios: ['demo', 'scenarios'] as const,
};
