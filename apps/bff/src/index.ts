export { startBff, type Bff } from './server.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger } from './logger.js';
export { DETAIL_READ_CONCURRENCY } from './services/applications.js';
