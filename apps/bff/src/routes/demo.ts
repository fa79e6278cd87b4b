/**
 * The demo panel: time speed, fault scenarios and reset, forwarded to the emulator's /_emulator API.
 * Only when the target is an emulator; against AWS these routes answer 404.
 */
import * as C from '@mfc/contracts';
import type { Api } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import type { Services } from '../services/index.js';

export function demoRoutes(api: Api, s: Services): void {
  const tag = 'demo';
  const emulator = () => {
    const url = s.clock.emulatorUrl;
    if (!url) throw new HttpError(404, 'NotAnEmulator', 'The demo controls exist only when the target is an emulator.');
    return url;
  };
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(`${emulator()}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new HttpError(res.status, 'ScenarioFailed', String(json.error ?? `HTTP ${res.status}`));
    await s.clock.refresh();
    return json;
  };

  api.add(
    {
      method: 'get',
      path: '/demo/scenarios',
      summary: 'Fault scenarios to rehearse',
      tag,
      response: C.DemoScenariosResponse,
    },
    async () => call('/_emulator/scenarios'),
  );
  api.add(
    {
      method: 'post',
      path: '/demo/scenarios/:scenario',
      summary: 'Run a scenario',
      tag,
      role: 'operator',
      body: C.DemoScenarioRequest,
    },
    async ({ params, body, res }) => {
      res.locals.audit = { action: `scenario:${params.scenario}`, target: body.application ?? '' };
      return call(`/_emulator/scenarios/${encodeURIComponent(params.scenario!)}`, body);
    },
  );
  api.add({ method: 'get', path: '/demo/clock', summary: 'The emulator’s virtual clock', tag }, async () =>
    call('/_emulator/clock'),
  );
  api.add(
    {
      method: 'post',
      path: '/demo/clock',
      summary: 'Change the time speed or jump ahead',
      tag,
      role: 'operator',
      body: C.DemoClockRequest,
    },
    async ({ body }) => call('/_emulator/clock', body),
  );
  api.add(
    {
      method: 'post',
      path: '/demo/reset',
      summary: 'Reset the emulator (and reseed the demo fleet)',
      tag,
      role: 'admin',
    },
    async () => {
      const r = await call('/_emulator/reset', {});
      s.apps.forgetAll();
      return r;
    },
  );
}
