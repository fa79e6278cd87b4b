/**
 * GET /api/events: Server-Sent Events. `?watch=a,b` names the applications this page shows (their
 * operation, snapshot and job events come too). Resumes from Last-Event-ID (header, or `lastEventId`
 * for a new EventSource); a `reset` event tells the client to reload when the events it missed are gone.
 */
import type { Request, Response } from 'express';
import type { EventBus, StoredEvent } from '../events/bus.js';

const HEARTBEAT_MS = 15_000;
const MAX_WATCH = 20;

export function eventsHandler(bus: EventBus, open: Set<Response>) {
  return (req: Request, res: Response) => {
    const watches = new Set(
      String(req.query.watch ?? '')
        .split(',')
        .map((w) => w.trim())
        .filter((w) => /^[a-zA-Z0-9_.-]{1,128}$/.test(w))
        .slice(0, MAX_WATCH),
    );
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (e: StoredEvent) =>
      res.write(`${e.id !== undefined ? `id: ${e.id}\n` : ''}data: ${JSON.stringify(e.event)}\n\n`);
    res.write(`retry: 2000\n\n`);
    const last = Number(req.header('last-event-id') ?? req.query.lastEventId);
    if (Number.isInteger(last) && last >= 0) {
      const missed = bus.since(last, watches);
      if (missed === undefined) res.write(`id: ${bus.lastId}\nevent: reset\ndata: {}\n\n`);
      else for (const e of missed) write(e);
    } else res.write(`id: ${bus.lastId}\nevent: hello\ndata: {}\n\n`);
    const unsubscribe = bus.subscribe({ watches, send: write });
    const heartbeat = setInterval(() => res.write(`: heartbeat ${Date.now()}\n\n`), HEARTBEAT_MS);
    open.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  };
}
