/** Structured logs (pino), JSON lines on stdout. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'mfc-bff' },
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'password'],
  });
}
