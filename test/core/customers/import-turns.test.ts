/**
 * A register import shares the event loop (and on SQLite the one connection) with residents'
 * updates: it must let the loop turn every few rows, not once per socket read or per part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCustomers } from '../../../src/core/customers/import-customers.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

describe('importing the register', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await makeTestCore();
  });
  afterAll(() => core.close());

  it('lets the event loop take other work at least every 50 rows, even from one large buffer', async () => {
    const n = 5000;
    let csv = 'account,name,phone,address,community,building,unit,room,area_m2\n';
    for (let i = 0; i < n; i++) csv += `T${String(i).padStart(8, '0')},住户${i},139${String(i).padStart(8, '0')},幸福家园${i}号,c001,1,1,101,80\n`;
    // counts the turns of the loop the import leaves to others while it runs
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const res = await importCustomers(core, Buffer.from(csv));
    running = false;
    expect(res).toMatchObject({ created: n, refused: 0 });
    expect(turns).toBeGreaterThanOrEqual(n / 50);
  });
});
