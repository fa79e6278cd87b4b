/** Virtual time in epoch milliseconds. Only the scheduler moves it forward. */
export class VirtualClock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  /** Moves time forward; time never goes backwards, so a stale target is ignored. */
  advanceTo(t: number): void {
    if (t > this.current) this.current = t;
  }
}
