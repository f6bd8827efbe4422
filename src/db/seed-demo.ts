import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Core } from '../core/context.js';
import { importCustomers } from '../core/customers/import-customers.js';

export const DEMO_CUSTOMERS = resolve(import.meta.dirname, '../../prisma/demo-customers.csv');

/**
 * Loads the demo customer register into an empty database. Returns how many were created. Several
 * instances starting together run it through OpenedCore.exclusive, so that the second waits for
 * the first's register instead of importing beside it or starting with part of it.
 */
export async function seedDemoCustomers(core: Core): Promise<number> {
  if ((await core.stores.customers.count()) > 0) return 0;
  const res = await importCustomers(core, readFileSync(DEMO_CUSTOMERS, 'utf8'));
  if (res.errors.length) throw new Error(`demo customers: ${res.errors.length} bad rows, first: ${JSON.stringify(res.errors[0])}`);
  return res.created;
}
