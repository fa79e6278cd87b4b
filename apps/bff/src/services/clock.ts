/**
 * "Now" as the service sees it. Against AWS that is the wall clock; against an emulator it is the
 * emulator's virtual clock (which a demo can run faster), read from its /_emulator/clock and
 * extrapolated between reads so metric windows and ages line up with the data.
 */
export interface ServiceClock {
  now(): number;
  refresh(): Promise<void>;
  /** Stops reading the target's clock in the background. */
  close?(): void;
  /** Present when the target is an emulator. */
  emulatorUrl?: string;
}

export function wallClock(): ServiceClock {
  return { now: () => Date.now(), refresh: async () => {} };
}

/** How often the emulator's clock is read again: a restarted emulator resumes its own, earlier time. */
export const CLOCK_REFRESH_MS = 2_000;

export async function emulatorClock(url: string): Promise<ServiceClock> {
  let base = { virtual: Date.now(), wall: Date.now(), speed: 1 };
  const clock: ServiceClock = {
    emulatorUrl: url,
    now: () => base.virtual + (Date.now() - base.wall) * base.speed,
    async refresh() {
      const res = await fetch(`${url}/_emulator/clock`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return;
      const c = (await res.json()) as { now: number; speed: number };
      base = { virtual: c.now, wall: Date.now(), speed: c.speed };
    },
  };
  await clock.refresh();
  // Extrapolated alone, the clock would run ahead of an emulator that restarted (its virtual time resumes
  // where it stopped), and every metric window would read minutes that do not exist yet.
  const timer = setInterval(() => clock.refresh().catch(() => undefined), CLOCK_REFRESH_MS);
  timer.unref();
  clock.close = () => clearInterval(timer);
  return clock;
}

/** True when the endpoint answers like an mfc emulator. */
export async function isEmulator(endpoint: string): Promise<boolean> {
  return (await emulatorJson(endpoint, '/_emulator/health'))?.status === 'ok';
}

/** GET of an emulator's administration endpoint: its JSON object, or undefined when it does not answer so. */
export async function emulatorJson(url: string, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const body: unknown = await res.json();
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
