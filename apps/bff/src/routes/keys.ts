/** KMS keys with what depends on each: applications configured with or running on it, snapshots it protects. */
import * as C from '@mfc/contracts';
import type { Api } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../services/index.js';

async function dependents(s: Services): Promise<Map<string, C.KeyView['dependents']>> {
  const out = new Map<string, C.KeyView['dependents']>();
  const entry = (arn: string) => {
    let e = out.get(arn);
    if (!e) out.set(arn, (e = { applications: [], snapshots: [] }));
    return e;
  };
  for (const summary of await s.apps.summaries()) {
    const app = summary.ApplicationName!;
    const view = await s.apps.view(app);
    const configured = view.encryption.configured.keyArn;
    const inEffect = view.encryption.inEffect?.keyArn;
    if (configured && configured === inEffect)
      entry(configured).applications.push({ name: app, use: 'configured-and-in-effect' });
    else {
      if (configured) entry(configured).applications.push({ name: app, use: 'configured' });
      if (inEffect) entry(inEffect).applications.push({ name: app, use: 'in-effect' });
    }
    for (const snap of (await s.apps.snapshotViews(app)).snapshots)
      if (snap.encryption.keyArn) entry(snap.encryption.keyArn).snapshots.push({ application: app, name: snap.name });
  }
  return out;
}

export function keyRoutes(api: Api, s: Services): void {
  const tag = 'keys';
  api.add(
    {
      method: 'get',
      path: '/keys',
      summary: 'KMS keys with their state, aliases, rotation and dependents',
      tag,
      response: C.KeysResponse,
    },
    async () => {
      const [keys, deps] = await Promise.all([s.keys.list(), dependents(s)]);
      return { keys: keys.map((k) => ({ ...k, dependents: deps.get(k.arn) ?? { applications: [], snapshots: [] } })) };
    },
  );

  api.add({ method: 'get', path: '/keys/:keyId', summary: 'One key', tag, response: C.KeyView }, async ({ params }) => {
    const k = await s.keys.view(params.keyId!);
    if (!k) throw new HttpError(404, 'NotFoundException', `Key ${params.keyId} does not exist.`);
    return { ...k, dependents: (await dependents(s)).get(k.arn) ?? { applications: [], snapshots: [] } };
  });

  api.add(
    {
      method: 'post',
      path: '/keys/:keyId/actions',
      summary: 'Enable, disable (typed confirmation) or rotate a key',
      tag,
      role: 'operator',
      body: C.KeyActionRequest,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const keyId = params.keyId!;
      if (body.action === 'disable' && body.confirm !== keyId)
        throw new HttpError(
          400,
          'ConfirmationRequired',
          `Disabling a key needs its id typed as confirmation ("${keyId}").`,
        );
      res.locals.audit = { action: `${body.action}Key`, target: keyId };
      await s.keys.act(keyId, body.action);
      return { application: '', message: `Key ${keyId}: ${body.action} done.` };
    },
  );
}
