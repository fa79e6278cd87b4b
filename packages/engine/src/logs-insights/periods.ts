/** Periods of bin(), datefloor() and dateceil(): `5m`, `1h`, `30s`, `1d`, `1w`, `1mo`, `1q`, `1y`. */

const FIXED: Record<string, number> = {
  ms: 1,
  msec: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};
/** Calendar units, in months. */
const CALENDAR: Record<string, number> = { mo: 1, mon: 1, month: 1, q: 3, qtr: 3, quarter: 3, y: 12, yr: 12, year: 12 };

export interface Period {
  /** The start of the period a time (epoch ms) is in. */
  floor(ms: number): number;
  /** The end of that period (the time itself when on a boundary). */
  ceil(ms: number): number;
}

/** The unit's name without a plural s (`hrs`, `mins`), or undefined for an unknown one. */
function unitOf(unit: string): string | undefined {
  const u = unit.toLowerCase();
  if (u in FIXED || u in CALENDAR) return u;
  const singular = u.endsWith('s') ? u.slice(0, -1) : u;
  return singular.length > 1 && (singular in FIXED || singular in CALENDAR) ? singular : undefined;
}

/** A period of `amount` units; undefined when the unit is unknown or the amount not positive. */
export function period(amount: number, unit: string): Period | undefined {
  const u = unitOf(unit);
  if (u === undefined || !(amount > 0)) return undefined;
  const fixed = FIXED[u];
  if (fixed !== undefined) {
    const p = amount * fixed;
    // Weeks start on Monday: epoch day 0 was a Thursday.
    const offset = fixed === FIXED.w ? 4 * 86_400_000 : 0;
    const floor = (ms: number) => Math.floor((ms - offset) / p) * p + offset;
    return { floor, ceil: (ms) => (floor(ms) === ms ? ms : floor(ms) + p) };
  }
  const months = amount * CALENDAR[u]!;
  const start = (ms: number) => {
    const d = new Date(ms);
    const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
    return index - (((index % months) + months) % months);
  };
  const at = (index: number) => Date.UTC(Math.floor(index / 12), ((index % 12) + 12) % 12, 1);
  return {
    floor: (ms) => at(start(ms)),
    ceil: (ms) => (at(start(ms)) === ms ? ms : at(start(ms) + months)),
  };
}
