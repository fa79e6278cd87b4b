/** Formatting for operators: short, unambiguous, and the same on every screen. */

/** 1234 ms → "1.2 s", 95 s → "1 min 35 s", 2 h 5 min → "2 h 5 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** Age relative to `now`: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; future times "in 5 min". */
export function formatAge(at: number | undefined, now: number): string {
  if (at === undefined || !Number.isFinite(at)) return '—';
  const diff = now - at;
  const future = diff < 0;
  const abs = Math.abs(diff);
  if (abs < 5_000) return 'just now';
  let text: string;
  if (abs < 60_000) text = `${Math.floor(abs / 1000)} s`;
  else if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)} min`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)} h`;
  else text = `${Math.floor(abs / 86_400_000)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A timestamp as "2026-11-21 06:05:27" in the browser's time zone (sortable, no locale surprises). */
export function formatTime(at: number | undefined): string {
  if (at === undefined || !Number.isFinite(at)) return '—';
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Clock time only, for chart axes: "06:05". */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Bytes in binary units: 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Rates and counts: 4132.7 → "4.1k", 950 → "950", 0.25 → "0.25". */
export function formatCompact(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  if (abs >= 10 || Number.isInteger(n)) return String(Math.round(n));
  return n.toFixed(2);
}

/**
 * Thousands separated, as the quota is written: 1000 → "1,000". Integers without Intl: the first
 * toLocaleString of a page loads ICU's number data (tens of milliseconds on a slow machine), on the way
 * to the first paint of the fleet and of the job graph.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** "1 restart", "3 restarts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** AWS operation names in words: "StartApplication" → "Start application". */
export function humanizeOperation(op: string): string {
  const words = op.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** SCREAMING_CASE in words for labels: "RESTORE_FROM_LATEST_SNAPSHOT" → "Restore from latest snapshot". */
export function humanizeEnum(value: string): string {
  const words = value.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The short key id of a KMS key ARN (or the alias / id as given). */
export function shortKey(keyArnOrId: string | undefined): string {
  if (!keyArnOrId) return '—';
  const m = /:key\/(.+)$/.exec(keyArnOrId);
  return m ? m[1]! : keyArnOrId;
}

/** Runtime ids as AWS writes them in the console: "FLINK-1_20" → "Flink 1.20". */
export function formatRuntime(runtime: string): string {
  const m = /^FLINK-(\d+)_(\d+)$/.exec(runtime);
  return m ? `Flink ${m[1]}.${m[2]}` : runtime;
}

/** Durations for chart axes, where space is tight: "850ms", "12s", "7.5m", "2.1h". */
export function formatDurationShort(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const abs = Math.abs(ms);
  const trim = (n: number) => String(Number(n.toFixed(1)));
  if (abs < 1000) return `${Math.round(ms)}ms`;
  if (abs < 60_000) return `${trim(ms / 1000)}s`;
  if (abs < 3_600_000) return `${trim(ms / 60_000)}m`;
  return `${trim(ms / 3_600_000)}h`;
}
