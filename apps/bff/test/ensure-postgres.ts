/** Vitest global setup: Debian's PostgreSQL is on the machine before any test file starts a server. */
import { ensurePostgres } from './postgres-server.js';

export default function setup(): void {
  ensurePostgres();
}
