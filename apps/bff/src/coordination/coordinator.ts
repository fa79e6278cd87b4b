/**
 * How BFF replicas share their polling. A duty (the fleet poll, the alarms, one watched application) is
 * led by one replica at a time; the leader reads the service and publishes what changed; every replica
 * hears every event and hands it to its own browsers. A duty's last known state is kept where the next
 * leader finds it, so a replica taking over after a crash reports what changed meanwhile instead of
 * learning the state afresh. One process (no database) is its own leader of everything.
 */
import type { ServerEvent } from '@mfc/contracts';

export interface DutyHooks {
  /** This replica now leads the duty. */
  start(): void;
  /** It no longer does (released, or the connection that held the lock was lost). */
  stop(): void;
}

export interface Coordinator {
  readonly replicaId: string;
  /** 'local': one process; 'postgres': replicas elected through advisory locks. */
  readonly kind: 'local' | 'postgres';
  /** Campaigns for the duty until `resign`; the hooks say when this replica leads it. */
  campaign(duty: string, hooks: DutyHooks): void;
  /** Stops campaigning (and releases the duty when held). */
  resign(duty: string): void;
  /** Duties this replica leads now. */
  leading(): string[];
  /** Sends an event to every replica, this one included; resolves with its id (shared by all replicas). */
  publish(event: ServerEvent): Promise<number>;
  /** Receives every replica's events, numbered, in the order published by each leader. */
  onEvent(handler: (id: number, event: ServerEvent) => void): void;
  /** A duty's state as its last leader saved it. */
  loadState<T>(duty: string): Promise<T | undefined>;
  saveState(duty: string, state: unknown): Promise<void>;
  close(): Promise<void>;
}

/** One process: every duty is led here at once, events go straight to the handlers. */
export class LocalCoordinator implements Coordinator {
  readonly kind = 'local';
  readonly replicaId = 'local';
  private seq = 0;
  private handlers: ((id: number, event: ServerEvent) => void)[] = [];
  private duties = new Map<string, DutyHooks>();
  private states = new Map<string, unknown>();

  campaign(duty: string, hooks: DutyHooks): void {
    if (this.duties.has(duty)) return;
    this.duties.set(duty, hooks);
    hooks.start();
  }

  resign(duty: string): void {
    const hooks = this.duties.get(duty);
    if (!hooks) return;
    this.duties.delete(duty);
    hooks.stop();
  }

  leading(): string[] {
    return [...this.duties.keys()];
  }

  async publish(event: ServerEvent): Promise<number> {
    const id = ++this.seq;
    for (const h of this.handlers) h(id, event);
    return id;
  }

  onEvent(handler: (id: number, event: ServerEvent) => void): void {
    this.handlers.push(handler);
  }

  async loadState<T>(duty: string): Promise<T | undefined> {
    return this.states.get(duty) as T | undefined;
  }

  async saveState(duty: string, state: unknown): Promise<void> {
    this.states.set(duty, state);
  }

  async close(): Promise<void> {
    for (const duty of [...this.duties.keys()]) this.resign(duty);
  }
}
