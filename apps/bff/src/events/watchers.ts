/**
 * Pollers that turn the service's state into events. The fleet poller runs while any browser listens
 * (and, every few seconds, judges the RUNNING applications' health again: a fleet event names those
 * whose signals changed); an application poller runs while at least one browser watches that application (one per application,
 * shared by all its viewers) and stops when the last one leaves.
 */
import { decodeSubtaskRuns, encodeSubtaskRuns, type ServerEvent } from '@mfc/contracts';
import type { Logger } from 'pino';
import { freshReads } from '../aws/shared-reads.js';
import type { ApplicationsService, JobSnapshot } from '../services/applications.js';
import { DashboardUnavailable, type DashboardClient } from '../services/dashboard.js';
import type { FlinkJobDetails, FlinkJobsList, FlinkVertexDetails } from '../services/flink-types.js';
import { noChangeSignal, type ChangeSignal } from '../services/changes.js';
import { inferPhases, type OperationsService } from '../services/operations.js';
import { LocalCoordinator, type Coordinator } from '../coordination/coordinator.js';
import type { EventBus } from './bus.js';

/** What the fleet duty's leader knows, kept for whoever leads it next. */
interface FleetState {
  statuses: Record<string, string>;
  primed: boolean;
}
/** What an application duty's leader knows, kept for whoever leads it next. */
interface AppState {
  ops?: string;
  snapshots?: Record<string, string>;
}

const FLEET_DUTY = 'fleet';
const appDuty = (app: string) => `app:${app}`;

const ACTIVE_JOB = new Set([
  'RUNNING',
  'RESTARTING',
  'CREATED',
  'INITIALIZING',
  'FAILING',
  'CANCELLING',
  'RECONCILING',
]);

/** The longest a watched job's per-subtask states go unread while its counts by state do not move. */
const FULL_JOB_READ_MS = 5_000;
/**
 * How often, while browsers listen, every RUNNING application is judged again from fresh reads of its job
 * and metrics (the prober reads a job again only when its read is older than its TTL, 5 s).
 */
export const HEALTH_REFRESH_MS = 5_000;

interface AppRead {
  generation: string | undefined;
  detail: Awaited<ReturnType<ApplicationsService['describe']>>;
  operations: Awaited<ReturnType<OperationsService['list']>>;
}

/**
 * A poll that runs every interval, never two ticks at once; a failed tick is logged and the next one runs.
 * A tick that overruns the interval is followed at once by the next (no beat is skipped), so a slow read
 * delays the next one by its own length, not by a whole extra interval.
 */
export class Loop {
  private timer?: NodeJS.Timeout;
  private active = false;
  /** Each start begins a new chain of ticks; a stopped chain's last tick schedules nothing. */
  private generation = 0;
  private inFlight?: Promise<void>;
  constructor(
    private intervalMs: number,
    private tick: () => Promise<void>,
    private log: Logger,
  ) {}
  start(): void {
    if (this.active) return;
    this.active = true;
    const generation = ++this.generation;
    const run = () => {
      if (!this.active || generation !== this.generation) return;
      const started = Date.now();
      this.timer = undefined;
      this.inFlight = this.tick()
        .catch((e: unknown) => this.log.debug({ err: e }, 'poll failed'))
        .finally(() => {
          this.inFlight = undefined;
          if (!this.active || generation !== this.generation) return;
          this.timer = setTimeout(run, Math.max(0, this.intervalMs - (Date.now() - started)));
          this.timer.unref();
        });
    };
    // Never two ticks at once: a restart waits for the tick still running.
    if (this.inFlight) void this.inFlight.then(run);
    else run();
  }
  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
  get running(): boolean {
    return this.active;
  }
}

export class Watchers {
  private fleetLoop: Loop;
  private appLoops = new Map<string, Loop>();
  private lastFleet = new Map<string, string>();
  private fleetPrimed = false;
  private lastOps = new Map<string, string>();
  private lastSnapshots = new Map<string, Map<string, string>>();
  private lastJob = new Map<string, string>();
  /** Per watched job: its subtask counts by state at the last full read of its vertices, and when that was. */
  private jobCounts = new Map<string, { counts: string; readAt: number }>();
  /** The target's generation at the last complete fleet read (undefined: read every time). */
  private fleetGeneration?: string;
  /** Per watched application: what its last complete read saw, and at which generation. */
  private appReads = new Map<string, AppRead>();
  /** The health round in flight, and when the last one began (wall time). */
  private healthRound?: Promise<void>;
  private healthAt = 0;
  constructor(
    private bus: EventBus,
    private apps: ApplicationsService,
    private operations: OperationsService,
    private dashboard: DashboardClient,
    /** Latest known job state per application, written here and read by the views and fleet health. */
    readonly jobs: Map<string, JobSnapshot>,
    private pollMs: number,
    private log: Logger,
    /** Lets a poll skip its reads when the target says nothing changed (an emulator can; AWS cannot). */
    private changes: ChangeSignal = noChangeSignal,
    /** Elects the replica that polls: one per duty across replicas (this process alone without a database). */
    private coordinator: Coordinator = new LocalCoordinator(),
  ) {
    // The pollers read afresh: a replica's cached read must not delay what its leader sees.
    this.fleetLoop = new Loop(pollMs, () => freshReads(() => this.pollFleet()), log);
    bus.onWatchChange(() => this.reconcile());
    // Every replica keeps the latest job states it hears of, for its own views and fleet health.
    bus.onDeliver((e) => {
      if (e.type === 'job' && !this.appLoops.has(e.application)) this.learnJob(e);
    });
  }

  /** Campaigns for the duties this replica's browsers need, and resigns the others. */
  reconcile(): void {
    if (this.bus.subscriberCount > 0) this.coordinator.campaign(FLEET_DUTY, this.fleetHooks);
    else this.coordinator.resign(FLEET_DUTY);
    const watched = this.bus.watched();
    for (const app of this.campaigning) if (!watched.has(app)) this.resignApp(app);
    for (const app of watched) if (!this.campaigning.has(app)) this.campaignApp(app);
  }

  private campaigning = new Set<string>();

  private readonly fleetHooks = {
    start: () => {
      void this.coordinator
        .loadState<FleetState>(FLEET_DUTY)
        .then((state) => {
          // What the last leader published: changes since then are published, not learned silently.
          if (state) {
            this.lastFleet = new Map(Object.entries(state.statuses));
            this.fleetPrimed = state.primed;
            this.fleetGeneration = undefined;
          }
        })
        .catch((e: unknown) => this.log.warn({ err: e }, 'the fleet duty state could not be read'))
        .finally(() => this.fleetLoop.start());
    },
    stop: () => this.fleetLoop.stop(),
  };

  private campaignApp(app: string): void {
    this.campaigning.add(app);
    this.coordinator.campaign(appDuty(app), {
      start: () => {
        void this.coordinator
          .loadState<AppState>(appDuty(app))
          .then((state) => {
            if (state?.ops !== undefined) this.lastOps.set(app, state.ops);
            if (state?.snapshots) this.lastSnapshots.set(app, new Map(Object.entries(state.snapshots)));
          })
          .catch((e: unknown) => this.log.warn({ err: e, app }, 'the application duty state could not be read'))
          .finally(() => this.startAppLoop(app));
      },
      stop: () => this.stopAppLoop(app),
    });
  }

  private resignApp(app: string): void {
    this.campaigning.delete(app);
    this.coordinator.resign(appDuty(app));
  }

  private startAppLoop(app: string): void {
    if (this.appLoops.has(app)) return;
    const loop = new Loop(this.pollMs, () => freshReads(() => this.pollApp(app)), this.log);
    this.appLoops.set(app, loop);
    loop.start();
  }

  private stopAppLoop(app: string): void {
    const loop = this.appLoops.get(app);
    if (!loop) return;
    loop.stop();
    this.appLoops.delete(app);
    this.jobs.delete(app);
    this.lastJob.delete(app);
    this.jobCounts.delete(app);
    this.appReads.delete(app);
  }

  /** A job event another replica published: its counts for this replica's views. */
  private learnJob(e: Extract<ServerEvent, { type: 'job' }>): void {
    let running = 0;
    let failed = 0;
    let canceled = 0;
    let total = 0;
    try {
      for (const runs of Object.values(e.subtaskRuns))
        for (const state of decodeSubtaskRuns(runs)) {
          total++;
          if (state === 'RUNNING') running++;
          else if (state === 'FAILED') failed++;
          else if (state === 'CANCELED') canceled++;
        }
    } catch {
      return;
    }
    if (total === 0) this.jobs.delete(e.application);
    else
      this.jobs.set(e.application, {
        jobState: e.jobState ?? 'UNKNOWN',
        subtasksRunning: running,
        subtasksTotal: total,
        subtasksFailed: failed,
        subtasksCanceled: canceled,
      });
  }

  /** Whether the fleet poller has read the fleet once: changes after that are published, not learned. */
  get isFleetPrimed(): boolean {
    return this.fleetPrimed;
  }

  get activePollers(): { fleet: boolean; applications: string[] } {
    return { fleet: this.fleetLoop.running, applications: [...this.appLoops.keys()] };
  }

  stop(): void {
    this.fleetLoop.stop();
    for (const app of [...this.appLoops.keys()]) this.stopAppLoop(app);
    this.coordinator.resign(FLEET_DUTY);
    for (const app of [...this.campaigning]) this.resignApp(app);
  }

  private saveFleet(): void {
    void this.coordinator
      .saveState(FLEET_DUTY, { statuses: Object.fromEntries(this.lastFleet), primed: this.fleetPrimed })
      .catch((e: unknown) => this.log.debug({ err: e }, 'the fleet duty state could not be saved'));
  }

  private saveApp(app: string): void {
    const state: AppState = {
      ...(this.lastOps.has(app) ? { ops: this.lastOps.get(app) } : {}),
      ...(this.lastSnapshots.has(app) ? { snapshots: Object.fromEntries(this.lastSnapshots.get(app)!) } : {}),
    };
    void this.coordinator
      .saveState(appDuty(app), state)
      .catch((e: unknown) => this.log.debug({ err: e, app }, 'the application duty state could not be saved'));
  }

  private async pollFleet(): Promise<void> {
    // Jobs fail and restart without the target's generation moving: health is judged again on its own clock.
    this.startHealthRound();
    const generation = await this.changes();
    if (generation !== undefined && generation === this.fleetGeneration) return;
    const summaries = await this.apps.summaries();
    const wasPrimed = this.fleetPrimed;
    const seen = new Set<string>();
    const changed: string[] = [];
    for (const s of summaries) {
      const name = s.ApplicationName!;
      seen.add(name);
      const sig = `${s.ApplicationStatus}/${s.ApplicationVersionId}`;
      if (this.lastFleet.get(name) === sig) continue;
      this.lastFleet.set(name, sig);
      // The first poll only learns the fleet; browsers already loaded it.
      if (!this.fleetPrimed) continue;
      changed.push(name);
      this.bus.publish({
        type: 'application',
        application: name,
        status: s.ApplicationStatus as never,
        versionId: s.ApplicationVersionId,
      });
    }
    this.fleetPrimed = true;
    for (const name of [...this.lastFleet.keys()])
      if (!seen.has(name)) {
        this.lastFleet.delete(name);
        changed.push(name);
        this.bus.publish({ type: 'application', application: name, deleted: true });
      }
    if (changed.length > 0) this.bus.publish({ type: 'fleet', changed });
    // Saved before the next leader could need it: a change published here is not published again.
    if (changed.length > 0 || !wasPrimed) this.saveFleet();
    this.fleetGeneration = generation;
  }

  /**
   * Judges the RUNNING applications again, in the background so statuses keep flowing meanwhile, and
   * names those whose signals changed in a fleet event: open fleets and headers refetch them.
   */
  private startHealthRound(): void {
    if (this.healthRound || !this.fleetPrimed || Date.now() - this.healthAt < HEALTH_REFRESH_MS) return;
    this.healthAt = Date.now();
    const running = [...this.lastFleet].filter(([, sig]) => sig.startsWith('RUNNING/')).map(([name]) => name);
    this.healthRound = this.apps
      .refreshHealth(running)
      .then((changed) => {
        if (changed.length > 0) this.bus.publish({ type: 'fleet', changed });
      })
      .catch((e: unknown) => this.log.debug({ err: e }, 'health round failed'))
      .finally(() => (this.healthRound = undefined));
  }

  private async pollApp(app: string): Promise<void> {
    const generation = await this.changes();
    let read = this.appReads.get(app);
    // The lifecycle reads only change with the target's state; the job below moves on its own.
    if (!read || generation === undefined || read.generation !== generation) {
      let detail;
      try {
        detail = await this.apps.describe(app);
      } catch (e) {
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return;
        throw e;
      }
      const [operations] = await Promise.all([this.operations.list(app), this.pollSnapshots(app)]);
      read = { generation, detail, operations };
    }
    await Promise.all([
      this.pollOperations(app, read.detail, read.operations),
      this.pollJob(app, read.detail.ApplicationStatus!),
    ]);
    this.appReads.set(app, read);
  }

  private async pollOperations(app: string, detail: AppRead['detail'], list: AppRead['operations']): Promise<void> {
    const newest = list.at(-1);
    const job = this.jobs.get(app);
    // Subtask counts move the progress bar only while the operation runs; after that they change with
    // every restart of a looping job and would repeat an event that says nothing new.
    const progress = newest?.OperationStatus === 'IN_PROGRESS' ? `/${job?.subtasksRunning}` : '';
    const sig = `${list.length}/${newest?.OperationStatus}/${detail.ApplicationStatus}${progress}`;
    if (!newest || this.lastOps.get(app) === sig) return;
    this.lastOps.set(app, sig);
    this.saveApp(app);
    const op = await this.operations.details(app, newest);
    const snapshotsEnabled =
      detail.ApplicationConfigurationDescription?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ?? true;
    const phases = inferPhases(op, {
      status: detail.ApplicationStatus!,
      snapshotsEnabled,
      ...(job ? { subtasks: { running: job.subtasksRunning, total: job.subtasksTotal } } : {}),
    });
    this.bus.publish({ type: 'operation', application: app, operation: { ...op, ...phases } });
  }

  private async pollSnapshots(app: string): Promise<void> {
    const list = await this.apps.snapshots(app);
    const before = this.lastSnapshots.get(app);
    const now = new Map(list.map((s) => [s.SnapshotName!, s.SnapshotStatus!]));
    this.lastSnapshots.set(app, now);
    if (!before || [...now].some(([name, status]) => before.get(name) !== status) || before.size !== now.size)
      this.saveApp(app);
    if (!before) return;
    for (const [name, status] of now)
      if (before.get(name) !== status) this.bus.publish({ type: 'snapshot', application: app, name });
    for (const name of before.keys())
      if (!now.has(name)) this.bus.publish({ type: 'snapshot', application: app, name, deleted: true });
  }

  private async pollJob(app: string, status: string): Promise<void> {
    if (status !== 'RUNNING') {
      if (this.jobs.delete(app)) this.bus.publish({ type: 'job', application: app, subtaskRuns: {} });
      this.lastJob.delete(app);
      this.jobCounts.delete(app);
      return;
    }
    try {
      const { jobs } = await this.dashboard.get<FlinkJobsList>(app, '/jobs');
      const jid = (jobs.find((j) => ACTIVE_JOB.has(j.status)) ?? jobs.at(-1))?.id;
      if (!jid) return;
      const details = await this.dashboard.get<FlinkJobDetails>(app, `/jobs/${jid}`);
      // The job's details count each vertex's subtasks by state. While the counts hold, the states of the
      // single subtasks are read only every few seconds, not on every poll (a request per vertex: 64 for
      // a 64-vertex job, 4 times a second against the embedded emulator).
      const counts = JSON.stringify([jid, details.state, details.vertices.map((v) => [v.id, v.status, v.tasks])]);
      const known = this.jobCounts.get(app);
      if (known?.counts === counts && Date.now() - known.readAt < FULL_JOB_READ_MS) return;
      const readAt = Date.now();
      const vertices = await Promise.all(
        details.vertices.map((v) => this.dashboard.get<FlinkVertexDetails>(app, `/jobs/${jid}/vertices/${v.id}`)),
      );
      let running = 0;
      let failed = 0;
      let canceled = 0;
      let total = 0;
      const subtaskRuns: Record<string, string> = {};
      for (const v of vertices) {
        const states = v.subtasks.map((s) => s.status);
        for (const s of states)
          if (s === 'RUNNING') running++;
          else if (s === 'FAILED') failed++;
          else if (s === 'CANCELED') canceled++;
        total += states.length;
        subtaskRuns[v.id] = encodeSubtaskRuns(states);
      }
      this.jobs.set(app, {
        jobState: details.state,
        subtasksRunning: running,
        subtasksTotal: total,
        subtasksFailed: failed,
        subtasksCanceled: canceled,
      });
      this.jobCounts.set(app, { counts, readAt });
      const sig = JSON.stringify([details.state, subtaskRuns]);
      if (this.lastJob.get(app) === sig) return;
      this.lastJob.set(app, sig);
      this.bus.publish({ type: 'job', application: app, jobState: details.state, subtaskRuns });
    } catch (e) {
      if (e instanceof DashboardUnavailable) return;
      throw e;
    }
  }
}
