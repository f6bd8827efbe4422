/**
 * Inbound idempotency (issue 8): a Telegram update_id, a Slack event_id or interaction id is
 * handled once. The receipt is a row in the database (not memory), so a replay after a
 * restart, or to another instance, is recognised too.
 */
import type { Core } from '../context.js';

/** True the first time `key` is seen; false for a replay. */
export async function firstReceipt(core: Pick<Core, 'db' | 'clock'>, key: string): Promise<boolean> {
  try {
    await core.db.inboundReceipt.create({ data: { key, receivedAt: core.clock.now() } });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** Forget a receipt whose handling failed before anything was stored, so a retry is handled. */
export async function forgetReceipt(core: Pick<Core, 'db'>, key: string): Promise<void> {
  await core.db.inboundReceipt.deleteMany({ where: { key } });
}

/** Receipts older than `days` can go: platforms stop retrying long before. */
export async function pruneReceipts(core: Pick<Core, 'db' | 'clock'>, days = 7): Promise<number> {
  const cutoff = new Date(core.clock.now().getTime() - days * 86_400_000);
  return (await core.db.inboundReceipt.deleteMany({ where: { receivedAt: { lt: cutoff } } })).count;
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'P2002' || /Unique constraint/i.test((e as Error)?.message ?? '');
}
