/**
 * Turns CloudWatch alarm state changes into events for open browsers and the webhook. It asks for the
 * alarms in ALARM every poll (one page in a calm fleet) and reads every alarm only every `fullScanMs`
 * (catching OK ↔ INSUFFICIENT_DATA and new or deleted alarms), so a region of thousands of alarms costs
 * a handful of DescribeAlarms calls a minute against the service's rate limits. Alarms that leave ALARM
 * are read by name to learn their new state.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmState, ServerEvent } from '@mfc/contracts';
import type { Logger } from 'pino';
import { alarmApplications, type AlarmsService } from '../services/alarms.js';
import { LocalCoordinator, type Coordinator } from '../coordination/coordinator.js';
import { freshReads } from '../aws/shared-reads.js';
import type { EventBus } from './bus.js';
import { Loop } from './watchers.js';

const DUTY = 'alarms';
interface AlarmsState {
  known: Record<string, Known>;
}

export type AlarmChange = Extract<ServerEvent, { type: 'alarm' }> & { arn: string };

interface Known {
  state: AlarmState;
  arn: string;
  applications: string[];
}

export interface AlarmWatcherOptions {
  pollMs: number;
  fullScanMs: number;
  /** Watch even with no browser listening (a webhook wants every change). */
  always: boolean;
}

export class AlarmWatcher {
  private known = new Map<string, Known>();
  private primed = false;
  private lastFullScan = 0;
  private loop: Loop;
  /** Called for each change, after it is published (the webhook forwarder). */
  onChange?: (change: AlarmChange) => void;

  constructor(
    private alarms: AlarmsService,
    private bus: EventBus,
    private opts: AlarmWatcherOptions,
    private log: Logger,
    private now: () => number,
    /** One replica polls the alarms (this process alone without a database). */
    private coordinator: Coordinator = new LocalCoordinator(),
  ) {
    this.loop = new Loop(opts.pollMs, () => freshReads(() => this.tick()), log);
  }

  private readonly hooks = {
    start: () => {
      void this.coordinator
        .loadState<AlarmsState>(DUTY)
        .then((state) => {
          // The last leader's view: changes since are forwarded, not learned silently.
          if (state && !this.primed) {
            this.known = new Map(Object.entries(state.known));
            this.primed = this.known.size > 0;
            this.lastFullScan = 0;
          }
        })
        .catch((e: unknown) => this.log.warn({ err: e }, 'the alarms duty state could not be read'))
        .finally(() => this.loop.start());
    },
    stop: () => {
      this.loop.stop();
      // Changes while nobody listened are not replayed: the next listener starts from a fresh read.
      this.primed = false;
    },
  };

  /** Runs while browsers listen, or always when a webhook is configured. */
  reconcile(): void {
    const wanted = this.opts.always || this.bus.subscriberCount > 0;
    if (wanted) this.coordinator.campaign(DUTY, this.hooks);
    else this.coordinator.resign(DUTY);
  }

  stop(): void {
    this.loop.stop();
    this.coordinator.resign(DUTY);
  }

  private save(): void {
    void this.coordinator
      .saveState(DUTY, { known: Object.fromEntries(this.known) } satisfies AlarmsState)
      .catch((e: unknown) => this.log.debug({ err: e }, 'the alarms duty state could not be saved'));
  }

  get running(): boolean {
    return this.loop.running;
  }

  /** One poll; exposed for tests. */
  async tick(): Promise<void> {
    if (!this.primed || Date.now() - this.lastFullScan >= this.opts.fullScanMs) {
      const all = await this.alarms.readAll();
      this.lastFullScan = Date.now();
      const seen = new Set<string>();
      for (const a of all) {
        seen.add(a.AlarmName!);
        this.observe(a);
      }
      for (const name of [...this.known.keys()]) if (!seen.has(name)) this.known.delete(name);
      this.primed = true;
      this.save();
      return;
    }
    const firing = await this.alarms.readAll({ StateValue: 'ALARM' });
    const names = new Set(firing.map((a) => a.AlarmName!));
    for (const a of firing) this.observe(a);
    const left = [...this.known].filter(([name, k]) => k.state === 'ALARM' && !names.has(name)).map(([n]) => n);
    for (let i = 0; i < left.length; i += 100) {
      const chunk = left.slice(i, i + 100);
      const read = await this.alarms.readAll({ AlarmNames: chunk });
      for (const a of read) this.observe(a);
      // Gone: deleted while in ALARM.
      for (const name of chunk) if (!read.some((a) => a.AlarmName === name)) this.known.delete(name);
    }
  }

  private observe(a: MetricAlarm): void {
    const name = a.AlarmName!;
    const state = (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState;
    const before = this.known.get(name);
    const applications = alarmApplications(a);
    this.known.set(name, { state, arn: a.AlarmArn ?? '', applications });
    // The first read only learns the states; browsers loaded them with their pages.
    if (!this.primed || before?.state === state) return;
    // A new alarm is news only when it is not in the state every alarm starts in.
    if (!before && state === 'INSUFFICIENT_DATA') return;
    const change: AlarmChange = {
      type: 'alarm',
      alarm: name,
      arn: a.AlarmArn ?? '',
      applications,
      state,
      ...(before ? { previous: before.state } : {}),
      reason: a.StateReason ?? '',
      at: a.StateUpdatedTimestamp?.getTime() ?? this.now(),
    };
    this.alarms.invalidate();
    const { arn: _arn, ...event } = change;
    this.bus.publish(event);
    this.save();
    this.onChange?.(change);
  }
}
