/**
 * The embedded target: the emulator runs in this process on a private loopback port, and the BFF talks
 * to it through the AWS SDK exactly as it talks to AWS. The user sees only the BFF's port.
 */
import { startEmulator, type Emulator } from '@mfc/emulator';
import type { Config } from '../config.js';

export async function startEmbeddedEmulator(config: Config, log: (line: string) => void): Promise<Emulator> {
  return startEmulator({
    port: 0,
    host: '127.0.0.1',
    inMemory: config.inMemory,
    dataDir: `${config.dataDir}/emulator`,
    timeProfile: config.timeProfile,
    speed: config.emulatorSpeed,
    demo: config.demo,
    ...(config.applicationQuota ? { limits: { applicationsPerRegion: config.applicationQuota } } : {}),
    log,
  });
}
