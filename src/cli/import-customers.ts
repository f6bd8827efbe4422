/** npm run import:customers -- file.csv : loads the customer register into the configured database. */
import { createReadStream } from 'node:fs';
import { openCore } from '../bootstrap.js';
import { readSettings } from '../config.js';
import { importCustomers } from '../core/customers/import-customers.js';
import { isAppError } from '../core/errors.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run import:customers -- <file.csv>');
  process.exit(2);
}
const settings = readSettings();
const core = await openCore({ databaseUrl: settings.databaseUrl, orgConfig: settings.orgConfig, pgPoolSize: settings.pgPoolSize });
try {
  const res = await importCustomers(core, createReadStream(file));
  console.log(`${res.created} created, ${res.updated} updated, ${res.refused} rows refused`);
  for (const e of res.errors) console.log(`  line ${e.line}${e.account ? ` (${e.account})` : ''}: ${e.code}: ${e.message}`);
  process.exitCode = res.refused ? 1 : 0;
} catch (e) {
  console.error(isAppError(e) ? `${e.code}: ${e.message}` : e);
  process.exitCode = 2;
} finally {
  await core.close();
}
