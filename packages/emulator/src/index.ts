export { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
export { seedDemoFleet, DEMO_APPS, DEMO_KEY_ALIAS } from './admin/demo-fleet.js';
export { SCENARIOS } from './admin/scenarios.js';
export type { Principal } from './auth/sigv4.js';
export {
  SchemaTooNewError,
  SCHEMA_TOO_NEW_EXIT_CODE,
  openVersioned,
  refuseNewer,
  hasTable,
  type VersionedSchema,
} from './persistence/schema.js';
export { TelemetryStore, TELEMETRY_FILE, METRIC_RETENTION_MS } from './persistence/telemetry-store.js';
export { LIFECYCLE_FILE } from './persistence/state-store.js';
