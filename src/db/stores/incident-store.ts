import { deadlineAlertKinds } from '../../core/deadlines/schedule-alerts.js';
import { AppError } from '../../core/errors.js';
import type { Incident, IncidentEvent, Ticket } from '../../core/model.js';
import type {
  Declaration,
  IncidentChange,
  IncidentEventDraft,
  IncidentStore,
  LinkedTicket,
  Restoration,
  ResidentToNotify,
} from '../../core/ports/incident-store.js';
import type { StepPlan } from '../../core/ports/ticket-store.js';
import { decodeRow, num, type Row } from '../codec.js';
import { idSet, insertRowSet } from '../row-set.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Sql } from '../statement.js';
import { oweSql } from './outbox-store.js';

/** A ticket's step inside the caller's transaction: the ticket store's own statements, so the rule of a resolve is written once. */
function applyStepIn(tx: Runner, plan: StepPlan) {
  return new SqlTicketStore(tx).applyStep(plan);
}
import { SqlTicketStore } from './ticket-store.js';

/** The statuses a report can be taken over by an incident in: nobody has resolved it yet. */
const LINKABLE = ['received', 'dispatched', 'accepted', 'on_site'] as const;
/** The deadline alert kinds a linked report no longer has: the incident's card keeps its time. */
const DEADLINE_ALERT_KINDS = deadlineAlertKinds();

const JSON_LISTS = ['branchIds', 'communityIds', 'stationIds'] as const;

function incidentOf(r: Row): Incident {
  const i = decodeRow<Record<string, unknown>>('Incident', r);
  for (const k of JSON_LISTS) i[k] = typeof i[k] === 'string' ? JSON.parse(i[k] as string) : (i[k] ?? []);
  return i as unknown as Incident;
}

function eventRow(incidentId: number, e: IncidentEventDraft) {
  return { incidentId, at: e.at, type: e.type, actor: e.actor, note: e.note, data: e.data ? JSON.stringify(e.data) : null };
}

/** Thrown inside a declaration's transaction to undo it when another declaration holds the area. */
class Taken extends Error {}

/** Incidents: declared with their areas and links, updated, restored with their tickets, in one transaction each. */
export class SqlIncidentStore implements IncidentStore {
  constructor(private readonly q: Runner) {}

  async declare(d: Declaration): Promise<{ incident: Incident; created: boolean; linked: LinkedTicket[] }> {
    const held = await this.heldBy(d);
    if (held) return { incident: held, created: false, linked: [] };
    try {
      return await this.q.transaction(async (tx) => {
        const drawn = await tx.get<{ value: unknown }>(
          sql`INSERT INTO "TicketCounter" ("key", "value") VALUES (${d.counter}, 1)
              ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1 RETURNING "value"`,
        );
        const n = num(drawn?.value);
        const number = `${d.counter}-${String(n).padStart(2, '0')}`;
        const inc = d.incident;
        const row = {
          ...inc,
          number,
          status: 'open',
          branchIds: JSON.stringify(inc.branchIds),
          communityIds: JSON.stringify(inc.communityIds),
          stationIds: JSON.stringify(inc.stationIds),
          linkedCount: 0,
          version: 0,
          updatedAt: inc.declaredAt,
        };
        // a second tap on the same proposal: skipped here (waiting for the first on PostgreSQL), undone below
        const stored = await tx.get(sql`${insertSql('Incident', [row])} ON CONFLICT DO NOTHING RETURNING *`);
        if (!stored) throw new Taken();
        let incident = incidentOf(stored);
        // one open incident per community: the unique openCommunity decides a race of two declarations
        const areas = inc.communityIds.map((c) => ({ incidentId: incident.id, communityId: c, openCommunity: c }));
        const taken = await tx.run(insertRowSet(tx.dialect, 'IncidentArea', areas, 'openCommunity'));
        if (taken !== areas.length) throw new Taken();
        const linked = await linkFiled(tx, incident, d.link.since);
        if (linked.length) {
          const r = await tx.get(sql`UPDATE "Incident" SET "linkedCount" = ${linked.length} WHERE "id" = ${incident.id} RETURNING *`);
          incident = incidentOf(r!);
        }
        await tx.run(insertSql('IncidentEvent', [eventRow(incident.id, { ...d.event, data: { ...d.event.data, linked: linked.length } })]));
        for (const s of oweSql(tx.dialect, d.owes(incident, linked))) await tx.run(s);
        return { incident, created: true, linked };
      });
    } catch (e) {
      if (!(e instanceof Taken)) throw e;
      const winner = await this.heldBy(d);
      if (!winner) throw new AppError('concurrent_update', 'another declaration of these communities changed meanwhile', {});
      return { incident: winner, created: false, linked: [] };
    }
  }

  /** The incident that already holds a declaration's proposal or any of its communities. */
  private async heldBy(d: Declaration): Promise<Incident | null> {
    if (d.incident.proposalKey) {
      const byKey = await this.byProposalKey(d.incident.proposalKey);
      if (byKey) return byKey;
    }
    return (await this.openForAny(d.incident.communityIds))[0] ?? null;
  }

  async openFor(communityId: string): Promise<Incident | null> {
    const r = await this.q.get(sql`SELECT i.* FROM "IncidentArea" a JOIN "Incident" i ON i."id" = a."incidentId" WHERE a."openCommunity" = ${communityId}`);
    return r ? incidentOf(r) : null;
  }

  async openForAny(communityIds: readonly string[]): Promise<Incident[]> {
    if (!communityIds.length) return [];
    const rows = await this.q.all(
      sql`SELECT DISTINCT i.* FROM "IncidentArea" a JOIN "Incident" i ON i."id" = a."incidentId" WHERE a."openCommunity" IN ${sql.list(communityIds)} ORDER BY i."id"`,
    );
    return rows.map(incidentOf);
  }

  async byId(id: number): Promise<Incident | null> {
    const r = await this.q.get(sql`SELECT * FROM "Incident" WHERE "id" = ${id}`);
    return r ? incidentOf(r) : null;
  }

  async byNumber(number: string): Promise<Incident | null> {
    const r = await this.q.get(sql`SELECT * FROM "Incident" WHERE "number" = ${number}`);
    return r ? incidentOf(r) : null;
  }

  async byProposalKey(key: string): Promise<Incident | null> {
    const r = await this.q.get(sql`SELECT * FROM "Incident" WHERE "proposalKey" = ${key}`);
    return r ? incidentOf(r) : null;
  }

  async list(o: { status?: Incident['status']; take: number; skip: number }): Promise<{ incidents: Incident[]; total: number }> {
    const where = o.status ? sql` WHERE "status" = ${o.status}` : sql``;
    const rows = await this.q.all(sql`SELECT * FROM "Incident"${where} ORDER BY "declaredAt" DESC, "id" DESC LIMIT ${o.take} OFFSET ${o.skip}`);
    const total = await this.q.get<{ n: unknown }>(sql`SELECT COUNT(*) AS "n" FROM "Incident"${where}`);
    return { incidents: rows.map(incidentOf), total: num(total?.n) };
  }

  async events(incidentId: number): Promise<IncidentEvent[]> {
    const rows = await this.q.all(sql`SELECT * FROM "IncidentEvent" WHERE "incidentId" = ${incidentId} ORDER BY "at", "id"`);
    return rows.map((r) => decodeRow<IncidentEvent>('IncidentEvent', r));
  }

  async linkedTickets(incidentId: number, page: { take: number; skip: number }): Promise<Ticket[]> {
    const rows = await this.q.all(sql`SELECT * FROM "Ticket" WHERE "incidentId" = ${incidentId} ORDER BY "id" LIMIT ${page.take} OFFSET ${page.skip}`);
    return rows.map((r) => decodeRow<Ticket>('Ticket', r));
  }

  async openLinked(incidentId: number): Promise<{ ticket: Ticket; residentChatId: string | null }[]> {
    const rows = await this.q.all(
      sql`SELECT t.*, CASE WHEN r."unreachableAt" IS NULL THEN r."chatId" END AS "residentChatId"
          FROM "Ticket" t LEFT JOIN "Resident" r ON r."id" = t."residentId"
          WHERE t."incidentId" = ${incidentId} AND t."status" IN ${sql.list(LINKABLE)} ORDER BY t."id"`,
    );
    return rows.map((r) => {
      const { residentChatId, ...ticket } = r;
      return { ticket: decodeRow<Ticket>('Ticket', ticket), residentChatId: (residentChatId as string | null) ?? null };
    });
  }

  link(l: { incidentId: number; ticket: StepPlan; note: string | null; actor: string; messages: Parameters<typeof oweSql>[1] }): Promise<Incident> {
    return this.q.transaction(async (tx) => {
      await applyStepIn(tx, l.ticket);
      const r = await tx.get(
        sql`UPDATE "Incident" SET "linkedCount" = "linkedCount" + 1, "updatedAt" = ${l.ticket.at} WHERE "id" = ${l.incidentId} AND "status" = 'open' RETURNING *`,
      );
      if (!r) throw new AppError('invalid_transition', `incident ${l.incidentId} is not open`, { from: 'restored', action: 'link' });
      const ticketId = l.ticket.ticketId;
      await tx.run(insertSql('IncidentEvent', [eventRow(l.incidentId, { at: l.ticket.at, type: 'linked', actor: l.actor, note: l.note, data: { ticketId } })]));
      for (const s of oweSql(tx.dialect, l.messages)) await tx.run(s);
      return incidentOf(r);
    });
  }

  update(c: IncidentChange): Promise<Incident> {
    return this.q.transaction((tx) => change(tx, c));
  }

  restore(r: Restoration): Promise<Incident> {
    return this.q.transaction(async (tx) => {
      const incident = await change(tx, r);
      for (const plan of r.tickets) await applyStepIn(tx, plan);
      // a report linked after the plans were read (the change above now holds the incident's row, so no more can be)
      const late = await tx.get<{ n: unknown }>(sql`SELECT COUNT(*) AS "n" FROM "Ticket" WHERE "incidentId" = ${r.id} AND "status" IN ${sql.list(LINKABLE)}`);
      if (num(late?.n) > 0)
        throw new AppError('concurrent_update', `incident ${r.id} took new reports while its restoration was decided`, {
          incidentId: r.id,
          lateLinks: num(late?.n),
        });
      // the communities are free again: a new failure there is a new incident
      await tx.run(sql`UPDATE "IncidentArea" SET "openCommunity" = NULL WHERE "incidentId" = ${r.id}`);
      return incident;
    });
  }

  async residentsToNotify(communityIds: readonly string[], incidentId: number): Promise<ResidentToNotify[]> {
    if (!communityIds.length) return [];
    const list = sql.list(communityIds);
    // two indexed reads rather than one OR: bound residents through Customer(communityId), and the few placed by hand
    const rows = await this.q.all<{ id: unknown; chatId: string; locale: string }>(
      sql`SELECT r."id", r."chatId", r."locale" FROM "Customer" c JOIN "Resident" r ON r."customerId" = c."id"
          WHERE c."communityId" IN ${list} AND r."unreachableAt" IS NULL
          UNION ALL
          SELECT r."id", r."chatId", r."locale" FROM "Resident" r
          WHERE r."customerId" IS NULL AND r."communityId" IN ${list} AND r."unreachableAt" IS NULL`,
    );
    const tickets = await this.q.all<{ id: unknown; residentId: unknown }>(
      sql`SELECT "id", "residentId" FROM "Ticket" WHERE "incidentId" = ${incidentId} AND "residentId" IS NOT NULL ORDER BY "id"`,
    );
    const newest = new Map<number, number>();
    for (const t of tickets) newest.set(num(t.residentId), num(t.id));
    const seen = new Set<number>();
    const out: ResidentToNotify[] = [];
    for (const r of rows) {
      const id = num(r.id);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ residentId: id, chatId: r.chatId, locale: r.locale, ticketId: newest.get(id) ?? null });
    }
    return out.sort((a, b) => a.residentId - b.residentId);
  }

  async cardOf(incidentId: number, channel: string): Promise<string | null> {
    const r = await this.q.get<{ ts: string }>(sql`SELECT "ts" FROM "IncidentCard" WHERE "incidentId" = ${incidentId} AND "channel" = ${channel}`);
    return r?.ts ?? null;
  }

  async saveCard(c: { incidentId: number; channel: string; ts: string }): Promise<void> {
    await this.q.run(sql`${insertSql('IncidentCard', [c])} ON CONFLICT ("incidentId", "channel") DO UPDATE SET "ts" = EXCLUDED."ts"`);
  }
}

/** The incident's change if its version is the one decided on, its timeline line and messages. */
async function change(tx: Runner, c: IncidentChange): Promise<Incident> {
  const sets: Sql[] = Object.entries(c.patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => sql`${sql.ident(k)} = ${v}`);
  const r = await tx.get(sql`UPDATE "Incident" SET ${sql.join(sets)}, "version" = "version" + 1 WHERE "id" = ${c.id} AND "version" = ${c.version} RETURNING *`);
  if (!r) throw new AppError('concurrent_update', `incident ${c.id} changed while this change was being decided`, { incidentId: c.id });
  await tx.run(insertSql('IncidentEvent', [eventRow(c.id, c.event)]));
  for (const s of oweSql(tx.dialect, c.messages)) await tx.run(s);
  return incidentOf(r);
}

/**
 * The reports already filed that a new incident takes over, in bulk: open no-heat complaints of
 * its communities since `since`. Each is taken by the incident's branch (accepted), loses its
 * acknowledgement and visit clocks (withdrawn, not missed: the incident stands for them), is a
 * fault of the network for R27 (scope primary: repaired within 24 h), takes
 * the incident's resolve time, and gets a 'linked' event.
 */
async function linkFiled(tx: Runner, incident: Incident, since: Date): Promise<LinkedTicket[]> {
  const at = incident.declaredAt;
  const rows = await tx.all<{ id: unknown; number: string; residentId: unknown; status: string; branchId: string | null }>(
    sql`SELECT "id", "number", "residentId", "status", "branchId" FROM "Ticket"
        WHERE "communityId" IN ${sql.list(incident.communityIds)} AND "createdAt" >= ${since}
          AND "kind" = 'complaint' AND "category" = 'no_heat' AND "incidentId" IS NULL AND "status" IN ${sql.list(LINKABLE)}
        ORDER BY "id"`,
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => num(r.id));
  const set = idSet(ids);
  await tx.run(
    sql`UPDATE "Ticket" SET "incidentId" = ${incident.id}, "scope" = 'primary',
          "status" = CASE WHEN "status" IN ('received', 'dispatched') THEN 'accepted' ELSE "status" END,
          "acceptedAt" = COALESCE("acceptedAt", ${at}), "ackDueAt" = NULL, "arriveDueAt" = NULL,
          "resolveDueAt" = ${incident.resolveDueAt}, "version" = "version" + 1, "updatedAt" = ${at}
        WHERE "id" IN ${set}`,
  );
  await tx.run(
    sql`UPDATE "Deadline" SET "supersededAt" = ${at} WHERE "ticketId" IN ${set} AND "supersededAt" IS NULL AND "metAt" IS NULL AND "name" IN ('ack', 'arrive')`,
  );
  await tx.run(
    sql`UPDATE "Deadline" SET "dueAt" = ${incident.resolveDueAt} WHERE "ticketId" IN ${set} AND "supersededAt" IS NULL AND "metAt" IS NULL AND "name" = 'resolve'`,
  );
  await tx.run(sql`DELETE FROM "ScheduledAlert" WHERE "ticketId" IN ${set} AND "firedAt" IS NULL AND "kind" IN ${sql.list(DEADLINE_ALERT_KINDS)}`);
  const data = JSON.stringify({ incidentId: incident.id, number: incident.number });
  await tx.run(
    insertRowSet(
      tx.dialect,
      'TicketEvent',
      rows.map((r) => ({
        ticketId: num(r.id),
        at,
        type: 'linked',
        actor: incident.declaredBy,
        fromStatus: r.status,
        toStatus: r.status === 'received' || r.status === 'dispatched' ? 'accepted' : r.status,
        note: null,
        data,
      })),
    ),
  );
  return rows.map((r) => ({ id: num(r.id), number: r.number, residentId: r.residentId === null ? null : num(r.residentId), branchId: r.branchId }));
}
