/**
 * "Has anything changed since I last looked?" for the pollers. An mfc emulator answers it in one small
 * request (`GET /_emulator/generation`: equal generations give equal answers to every read-only call), so
 * an idle fleet of 1,000 applications costs one request per poll instead of a page walk through the SDK.
 * AWS has no such signal: there the pollers always read.
 */
import { emulatorJson } from './clock.js';

/** The target's current generation, or undefined when it cannot say (then the caller reads anyway). */
export type ChangeSignal = () => Promise<string | undefined>;

export const noChangeSignal: ChangeSignal = async () => undefined;

export function emulatorChangeSignal(url: string): ChangeSignal {
  // Pollers that tick together share one request.
  let inFlight: Promise<string | undefined> | undefined;
  const ask = async (): Promise<string | undefined> => {
    const generation = (await emulatorJson(url, '/_emulator/generation'))?.generation;
    return typeof generation === 'string' ? generation : undefined;
  };
  return () => {
    inFlight ??= ask().finally(() => (inFlight = undefined));
    return inFlight;
  };
}
