/**
 * The service's clock as the browser estimates it. Against the emulator, time is virtual (it can run
 * 60× or jump ahead ten minutes), so ages like "last checkpoint 40 s ago" must be measured against the
 * service's now, not the browser's. Every response that carries the service's time re-anchors it.
 */
let anchor = { serviceNow: Date.now(), localAt: Date.now(), speed: 1 };

export function observeServiceTime(serviceNow: number, speed?: number): void {
  if (!Number.isFinite(serviceNow)) return;
  anchor = { serviceNow, localAt: Date.now(), speed: speed ?? anchor.speed };
}

export function serviceNow(): number {
  return anchor.serviceNow + (Date.now() - anchor.localAt) * anchor.speed;
}
