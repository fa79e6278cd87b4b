/**
 * `/_emulator/*`: health, reset, the state's generation, the virtual clock (speed, advance, time profile) and demo scenarios.
 * Local administration, so no AWS signature is needed.
 */
import { checkInvariants, TIME_PROFILES, type TimeProfileName } from '@mfc/engine';
import type { Pacer } from '../pacer.js';
import type { WireResponse } from '../protocol/json-rpc.js';
import type { Emulator } from '../server.js';
import { prometheusText } from './prometheus.js';
import { runScenario, SCENARIOS } from './scenarios.js';

export interface AdminRequest {
  emulator: Emulator;
  url: URL;
  method: string;
  body: Buffer;
  pacer: Pacer;
  seedDemo: () => Promise<void>;
}

export function json(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

const problem = (status: number, message: string) => json(status, { error: message });

function readJson(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function clockState(req: AdminRequest) {
  const engine = req.emulator.engine();
  return {
    now: engine.now(),
    nowIso: new Date(engine.now()).toISOString(),
    speed: req.pacer.speed,
    timeProfile: engine.timeProfile,
    pendingEvents: engine.scheduler.size,
  };
}

export function handleAdmin(req: AdminRequest): WireResponse {
  const path = req.url.pathname.replace(/\/+$/, '');
  const engine = req.emulator.engine();
  switch (`${req.method} ${path}`) {
    case 'GET /_emulator/health':
      return json(200, {
        status: 'ok',
        storage: req.emulator.store.kind,
        applications: engine.store.apps.size,
        faults: engine.faults.length,
        ...clockState(req),
      });
    case 'POST /_emulator/reset':
      req.emulator.reset();
      return json(200, { status: 'reset', ...clockState(req) });
    case 'GET /_emulator/generation':
      return json(200, { generation: req.emulator.stateGeneration() });
    case 'GET /_emulator/clock':
      return json(200, clockState(req));
    case 'POST /_emulator/clock': {
      const body = readJson(req.body);
      if (!body) return problem(400, 'The body must be a JSON object.');
      const { speed, advanceMs, timeProfile } = body;
      if (speed !== undefined && (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0 || speed > 10_000))
        return problem(400, 'speed must be a number from 0 (paused) to 10000.');
      if (
        advanceMs !== undefined &&
        (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0 || advanceMs > 31 * 86_400_000)
      )
        return problem(400, 'advanceMs must be a number of milliseconds from 0 to 31 days.');
      if (timeProfile !== undefined && !(typeof timeProfile === 'string' && timeProfile in TIME_PROFILES))
        return problem(400, `timeProfile must be one of ${Object.keys(TIME_PROFILES).join(', ')}.`);
      if (timeProfile !== undefined) engine.setTimeProfile(timeProfile as TimeProfileName);
      if (speed !== undefined) req.pacer.setSpeed(speed as number);
      if (advanceMs !== undefined) req.pacer.advance(advanceMs as number);
      return json(200, clockState(req));
    }
    case 'GET /_emulator/scenarios':
      return json(200, { scenarios: SCENARIOS });
    case 'GET /_emulator/faults':
      return json(200, { faults: engine.faults });
    case 'GET /_emulator/invariants':
      return json(200, { problems: checkInvariants(engine), faults: engine.faults.length });
    case 'GET /_emulator/metrics':
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: prometheusText(engine),
      };
  }
  const scenario = /^\/_emulator\/scenarios\/([a-z0-9-]+)$/.exec(path);
  if (scenario && req.method === 'POST') {
    const body = readJson(req.body);
    if (!body) return problem(400, 'The body must be a JSON object.');
    const result = req.emulator.mutate((e) => runScenario(e, scenario[1]!, body));
    return 'error' in result ? problem(result.status, result.error) : json(200, result);
  }
  return problem(404, `No emulator route ${req.method} ${path}.`);
}
