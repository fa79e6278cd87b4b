/** What every service of the engine shares: state, virtual time, randomness and limits. */
import type { Store } from './store/store.js';
import type { VirtualClock } from './time/clock.js';
import type { TimeProfile } from './time/profiles.js';
import type { Scheduler } from './time/scheduler.js';
import type { Random } from './util/random.js';

export interface Limits {
  applicationsPerRegion: number;
  kpusPerApplication: number;
  snapshotsPerApplication: number;
  tagsPerApplication: number;
  maxParallelismPerKpu: number;
}

export const DEFAULT_LIMITS: Limits = {
  applicationsPerRegion: 100,
  kpusPerApplication: 64,
  snapshotsPerApplication: 1000,
  tagsPerApplication: 50,
  maxParallelismPerKpu: 8,
};

export interface EngineEnv {
  store: Store;
  clock: VirtualClock;
  scheduler: Scheduler;
  profile: TimeProfile;
  /** Global random source for ids that no single application owns. */
  random: Random;
  limits: Limits;
}
