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
import type { EventBus } from './bus.js';
import { Loop } from './watchers.js';

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
    log: Logger,
    private now: () => number,
  ) {
    this.loop = new Loop(opts.pollMs, () => this.tick(), log);
  }

  /** Runs while browsers listen, or always when a webhook is configured. */
  reconcile(): void {
    if (this.opts.always || this.bus.subscriberCount > 0) this.loop.start();
    else {
      this.loop.stop();
      // Changes while nobody listened are not replayed: the next listener starts from a fresh read.
      this.primed = false;
    }
  }

  stop(): void {
    this.loop.stop();
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
    this.onChange?.(change);
  }
}
