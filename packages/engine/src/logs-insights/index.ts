/** CloudWatch Logs Insights: the query language and its incremental execution over log events. */
export {
  InsightsQuery,
  validateQuery,
  STEP_EVENTS,
  type QueryOutput,
  type QueryOptions,
  type QueryStatistics,
  type ResultField,
} from './query.js';
export { MalformedQueryError, type QueryCompileError } from './errors.js';
export { MAX_LIMIT as MAX_QUERY_LIMIT, parseQuery } from './parser.js';
export { pointer, type InsightsEvent } from './records.js';
export { formatTime } from './values.js';
