/**
 * All state of the simulation, as tables of plain JSON rows. The emulator persists exactly the rows the
 * journal reports changed; loading the rows back gives the same engine.
 */
import type { BlobRecord, BucketRecord, ObjectRecord } from '../artifacts/artifact-store.js';
import type { KmsAliasRecord, KmsKeyRecord } from '../kms/records.js';
import type { IamPolicyRecord, IamRoleRecord, StsSessionRecord } from '../iam/records.js';
import type { LogGroupRecord } from '../logs/log-groups.js';
import type { AppRecord, OperationRecord, SnapshotRecord, VersionRecord } from '../service/records.js';
import type { ClusterState } from '../flink/cluster-state.js';
import type { ScheduledEvent } from '../time/scheduler.js';
import type { AlarmHistoryRecord, AlarmRecord } from '../cloudwatch/alarm-records.js';
import type { PresignedSession } from '../service/presigned-url.js';
import type { Change } from './table.js';
import { GroupedTable, Journal, Table } from './table.js';

export interface EngineMeta {
  /** Virtual now, epoch ms. */
  now: number;
  nextEventSeq: number;
  seed: string;
  /** Global random state for ids not owned by one application. */
  rng: [number, number, number, number];
  counters: Record<string, number>;
}

export class Store {
  readonly journal = new Journal();
  readonly meta = new Table<EngineMeta>('meta', this.journal);
  readonly apps = new Table<AppRecord>('apps', this.journal);
  readonly versions = new GroupedTable<VersionRecord>('versions', this.journal);
  readonly snapshots = new GroupedTable<SnapshotRecord>('snapshots', this.journal);
  readonly operations = new GroupedTable<OperationRecord>('operations', this.journal);
  readonly clusters = new Table<ClusterState>('clusters', this.journal);
  readonly keys = new Table<KmsKeyRecord>('keys', this.journal);
  readonly aliases = new Table<KmsAliasRecord>('aliases', this.journal);
  readonly buckets = new Table<BucketRecord>('buckets', this.journal);
  readonly objects = new GroupedTable<ObjectRecord>('objects', this.journal);
  readonly blobs = new Table<BlobRecord>('blobs', this.journal);
  readonly events = new Table<ScheduledEvent>('events', this.journal);
  readonly sessions = new Table<PresignedSession>('sessions', this.journal);
  readonly alarms = new Table<AlarmRecord>('alarms', this.journal);
  readonly alarmHistory = new GroupedTable<AlarmHistoryRecord>('alarmHistory', this.journal);
  /** IAM is global: rows keyed `<account>:<lower-case name>`. */
  readonly iamRoles = new Table<IamRoleRecord>('iamRoles', this.journal);
  readonly iamPolicies = new Table<IamPolicyRecord>('iamPolicies', this.journal);
  /** STS temporary credentials by access key id. */
  readonly stsSessions = new Table<StsSessionRecord>('stsSessions', this.journal);
  /** CloudWatch Logs groups created with CreateLogGroup (and tombstones of deleted ones), by account:region:name. */
  readonly logGroups = new Table<LogGroupRecord>('logGroups', this.journal);

  private tables(): Record<string, { load(key: string, value: never): void }> {
    return {
      meta: this.meta,
      apps: this.apps,
      versions: this.versions,
      snapshots: this.snapshots,
      operations: this.operations,
      clusters: this.clusters,
      keys: this.keys,
      aliases: this.aliases,
      buckets: this.buckets,
      objects: this.objects,
      blobs: this.blobs,
      events: this.events,
      sessions: this.sessions,
      alarms: this.alarms,
      alarmHistory: this.alarmHistory,
      iamRoles: this.iamRoles,
      iamPolicies: this.iamPolicies,
      stsSessions: this.stsSessions,
      logGroups: this.logGroups,
    };
  }

  /** Loads stored rows (from SQLite) without marking them changed. Unknown tables are ignored. */
  load(rows: Iterable<Change>): void {
    const tables = this.tables();
    for (const row of rows) {
      if (row.value === undefined || row.value === null) continue;
      tables[row.table]?.load(row.key, row.value as never);
    }
  }

  /** Every row, for a full export. */
  dump(): Change[] {
    const out: Change[] = [];
    for (const [name, t] of Object.entries(this.tables()) as [string, Table<unknown> | GroupedTable<unknown>][])
      for (const [key, value] of t.entries()) out.push({ table: name, key, value });
    return out;
  }
}
