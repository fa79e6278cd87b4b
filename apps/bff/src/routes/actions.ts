/** Acting on applications: each action is one SDK call, needs an operator, and is audited. */
import * as C from '@mfc/contracts';
import type { Api } from '../http/api.js';
import type { Services } from '../services/index.js';
import { applicationNameParam as name } from './applications.js';

export function actionRoutes(api: Api, s: Services): void {
  const tag = 'actions';
  const done = (
    res: { locals: Record<string, unknown> },
    application: string,
    message: string,
    operationId?: string,
  ): C.ActionResponse => {
    if (operationId) res.locals.operationId = operationId;
    // The advice read before the change says nothing about the application after it.
    s.advisor.forget(application);
    return { application, message, ...(operationId ? { operationId } : {}) };
  };

  api.add(
    {
      method: 'post',
      path: '/applications/:name/start',
      summary: 'Start (restore choice, AllowNonRestoredState)',
      tag,
      role: 'operator',
      body: C.StartRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      return done(res, app, `Starting ${app}.`, await s.actions.start(app, body));
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/stop',
      summary: 'Stop, or force stop (no snapshot)',
      tag,
      role: 'operator',
      body: C.StopRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      return done(
        res,
        app,
        body.force ? `Force stopping ${app}: no snapshot is taken.` : `Stopping ${app}.`,
        await s.actions.stop(app, body),
      );
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/rollback',
      summary: 'Roll back to the previous version',
      tag,
      role: 'operator',
      body: C.RollbackRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      return done(res, app, `Rolling back ${app}.`, await s.actions.rollback(app, body));
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/update',
      summary: 'Update code, parallelism, checkpointing, properties',
      tag,
      role: 'operator',
      body: C.UpdateRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      return done(res, app, `Updating ${app}.`, await s.actions.update(app, body));
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/encryption',
      summary: 'Change the key protecting state (takes effect at the next restart)',
      tag,
      role: 'operator',
      body: C.EncryptionRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      return done(res, app, `Changing the encryption of ${app}.`, await s.actions.encryption(app, body));
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/preflight',
      summary: 'What a start or update will do, before it is done',
      tag,
      role: 'viewer',
      body: C.PreflightRequest,
      response: C.PreflightResponse,
    },
    async ({ params, body, res }) => {
      res.locals.readOnly = true;
      return s.preflight.check(name(params), body);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/applications/:name/snapshots',
      summary: 'Create a snapshot',
      tag: 'snapshots',
      role: 'operator',
      body: C.CreateSnapshotRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      res.locals.audit = { action: 'createSnapshot', target: `${app}/${body.name}` };
      await s.actions.createSnapshot(app, body);
      return done(res, app, `Creating snapshot ${body.name}.`);
    },
  );

  api.add(
    {
      method: 'delete',
      path: '/applications/:name/snapshots/:snapshot',
      summary: 'Delete a snapshot (typed confirmation)',
      tag: 'snapshots',
      role: 'operator',
      body: C.DeleteSnapshotRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      const snapshot = C.SnapshotName.parse(params.snapshot);
      res.locals.audit = { action: 'deleteSnapshot', target: `${app}/${snapshot}` };
      await s.actions.deleteSnapshot(app, snapshot, body.confirm);
      return done(res, app, `Deleting snapshot ${snapshot}.`);
    },
  );

  api.add(
    {
      method: 'delete',
      path: '/applications/:name',
      summary: 'Delete the application (typed confirmation)',
      tag,
      role: 'operator',
      body: C.DeleteRequest,
      status: 202,
      response: C.ActionResponse,
    },
    async ({ params, body, res }) => {
      const app = name(params);
      await s.actions.delete(app, body.confirm);
      return done(res, app, `Deleting ${app} and its snapshots.`);
    },
  );
}
