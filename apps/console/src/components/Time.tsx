import { formatAge, formatTime } from '../format/format';

/** A timestamp shown as an age, with the exact time on hover and for assistive technology. */
export function Age({ at, now }: { at: number | undefined; now: number }) {
  if (at === undefined) return <span>—</span>;
  return (
    <time dateTime={new Date(at).toISOString()} title={formatTime(at)}>
      {formatAge(at, now)}
    </time>
  );
}

export function Timestamp({ at }: { at: number | undefined }) {
  if (at === undefined) return <span>—</span>;
  return <time dateTime={new Date(at).toISOString()}>{formatTime(at)}</time>;
}
