/** STS on the wire (AWS Query protocol): caller identity and temporary credentials (engine's StsService). */
import type { Engine } from '@mfc/engine';
import { loadModel } from '../protocol/model.js';
import type { QueryService } from '../protocol/query.js';

export function stsService(engine: () => Engine): QueryService {
  return {
    name: 'sts',
    title: 'STS',
    model: loadModel('sts'),
    handlers: {
      GetCallerIdentity: (ctx) => engine().sts.getCallerIdentity(ctx),
      AssumeRole: (ctx, input) => engine().sts.assumeRole(ctx, input as never),
      GetSessionToken: (ctx, input) => engine().sts.getSessionToken(ctx, input),
    },
    validationError: 'ValidationError',
  };
}
