/**
 * Replicas coordinated through PostgreSQL. Leadership of a duty is a session-level advisory lock held on
 * one dedicated connection: when a leader dies (even kill -9) its connection closes, the server releases
 * its locks, and another replica's next try (every second) takes the duty. Events go out with NOTIFY on
 * one channel, numbered from a sequence so every replica gives a browser the same ids (a reconnecting
 * browser resumes from Last-Event-ID on any replica); one too big for a NOTIFY payload is stored in
 * event_payloads and the notification carries only its id.
 */
import type { ServerEvent } from '@mfc/contracts';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Coordinator, DutyHooks } from './coordinator.js';

const CHANNEL = 'mfc_events';
/** NOTIFY payloads must stay under 8,000 bytes; larger events are read from the table. */
const MAX_INLINE = 7_000;

interface Campaign {
  hooks: DutyHooks;
  held: boolean;
}

export interface PostgresCoordinatorOptions {
  url: string;
  /** Shares the store's pool for reads and writes that need no session. */
  pool: pg.Pool;
  replicaId: string;
  logger: Logger;
  /** How often a duty not held is tried again (default 1 s). */
  electionMs?: number;
}

export class PostgresCoordinator implements Coordinator {
  readonly kind = 'postgres';
  readonly replicaId: string;
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private campaigns = new Map<string, Campaign>();
  private handlers: ((id: number, event: ServerEvent) => void)[] = [];
  private timer?: NodeJS.Timeout;
  private closed = false;
  /** Publishes one at a time: events keep the order their leader gave them. */
  private publishing: Promise<unknown> = Promise.resolve();
  /** Notifications are handled in order, even those whose payload must be read first. */
  private receiving: Promise<unknown> = Promise.resolve();
  private readonly electionMs: number;
  private lastPrune = 0;

  constructor(private readonly options: PostgresCoordinatorOptions) {
    this.replicaId = options.replicaId;
    this.electionMs = options.electionMs ?? 1_000;
  }

  /** Connects the session that listens and holds the locks, and starts the election loop. */
  async start(): Promise<void> {
    await this.connect();
    const tick = () => {
      void this.elect().finally(() => {
        if (!this.closed) this.timer = setTimeout(tick, this.electionMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  campaign(duty: string, hooks: DutyHooks): void {
    if (this.campaigns.has(duty)) return;
    this.campaigns.set(duty, { hooks, held: false });
    void this.elect();
  }

  resign(duty: string): void {
    const c = this.campaigns.get(duty);
    if (!c) return;
    this.campaigns.delete(duty);
    if (!c.held) return;
    c.held = false;
    c.hooks.stop();
    void this.client?.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [duty]).catch(() => {});
  }

  leading(): string[] {
    return [...this.campaigns].filter(([, c]) => c.held).map(([d]) => d);
  }

  publish(event: ServerEvent): Promise<number> {
    const run = async (): Promise<number> => {
      const text = JSON.stringify(event);
      if (text.length <= MAX_INLINE) {
        const { rows } = await this.options.pool.query<{ id: string }>(
          `WITH n AS (SELECT nextval('mfc_event_ids') AS id)
           SELECT id, pg_notify($1, json_build_object('id', id, 'e', $2::json)::text) FROM n`,
          [CHANNEL, text],
        );
        return Number(rows[0]!.id);
      }
      const { rows } = await this.options.pool.query<{ id: string }>(
        `WITH n AS (INSERT INTO event_payloads (id, payload) VALUES (nextval('mfc_event_ids'), $2) RETURNING id)
         SELECT id, pg_notify($1, json_build_object('id', id, 'ref', true)::text) FROM n`,
        [CHANNEL, text],
      );
      this.prune();
      return Number(rows[0]!.id);
    };
    const p = this.publishing.then(run, run);
    this.publishing = p.catch(() => undefined);
    return p;
  }

  onEvent(handler: (id: number, event: ServerEvent) => void): void {
    this.handlers.push(handler);
  }

  async loadState<T>(duty: string): Promise<T | undefined> {
    const { rows } = await this.options.pool.query<{ state: T }>('SELECT state FROM duty_state WHERE duty = $1', [
      duty,
    ]);
    return rows[0]?.state;
  }

  async saveState(duty: string, state: unknown): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO duty_state (duty, state) VALUES ($1, $2)
       ON CONFLICT (duty) DO UPDATE SET state = excluded.state, updated_at = now()`,
      [duty, JSON.stringify(state)],
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const duty of [...this.campaigns.keys()]) this.resign(duty);
    await this.publishing;
    const client = this.client;
    this.client = undefined;
    // Ending the session releases every lock it still held.
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    this.connecting ??= (async () => {
      const client = new pg.Client({
        connectionString: this.options.url,
        application_name: `mfc-bff ${this.replicaId}`,
        keepAlive: true,
        connectionTimeoutMillis: 2_000,
      });
      client.on('notification', (n) => {
        if (n.channel === CHANNEL && n.payload) this.receive(n.payload);
      });
      const lost = (why: string) => {
        if (this.client !== client) return;
        this.client = undefined;
        this.options.logger.warn({ replica: this.replicaId, why }, 'coordination connection lost: leading nothing');
        for (const c of this.campaigns.values())
          if (c.held) {
            c.held = false;
            c.hooks.stop();
          }
        client.end().catch(() => {});
      };
      client.on('error', (e) => lost(e.message));
      client.on('end', () => lost('ended'));
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private electing?: Promise<void>;
  private again = false;

  /** One election round at a time (a lock taken twice by one session would need two unlocks). */
  private elect(): Promise<void> {
    if (this.electing) {
      this.again = true;
      return this.electing;
    }
    this.electing = this.round().finally(() => {
      this.electing = undefined;
      if (this.again) {
        this.again = false;
        void this.elect();
      }
    });
    return this.electing;
  }

  /** Tries every duty campaigned for and not held; reconnects first when the session was lost. */
  private async round(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.client) await this.connect();
      const client = this.client!;
      for (const [duty, c] of this.campaigns) {
        if (c.held) continue;
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
          [duty],
        );
        if (!rows[0]!.ok) continue;
        // Resigned while asking: give the lock back.
        if (this.campaigns.get(duty) !== c) {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [duty]);
          continue;
        }
        c.held = true;
        this.options.logger.info({ replica: this.replicaId, duty }, 'leading');
        c.hooks.start();
      }
    } catch (e) {
      this.options.logger.debug({ err: e, replica: this.replicaId }, 'election round failed');
    }
  }

  private receive(payload: string): void {
    const handle = async () => {
      const msg = JSON.parse(payload) as { id: number; e?: ServerEvent; ref?: boolean };
      let event = msg.e;
      if (msg.ref) {
        const { rows } = await this.options.pool.query<{ payload: string }>(
          'SELECT payload FROM event_payloads WHERE id = $1',
          [msg.id],
        );
        if (!rows[0]) return;
        event = JSON.parse(rows[0].payload) as ServerEvent;
      }
      if (event) for (const h of this.handlers) h(Number(msg.id), event);
    };
    this.receiving = this.receiving
      .then(handle)
      .catch((e: unknown) => this.options.logger.warn({ err: e }, 'an event could not be read'));
  }

  /** Stored payloads are needed only until every replica has read them. */
  private prune(): void {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    void this.options.pool
      .query("DELETE FROM event_payloads WHERE created_at < now() - interval '10 minutes'")
      .catch(() => {});
  }
}
