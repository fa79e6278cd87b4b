import { useEffect, useState } from 'react';
import { serviceNow } from '../api/clock';

/**
 * The service's current time (see api/clock.ts), re-read every `intervalMs`, so ages ("12 s ago") and
 * running durations move on screen.
 */
export function useNow(intervalMs = 5_000): number {
  const [now, setNow] = useState(serviceNow);
  useEffect(() => {
    const t = setInterval(() => setNow(serviceNow()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
