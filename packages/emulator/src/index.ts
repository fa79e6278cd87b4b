export { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
export { seedDemoFleet, DEMO_APPS, DEMO_KEY_ALIAS } from './admin/demo-fleet.js';
export { SCENARIOS } from './admin/scenarios.js';
export type { Principal } from './auth/sigv4.js';
