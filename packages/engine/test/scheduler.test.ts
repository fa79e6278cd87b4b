import { describe, expect, it } from 'vitest';
import { Random } from '../src/util/random.js';
import { Scheduler } from '../src/time/scheduler.js';

describe('Scheduler', () => {
  it('pops events in time order, ties in insertion order, and skips cancelled ones', () => {
    const s = new Scheduler();
    s.schedule(30, 'c', 1);
    const b = s.schedule(10, 'b', 2);
    s.schedule(10, 'b2', 3);
    s.schedule(5, 'a', 4);
    s.cancel(b.id);
    const order: string[] = [];
    for (let e = s.popDue(100); e; e = s.popDue(100)) order.push(e.type);
    expect(order).toEqual(['a', 'b2', 'c']);
    expect(s.size).toBe(0);
  });

  it('leaves events that are not due yet', () => {
    const s = new Scheduler();
    s.schedule(50, 'later', null);
    expect(s.popDue(49)).toBeUndefined();
    expect(s.peekTime()).toBe(50);
    expect(s.popDue(50)?.type).toBe('later');
  });

  it('reloads stored events with their ids and keeps issuing fresh ids', () => {
    const s = new Scheduler();
    const a = s.schedule(20, 'a', null);
    const b = s.schedule(10, 'b', null);
    const t = new Scheduler();
    t.load(s.events(), s.nextSeq);
    expect(t.popDue(100)?.id).toBe(b.id);
    expect(t.popDue(100)?.id).toBe(a.id);
    expect(t.schedule(1, 'c', null).id).not.toBe(a.id);
  });
});

describe('Random', () => {
  it('repeats for the same seed and differs for another', () => {
    const seq = (seed: string) => {
      const r = Random.fromSeed(seed);
      return Array.from({ length: 5 }, () => r.uint32());
    };
    expect(seq('x')).toEqual(seq('x'));
    expect(seq('x')).not.toEqual(seq('y'));
  });

  it('continues from a stored state', () => {
    const r = Random.fromSeed(1);
    r.uint32();
    const copy = new Random(r.state);
    expect(copy.hex(16)).toBe(r.hex(16));
  });
});
