/**
 * "Now" as the service sees it. Against AWS that is the wall clock; against an emulator it is the
 * emulator's virtual clock (which a demo can run faster), read from its /_emulator/clock and
 * extrapolated between reads so metric windows and ages line up with the data.
 */
export interface ServiceClock {
  now(): number;
  refresh(): Promise<void>;
  /** Present when the target is an emulator. */
  emulatorUrl?: string;
}

export function wallClock(): ServiceClock {
  return { now: () => Date.now(), refresh: async () => {} };
}

export async function emulatorClock(url: string): Promise<ServiceClock> {
  let base = { virtual: Date.now(), wall: Date.now(), speed: 1 };
  const clock: ServiceClock = {
    emulatorUrl: url,
    now: () => base.virtual + (Date.now() - base.wall) * base.speed,
    async refresh() {
      const res = await fetch(`${url}/_emulator/clock`);
      if (!res.ok) return;
      const c = (await res.json()) as { now: number; speed: number };
      base = { virtual: c.now, wall: Date.now(), speed: c.speed };
    },
  };
  await clock.refresh();
  return clock;
}

/** True when the endpoint answers like an mfc emulator. */
export async function isEmulator(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}
