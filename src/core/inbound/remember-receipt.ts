/**
 * Inbound idempotency (issue 8): a Telegram update_id, a Slack event_id or interaction id is
 * handled once. The receipt is a row in the database (not memory), so a replay after a
 * restart, or to another instance, is recognised too.
 */
import type { Core, Tx } from '../context.js';
import { Params } from '../../db/sql.js';
import { sqliteDirect } from '../../db/sqlite-direct.js';
import { pgDirect } from '../../db/pg-direct.js';

/** True the first time `key` is seen; false for a replay. `db` may be a transaction, so that the receipt commits with the work. */
export async function firstReceipt(core: { db: Pick<Tx, '$executeRawUnsafe'> } & Pick<Core, 'clock' | 'provider'>, key: string): Promise<boolean> {
  // one statement on every update, so raw: no exception for a replay, no query compiling
  const direct = sqliteDirect(core.db);
  if (direct) {
    const at = core.clock.now();
    return direct.inGroupCommit(() => direct.insert('InboundReceipt', { key, receivedAt: at }, 'key') !== 0);
  }
  const pg = pgDirect(core.db);
  if (pg) return (await pg.execute('INSERT INTO "InboundReceipt" ("key", "receivedAt") VALUES ($1, $2) ON CONFLICT ("key") DO NOTHING', [key, core.clock.now()])) === 1;
  const p = new Params(core.provider);
  const inserted = await core.db.$executeRawUnsafe(
    `INSERT INTO "InboundReceipt" ("key", "receivedAt") VALUES (${p.add(key)}, ${p.add(core.clock.now())}) ON CONFLICT ("key") DO NOTHING`,
    ...p.values,
  );
  return inserted === 1;
}

/** Forget a receipt whose handling failed before anything was stored, so a retry is handled. */
export async function forgetReceipt(core: Pick<Core, 'db'>, key: string): Promise<void> {
  await core.db.inboundReceipt.deleteMany({ where: { key } });
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'P2002' || /Unique constraint/i.test((e as Error)?.message ?? '');
}
