/**
 * The customer register on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): lookups and the bulk import behave the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerFields, CustomerStore } from '../../../src/core/ports/customer-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let customers: CustomerStore;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const t1 = new Date('2026-11-29T06:00:00.456Z');

const fields = (account: string, over: Partial<CustomerFields> = {}): CustomerFields => ({
  account,
  name: `住户${account}`,
  phone: '13800001234',
  address: '幸福家园1号楼1单元101',
  communityId: 'c001',
  building: '1',
  unit: '1',
  room: '101',
  areaM2: 88.5,
  ...over,
});

beforeAll(async () => {
  core = await makeTestCore();
  customers = core.stores.customers;
});
afterAll(() => core.close());

describe('the customer store', () => {
  it('creates new accounts in bulk and reads them back by account and by id, with their types', async () => {
    expect(await customers.upsertByAccount([fields('A-0001'), fields('A-0002', { building: null, unit: null, room: null, areaM2: null })], t0)).toEqual({
      created: 2,
      updated: 0,
    });
    const a = await customers.byAccount('A-0001');
    expect(a).toMatchObject({ ...fields('A-0001'), createdAt: t0, updatedAt: t0 });
    expect(await customers.byId(a!.id)).toEqual(a);
    expect(await customers.byAccount('A-0002')).toMatchObject({ building: null, unit: null, room: null, areaM2: null });
  });

  it('updates known accounts in place, keeping their id and creation time, and counts created and updated apart', async () => {
    const before = (await customers.byAccount('A-0001'))!;
    const r = await customers.upsertByAccount([fields('A-0001', { name: '新户主', phone: '13900005678', areaM2: null }), fields('A-0003')], t1);
    expect(r).toEqual({ created: 1, updated: 1 });
    const after = (await customers.byAccount('A-0001'))!;
    expect(after).toMatchObject({ id: before.id, name: '新户主', phone: '13900005678', areaM2: null, createdAt: t0, updatedAt: t1 });
    expect(await core.db.customer.count()).toBe(3);
  });

  it('stores nothing of a part that fails', async () => {
    const bad = [fields('A-0004'), { ...fields('A-0005'), name: null as unknown as string }];
    await expect(customers.upsertByAccount(bad, t1)).rejects.toThrow();
    expect(await customers.byAccount('A-0004')).toBeNull();
  });

  it('finds customers by exact phone number, at most as many as asked, and answers null for unknown ones', async () => {
    await customers.upsertByAccount(
      [fields('P-0001', { phone: '13700000001' }), fields('P-0002', { phone: '13700000001' }), fields('P-0003', { phone: '13700000001' })],
      t0,
    );
    const two = await customers.byPhone('13700000001', 2);
    expect(two.map((c) => c.account)).toEqual(['P-0001', 'P-0002']);
    expect(await customers.byPhone('1370000000', 5)).toEqual([]);
    expect(await customers.byAccount('nope')).toBeNull();
    expect(await customers.byId(999_999)).toBeNull();
  });

  it('imports a part of 500 rows in one statement whether the accounts are new or known', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => fields(`B-${String(i).padStart(4, '0')}`));
    expect(await customers.upsertByAccount(rows, t0)).toEqual({ created: 500, updated: 0 });
    expect(
      await customers.upsertByAccount(
        rows.map((r) => ({ ...r, name: '改名' })),
        t1,
      ),
    ).toEqual({ created: 0, updated: 500 });
    expect(await core.db.customer.count({ where: { account: { startsWith: 'B-' }, name: '改名', updatedAt: t1 } })).toBe(500);
    expect(await customers.upsertByAccount([], t1)).toEqual({ created: 0, updated: 0 });
  });
});
