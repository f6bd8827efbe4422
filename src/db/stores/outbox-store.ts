import { AppError } from '../../core/errors.js';
import type { OutboxMessage, Platform, SlackCard } from '../../core/model.js';
import { outboxRow, type OutboxItem, type OutboxRow } from '../../core/outbox/enqueue.js';
import { CUT_OFF, isOutcomeUnknown } from '../../core/outbox/outcome-unknown.js';
import type { ClaimOptions, DeliveryFailure, OutboxStore } from '../../core/ports/outbox-store.js';
import { decodeRow, num, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { dialect, sql, type Dialect, type Sql } from '../statement.js';
import { insertRowSet } from '../row-set.js';

/**
 * The one INSERT of owed messages (rows from core's outboxRow): a key already owed is skipped on
 * both databases, so a replayed change owes nothing twice. The rows go in as one JSON parameter
 * (row-set.ts's insertRowSet): one statement text whatever their number, from a resident's one
 * message to a cold snap's thousands. None when nothing is owed. Other stores run it inside their
 * own transaction, with the change that owes the messages.
 */
export function oweSql(d: Dialect, rows: readonly OutboxRow[]): Sql[] {
  if (!rows.length) return [];
  return [insertRowSet(d, 'OutboxMessage', rows, 'key')];
}

const message = (r: Row) => decodeRow<OutboxMessage>('OutboxMessage', r);

/** Messages owed: owe, claim due rows with a lease, mark sent / failed / dead, resend; where a ticket's Slack cards live. */
export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly q: Runner) {}

  async owe(items: readonly OutboxItem[], now: Date): Promise<void> {
    if (!items.length) return;
    for (const s of oweSql(
      this.q.dialect,
      items.map((i) => outboxRow(i, now)),
    ))
      await this.q.run(s);
  }

  async claim(o: ClaimOptions): Promise<OutboxMessage[]> {
    const { owner, now, leaseUntil, take } = o;
    if (!o.platforms.length || take <= 0) return [];
    const perTarget = o.perTarget ?? Infinity;
    // targets left out of the reading: the caller's busy lanes, then those found blocked or full
    const skip = new Set(o.skip ?? []);
    const eligible: OutboxMessage[] = [];
    const chosen = new Set<number>();
    const heldPerTarget = new Map<string, number>();
    // a few readings at most: each leaves out the targets the one before found blocked or full,
    // so that one channel's backlog (failing, or paced at one a second) does not hide the others'
    for (let round = 0; round < 4 && eligible.length < take; round++) {
      const scan = Math.max(take, 50);
      const perPlatform = await Promise.all(o.platforms.map((p) => this.oldestDue(p, now, scan, skip)));
      const candidates = perPlatform.flat().sort((a, b) => a.priority - b.priority || a.id - b.id);
      if (!candidates.length) break;
      const firstWaiting = await this.firstWaiting(candidates, now);
      const blocked = new Set<string>();
      for (const row of candidates) {
        if (eligible.length >= take) break;
        const target = `${row.platform}:${row.target}`;
        const lane = `${target}:${row.priority}`;
        if (chosen.has(row.id) || skip.has(target) || blocked.has(lane)) continue;
        const heldByOther = row.leaseUntil !== null && row.leaseUntil > now && row.leaseOwner !== owner;
        if (heldByOther) {
          // another instance works this target: it keeps it until its lease runs out
          skip.add(target);
          continue;
        }
        // a row waiting for its retry (or held in reserve) holds back the later rows of its priority
        if (row.id > (firstWaiting.get(lane) ?? Infinity)) {
          blocked.add(lane);
          continue;
        }
        eligible.push(row);
        chosen.add(row.id);
        const n = (heldPerTarget.get(target) ?? 0) + 1;
        heldPerTarget.set(target, n);
        if (n >= perTarget) skip.add(target);
      }
      if (perPlatform.every((rows) => rows.length < scan)) break; // nothing more to read
      for (const lane of blocked) skip.add(lane.slice(0, lane.lastIndexOf(':')));
    }
    if (!eligible.length) return [];

    // conditional on the lease being free: of two workers, only one gets each row. SQLite's
    // planner, without statistics, would scan the (state) index of the whole backlog for 50 ids.
    const byId = dialect({ sqlite: sql` NOT INDEXED`, postgresql: sql`` });
    const got = await this.q.all<{ id: unknown }>(
      sql`UPDATE "OutboxMessage"${byId} SET "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil}
          WHERE "id" IN ${sql.list(eligible.map((r) => r.id))} AND "state" = 'pending'
            AND ("leaseUntil" IS NULL OR "leaseUntil" <= ${now} OR "leaseOwner" = ${owner})
          RETURNING "id"`,
    );
    const mine = new Set(got.map((r) => num(r.id)));
    // a row another worker took in between holds back the later rows to its target: those go back
    const out: OutboxMessage[] = [];
    const giveBack: number[] = [];
    const cutOff: number[] = [];
    const lost = new Set<string>();
    for (const row of eligible.sort((a, b) => a.priority - b.priority || a.id - b.id)) {
      const target = `${row.platform}:${row.target}`;
      if (!mine.has(row.id)) lost.add(target);
      else if (lost.has(target)) giveBack.push(row.id);
      else {
        // still leased (release, sent and failed all clear the lease): its holder stopped mid-delivery
        const cut = row.leaseOwner !== null && !isOutcomeUnknown(row);
        if (cut) cutOff.push(row.id);
        out.push({ ...row, leaseOwner: owner, leaseUntil, ...(cut ? { lastError: CUT_OFF } : {}) });
      }
    }
    // written at once, so that the doubt outlives this claim (a release, this instance stopping too)
    if (cutOff.length) await this.q.run(sql`UPDATE "OutboxMessage" SET "lastError" = ${CUT_OFF} WHERE "id" IN ${sql.list(cutOff)}`);
    if (giveBack.length) await this.release(giveBack, owner);
    return out;
  }

  /**
   * Per target and priority, the first row not yet due (a retry's wait, or a message held in
   * reserve): the rows after it in that lane wait for it.
   */
  private async firstWaiting(candidates: readonly OutboxMessage[], now: Date): Promise<Map<string, number>> {
    const targets = [...new Set(candidates.map((c) => c.target))];
    const waiting = await this.q.all<{ platform: string; target: string; priority: unknown; first: unknown }>(
      sql`SELECT "platform", "target", "priority", MIN("id") AS "first" FROM "OutboxMessage"
          WHERE "state" = 'pending' AND "nextAt" > ${now} AND "target" IN ${sql.list(targets)} GROUP BY "platform", "target", "priority"`,
    );
    return new Map(waiting.map((w) => [`${w.platform}:${w.target}:${num(w.priority)}`, num(w.first)]));
  }

  /**
   * The first due rows of one platform, by priority then age, through (state, platform,
   * priority, id): a cold snap's backlog for a rate-limited platform is neither read nor sorted
   * at every pass. SQLite's planner, without statistics, would take (state, nextAt) and sort
   * every due row, so it is told the index. `skip` holds platform:target keys.
   */
  private async oldestDue(platform: Platform, now: Date, take: number, skip: ReadonlySet<string>): Promise<OutboxMessage[]> {
    const index = dialect({ sqlite: sql` INDEXED BY "OutboxMessage_state_platform_priority_id_idx"`, postgresql: sql`` });
    const prefix = `${platform}:`;
    const left = [...skip].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const notThese = left.length ? sql` AND "target" NOT IN ${sql.list(left)}` : sql``;
    const rows = await this.q.all(
      sql`SELECT * FROM "OutboxMessage"${index} WHERE "state" = 'pending' AND "platform" = ${platform} AND "nextAt" <= ${now}${notThese}
          ORDER BY "priority", "id" LIMIT ${take}`,
    );
    return rows.map(message);
  }

  async release(ids: readonly number[], owner: string): Promise<void> {
    if (!ids.length) return;
    await this.q.run(sql`UPDATE "OutboxMessage" SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" IN ${sql.list(ids)} AND "leaseOwner" = ${owner}`);
  }

  async deliveredElsewhere(key: string, at: Date): Promise<boolean> {
    const q = sql`UPDATE "OutboxMessage" SET "state" = 'sent', "sentAt" = ${at}, "result" = ${'{"by":"reply"}'}
          WHERE "key" = ${key} AND "state" = 'pending' AND "leaseOwner" IS NULL`;
    // one per filed report on the hot path: on SQLite it shares the commit of its event-loop turn
    const changed = this.q.dialect === 'sqlite' ? await this.q.groupCommit((tx) => tx.run(q)) : await this.q.run(q);
    return changed === 1;
  }

  async dueNow(key: string, now: Date): Promise<void> {
    await this.q.run(sql`UPDATE "OutboxMessage" SET "nextAt" = ${now} WHERE "key" = ${key} AND "state" = 'pending' AND "nextAt" > ${now}`);
  }

  async sentResult(key: string): Promise<string | null> {
    const r = await this.q.get<{ result: unknown }>(sql`SELECT "result" FROM "OutboxMessage" WHERE "key" = ${key} AND "state" = 'sent'`);
    return r && typeof r.result === 'string' ? r.result : null;
  }

  async markSent(id: number, o: { at: Date; attempts: number; result: string | null }): Promise<void> {
    await this.q.run(
      sql`UPDATE "OutboxMessage" SET "state" = 'sent', "sentAt" = ${o.at}, "attempts" = ${o.attempts}, "lastError" = NULL,
            "leaseOwner" = NULL, "leaseUntil" = NULL, "result" = ${o.result}
          WHERE "id" = ${id}`,
    );
  }

  async markFailed(id: number, f: DeliveryFailure): Promise<void> {
    await this.q.run(
      sql`UPDATE "OutboxMessage" SET "state" = ${f.dead ? 'dead' : 'pending'}, "attempts" = ${f.attempts}, "lastError" = ${f.error},
            "nextAt" = ${f.nextAt}, "leaseOwner" = NULL, "leaseUntil" = NULL
          WHERE "id" = ${id}`,
    );
  }

  async resend(id: number, now: Date): Promise<void> {
    const changed = await this.q.run(
      sql`UPDATE "OutboxMessage" SET "state" = 'pending', "attempts" = 0, "nextAt" = ${now}, "lastError" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL
          WHERE "id" = ${id} AND "state" = 'dead'`,
    );
    if (changed === 1) return;
    const row = await this.q.get<{ state: string }>(sql`SELECT "state" FROM "OutboxMessage" WHERE "id" = ${id}`);
    if (!row) throw new AppError('not_found', `no outbox message ${id}`);
    throw new AppError('invalid_transition', `outbox message ${id} is ${row.state}, not dead`, { from: row.state, action: 'resend' });
  }

  async list(state: OutboxMessage['state'], page: { skip: number; take: number }): Promise<{ total: number; items: OutboxMessage[] }> {
    const [count, rows] = await Promise.all([
      this.q.get<{ n: unknown }>(sql`SELECT COUNT(*) AS "n" FROM "OutboxMessage" WHERE "state" = ${state}`),
      this.q.all(sql`SELECT * FROM "OutboxMessage" WHERE "state" = ${state} ORDER BY "id" DESC LIMIT ${page.take} OFFSET ${page.skip}`),
    ]);
    return { total: num(count?.n), items: rows.map(message) };
  }

  async countDue(platforms: readonly Platform[], now: Date): Promise<number> {
    if (!platforms.length) return 0;
    const r = await this.q.get<{ n: unknown }>(
      sql`SELECT COUNT(*) AS "n" FROM "OutboxMessage" WHERE "state" = 'pending' AND "nextAt" <= ${now} AND "platform" IN ${sql.list(platforms)}`,
    );
    return num(r?.n);
  }

  async cardOf(ticketId: number, purpose: string): Promise<SlackCard | null> {
    const r = await this.q.get(sql`SELECT * FROM "SlackCard" WHERE "ticketId" = ${ticketId} AND "purpose" = ${purpose}`);
    return r ? decodeRow<SlackCard>('SlackCard', r) : null;
  }

  async cardAt(channel: string, ts: string): Promise<SlackCard | null> {
    const r = await this.q.get(sql`SELECT * FROM "SlackCard" WHERE "channel" = ${channel} AND "ts" = ${ts}`);
    return r ? decodeRow<SlackCard>('SlackCard', r) : null;
  }

  async saveCard(card: Omit<SlackCard, 'id'>): Promise<void> {
    await this.q.run(
      sql`INSERT INTO "SlackCard" ("ticketId", "purpose", "channel", "ts") VALUES (${card.ticketId}, ${card.purpose}, ${card.channel}, ${card.ts})
          ON CONFLICT ("ticketId", "purpose") DO UPDATE SET "channel" = excluded."channel", "ts" = excluded."ts"`,
    );
  }
}
