/**
 * Drives the engine's virtual time from wall time × a speed factor. Before each request the engine is
 * advanced to "now"; between requests a timer wakes for the next scheduled event. Every advance is
 * committed to the state store before anything is answered.
 */
import type { Engine } from '@mfc/engine';

export class Pacer {
  private baseVirtual: number;
  private baseWall: number;
  private timer?: NodeJS.Timeout;
  /** Wall time the timer fires at. */
  private timerDue = 0;
  private stopped = false;

  constructor(
    private engine: Engine,
    private speedFactor: number,
    private readonly commit: () => void,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.baseVirtual = engine.now();
    this.baseWall = Date.now();
  }

  get speed(): number {
    return this.speedFactor;
  }

  virtualNow(): number {
    return this.baseVirtual + (Date.now() - this.baseWall) * this.speedFactor;
  }

  /** Runs everything due by now, commits, and sets the timer for the next event. */
  sync(): void {
    if (this.stopped) return;
    const target = Math.floor(this.virtualNow());
    // Something (a scenario, a test) moved the engine past wall time: continue from there.
    if (this.engine.now() > target) this.rebase();
    else this.engine.advanceTo(target);
    this.commit();
    this.arm();
  }

  setSpeed(speed: number): void {
    this.sync();
    this.rebase();
    this.speedFactor = speed;
    this.arm();
  }

  /** Jumps virtual time forward, running everything in between. */
  advance(ms: number): void {
    this.sync();
    this.engine.advanceBy(ms);
    this.rebase();
    this.commit();
    this.arm();
  }

  /** Points the pacer at a new engine (after a reset). */
  replace(engine: Engine): void {
    this.engine = engine;
    this.rebase();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private rebase(): void {
    this.baseVirtual = this.engine.now();
    this.baseWall = Date.now();
  }

  private arm(): void {
    const next = this.stopped || this.speedFactor <= 0 ? undefined : this.engine.nextEventTime();
    if (next === undefined) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    // Wake at the next event, but at least once a second so long sleeps follow speed changes.
    const wait = Math.ceil(Math.min(1000, Math.max(0, (next - this.virtualNow()) / this.speedFactor)));
    const due = Date.now() + wait;
    // A timer that fires no later is kept: it syncs and arms again (requests arrive far more often than events).
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.sync();
      } catch (e) {
        this.onError(e);
      }
    }, wait);
    this.timer.unref();
  }
}
