import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/db/checkpointer.js';
import { parseDatabaseUrl } from '../../src/db/client.js';
import { runnerOf, type SqliteRunner } from '../../src/db/runner.js';
import { insertSql } from '../../src/db/statement.js';
import { makeTestCore, usingPostgres, type TestCore } from '../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

const until = async (ok: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe.skipIf(usingPostgres)('WAL checkpoints on a worker thread', () => {
  it('takes checkpoints off the writing connection, and the worker copies the WAL into the database file', async () => {
    const file = parseDatabaseUrl(core.databaseUrl).url;
    const direct = runnerOf(core.db) as SqliteRunner;
    const c = Checkpointer.start(direct, { intervalMs: 60_000 });
    try {
      expect(Number(direct.pragma('wal_autocheckpoint'))).toBe(0);
      const before = statSync(file).size;
      // well past the 1,000 pages at which the connection would checkpoint by itself
      await direct.groupCommit(async (tx) => {
        for (let i = 0; i < 3000; i++) await tx.run(insertSql('InboundReceipt', [{ key: `k${i}-${'x'.repeat(1500)}`, receivedAt: new Date() }]));
      });
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(4_000 * 1024);
      expect(statSync(file).size).toBe(before); // nothing copied by the writer itself
      c.pass();
      await until(() => c.checkpointed > 0);
      expect(c.checkpointed).toBeGreaterThan(1000);
      expect(statSync(file).size).toBeGreaterThan(before + 4_000 * 1024);
      expect(await core.db.inboundReceipt.count()).toBe(3000);
    } finally {
      await c.stop();
    }
    // stopped: the connection checkpoints by itself again
    expect(Number(direct.pragma('wal_autocheckpoint'))).toBe(1000);
  });
});
