#!/usr/bin/env node
/** Starts the BFF from the environment; stops gracefully on SIGTERM/SIGINT. */
import { SchemaTooNewError } from '@mfc/emulator';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startBff } from './server.js';
import { DatabaseTooNewError } from './store/postgres-migrations.js';
import { isUnreachable } from './store/postgres-store.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let bff;
  try {
    bff = await startBff(config, logger);
  } catch (e) {
    // A data directory from a newer release: say so plainly, with its own exit code, and leave it be.
    if (e instanceof SchemaTooNewError || e instanceof DatabaseTooNewError) {
      console.error(`Managed Flink Console: ${e.message}`);
      process.exit(e.exitCode);
    }
    // MFC_DATABASE_URL set but nothing answers there: say where and why, and stop.
    if (config.databaseUrl && isUnreachable(e)) {
      console.error(
        `Managed Flink Console: the database at ${redactUrl(config.databaseUrl)} cannot be reached (${(e as Error).message}). ` +
          'Check MFC_DATABASE_URL and that PostgreSQL is running; nothing was started.',
      );
      process.exit(4);
    }
    throw e;
  }
  logger.info(
    { url: bff.url, target: config.target, mode: config.mode, demo: config.demo },
    'Managed Flink Console listening',
  );
  console.log(`Managed Flink Console: ${bff.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000 + config.drainMs);
    force.unref();
    bff
      .drain()
      .then(() => bff.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
