export * from './common.js';
export * from './actions.js';
export * from './applications.js';
export * from './job.js';
export * from './requests.js';
export * from './resources.js';
export * from './events.js';
export * from './subtask-runs.js';
