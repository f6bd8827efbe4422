import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstReceipt, forgetReceipt } from '../../../src/core/inbound/remember-receipt.js';
import { pruneOldRows } from '../../../src/core/housekeeping/prune-old-rows.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

describe('inbound receipts', () => {
  it('recognise a replayed update, also when both arrive at once', async () => {
    expect(await firstReceipt(core, 'telegram:1001')).toBe(true);
    expect(await firstReceipt(core, 'telegram:1001')).toBe(false);
    const both = await Promise.all([firstReceipt(core, 'slack:Ev1'), firstReceipt(core, 'slack:Ev1')]);
    expect(both.sort()).toEqual([false, true]);
  });

  it('can be forgotten after a failed handling, and pruned after a week', async () => {
    await forgetReceipt(core, 'telegram:1001');
    expect(await firstReceipt(core, 'telegram:1001')).toBe(true);
    core.clock.advance(8 * 86_400_000);
    expect((await pruneOldRows(core)).receipts).toBe(2);
  });
});
