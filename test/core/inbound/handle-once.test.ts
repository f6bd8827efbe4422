/**
 * The inbound gate: a request's receipt is stored when its work is done, so a failed or cut-short
 * handling leaves none and the platform's redelivery is handled; a copy that arrives while the
 * first is in progress waits for its outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundGate } from '../../../src/core/inbound/handle-once.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

function deferred() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const p = new Promise<void>((ok, no) => {
    open = ok;
    fail = no;
  });
  return { p, open, fail };
}

describe('the inbound gate', () => {
  it('handles a request once, and a replay (also in another process) not at all', async () => {
    const gate = new InboundGate(core);
    let runs = 0;
    expect(await gate.handle('telegram:1', async () => void runs++)).toBe('handled');
    expect(await gate.handle('telegram:1', async () => void runs++)).toBe('replay');
    expect(await new InboundGate(core).handle('telegram:1', async () => void runs++)).toBe('replay');
    expect(runs).toBe(1);
  });

  it('stores nothing when the work fails, so the redelivery is handled', async () => {
    const gate = new InboundGate(core);
    await expect(
      gate.handle('telegram:2', async () => {
        throw new Error('the database went away');
      }),
    ).rejects.toThrow('the database went away');
    expect(await core.stores.receipts.seen('telegram:2')).toBe(false);
    let runs = 0;
    expect(await gate.handle('telegram:2', async () => void runs++)).toBe('handled');
    expect(runs).toBe(1);
  });

  it('keeps nothing of a process that died in the middle: the next process handles the redelivery', async () => {
    const dying = new InboundGate(core);
    const never = deferred();
    void dying.handle('telegram:3', () => never.p);
    await new Promise((r) => setImmediate(r));
    let runs = 0;
    expect(await new InboundGate(core).handle('telegram:3', async () => void runs++)).toBe('handled');
    expect(runs).toBe(1);
  });

  it('a copy arriving while the first is in progress waits: a replay when the first succeeds', async () => {
    const gate = new InboundGate(core);
    const slow = deferred();
    let runs = 0;
    const first = gate.handle('slack:Ev1', async () => {
      runs++;
      await slow.p;
    });
    const copy = gate.handle('slack:Ev1', async () => void runs++);
    await new Promise((r) => setImmediate(r));
    slow.open();
    expect(await Promise.all([first, copy])).toEqual(['handled', 'replay']);
    expect(runs).toBe(1);
  });

  it('a copy arriving while the first is in progress is handled when the first fails, by one copy only', async () => {
    const gate = new InboundGate(core);
    const slow = deferred();
    const started = deferred();
    const ran: string[] = [];
    const first = gate.handle('slack:Ev2', async () => {
      ran.push('first');
      started.open();
      await slow.p;
    });
    const copies = [gate.handle('slack:Ev2', async () => void ran.push('copy a')), gate.handle('slack:Ev2', async () => void ran.push('copy b'))];
    // fail the work only once it is waiting for it (the receipt read before it may take a while)
    await started.p;
    slow.fail(new Error('cut short'));
    await expect(first).rejects.toThrow('cut short');
    expect(await Promise.all(copies)).toEqual(['handled', 'replay']);
    expect(ran).toEqual(['first', 'copy a']);
  });

  it('stores the keys the work acted on once with the request, and not again those the work stored itself', async () => {
    const gate = new InboundGate(core);
    await gate.handle('telegram:4', async (r) => {
      r.add('telegram:once:ask:9:1');
      r.add('telegram:once:paid-own:9:2');
      await core.stores.receipts.record(['telegram:once:paid-own:9:2'], core.clock.now());
      r.markStored(['telegram:once:paid-own:9:2']);
    });
    for (const key of ['telegram:4', 'telegram:once:ask:9:1', 'telegram:once:paid-own:9:2']) expect(await gate.seen(key)).toBe(true);
  });
});
