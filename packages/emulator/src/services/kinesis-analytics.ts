/** kinesisanalyticsv2 on the wire: every modelled operation bound to the engine's method of that name. */
import type { Engine, ManagedFlinkService } from '@mfc/engine';
import { loadModel, operationErrors } from '../protocol/model.js';
import type { Handler, JsonService } from '../protocol/json-rpc.js';

export function kinesisAnalyticsService(engine: () => Engine): JsonService {
  const model = loadModel('kinesisanalyticsv2');
  const handlers: Record<string, Handler> = {};
  for (const op of Object.keys(model.operations)) {
    const method = (op.charAt(0).toLowerCase() + op.slice(1)) as keyof ManagedFlinkService;
    handlers[op] = (ctx, input) => {
      const service = engine().kinesisAnalytics;
      const fn = service[method] as unknown as (c: typeof ctx, i: unknown) => unknown;
      if (typeof fn !== 'function') throw new Error(`engine has no ${String(method)}`);
      return fn.call(service, ctx, input);
    };
  }
  return {
    name: 'kinesisanalyticsv2',
    model,
    contentType: 'application/x-amz-json-1.1',
    handlers,
    // Constraint violations answer with an error the operation models: InvalidArgument, else InvalidRequest.
    validationErrorFor: (op) => {
      const errors = operationErrors(model, op);
      return errors.includes('InvalidArgumentException')
        ? 'InvalidArgumentException'
        : errors.includes('InvalidRequestException')
          ? 'InvalidRequestException'
          : 'ValidationException';
    },
  };
}
