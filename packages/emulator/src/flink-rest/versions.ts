/** The Flink release behind each managed runtime, as the dashboard and /overview report it. */
import type { AppRecord } from '@mfc/engine';

const FLINK_VERSIONS: Record<string, string> = {
  'FLINK-1_6': '1.6.2',
  'FLINK-1_8': '1.8.2',
  'FLINK-1_11': '1.11.1',
  'FLINK-1_13': '1.13.2',
  'FLINK-1_15': '1.15.2',
  'FLINK-1_18': '1.18.1',
  'FLINK-1_19': '1.19.1',
  'FLINK-1_20': '1.20.0',
  'FLINK-2_2': '2.2.0',
  'FLINK-2_3': '2.3.0',
};

export function flinkVersion(app: AppRecord): string {
  const known = FLINK_VERSIONS[app.runtime];
  if (known) return known;
  const m = /FLINK-(\d+)_(\d+)$/.exec(app.runtime);
  return m ? `${m[1]}.${m[2]}.0` : '1.20.0';
}

/** Flink 1.18 moved its RPC from Akka to Pekko; TaskManager paths show which. */
export function rpcScheme(app: AppRecord): 'pekko' | 'akka' {
  const [major = 1, minor = 0] = flinkVersion(app).split('.').map(Number);
  return major > 1 || minor >= 18 ? 'pekko' : 'akka';
}

// Flink's placeholders when a build carries no git information: this is not a real Flink build.
export const FLINK_COMMIT = 'DeadD0d0';
export const FLINK_REVISION = `${FLINK_COMMIT} @ 1970-01-01T01:00:00+01:00`;
