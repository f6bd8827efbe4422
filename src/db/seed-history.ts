/**
 * A season of plausible history for the demo, so that a newcomer's first `npm start` shows trends
 * rather than empty charts: from the heating season's start to yesterday, per branch a few
 * reports a day (more on cold days and in the first days of heating), in realistic shares of
 * kinds and categories, most handled in time and some late, callbacks with mostly satisfied
 * answers, a few reopened, service forms, paid services, and a few restored station incidents
 * with dozens of linked no-heat reports each.
 *
 * Planned in memory from a seeded random generator (the same season every time), then written
 * in bulk (one INSERT per table and chunk, through insertRowSet) in one transaction: thousands of
 * use-case calls would take minutes and owe messages. Everything it writes is finished: every
 * ticket closed, every deadline met or missed, every callback answered or given up, every
 * service form back at HQ, no outbox row and no scheduled alert, so nothing in it owes a message.
 * Only an empty database is seeded (no ticket and no incident yet); start-up runs it under the
 * same exclusive lock as the demo customers, so instances starting together seed it once.
 */
import type { Core } from '../core/context.js';
import { computeDeadlines } from '../core/deadlines/time-limits.js';
import type { Category, Satisfaction, Scope, Severity, Source, TicketKind } from '../core/domain.js';
import { seasonOf } from '../core/kpi/period.js';
import { localParts, zonedTimeToUtc } from '../core/local-time.js';
import type { Org } from '../core/org/org.js';
import { counterKey, ticketNumber } from '../core/tickets/numbering.js';
import type { Model } from './codec.js';
import { num } from './codec.js';
import { insertRowSet } from './row-set.js';
import type { Runner } from './runner.js';
import { sql } from './statement.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface SeededHistory {
  from: Date;
  to: Date;
  tickets: number;
  incidents: number;
}

export interface HistoryOptions {
  /** the generator's seed: the same seed, the same season */
  seed?: number;
}

/** Seeds the season so far into an empty database; null when there was anything already (or no day to fill). */
export async function seedHistory(core: Pick<Core, 'org' | 'clock'>, runner: Runner, opts: HistoryOptions = {}): Promise<SeededHistory | null> {
  const now = core.clock.now();
  const season = seasonOf(now, core.org.config.company.heatingSeason);
  const p = localParts(now);
  const today = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day });
  const to = season.to < today ? season.to : today;
  if (!(season.from < to)) return null;
  return runner.transaction(async (tx) => {
    const stored = await tx.get(sql`SELECT (SELECT COUNT(*) FROM "Ticket") AS t, (SELECT COUNT(*) FROM "Incident") AS i`);
    if (num(stored?.t) + num(stored?.i) > 0) return null;
    const customers = await tx.all<CustomerRow>(
      sql`SELECT "id", "communityId", "name", "phone", "address", "building", "unit", "room" FROM "Customer" ORDER BY "id"`,
    );
    const plan = planHistory(core.org, { from: season.from, to, customers, seed: opts.seed ?? 20261015 });
    await store(tx, plan);
    return { from: season.from, to, tickets: plan.tickets.length, incidents: plan.incidents.length };
  });
}

/**
 * At start-up (src/main.ts): the history when the settings ask for it (DEMO_HISTORY; by default
 * with the demo organisation only), under the start-up lock, so instances starting together seed it once.
 */
export function seedHistoryAtStart(
  core: Pick<Core, 'org' | 'clock'> & { runner: Runner; exclusive<T>(fn: () => Promise<T>): Promise<T> },
  settings: { demoHistory: boolean },
): Promise<SeededHistory | null> {
  if (!settings.demoHistory) return Promise.resolve(null);
  return core.exclusive(() => seedHistory(core, core.runner));
}

// ------------------------------------------------------------------ the plan

interface CustomerRow {
  id: number;
  communityId: string;
  name: string;
  phone: string;
  address: string;
  building: string | null;
  unit: string | null;
  room: string | null;
}

type Row = Record<string, unknown>;

/** A ticket with what hangs off it; ticketId and incidentId are filled in once the rows have ids. */
interface PlannedTicket {
  row: Row;
  /** the incident it is linked to, by its number */
  incident?: string;
  events: Row[];
  deadlines: Row[];
  callbacks: Row[];
  form?: Row;
  /** R32/R33: the finding recorded about the staff member (ConductFinding) */
  conduct?: Row;
}

interface PlannedIncident {
  row: Row;
  communities: string[];
  events: Row[];
}

interface Plan {
  tickets: PlannedTicket[];
  incidents: PlannedIncident[];
  counters: Map<string, number>;
}

/** mulberry32: small, fast and the same on every machine. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (lo: number, hi: number) => lo + (hi - lo) * next();
  return {
    next,
    between,
    int: (lo: number, hi: number) => Math.floor(between(lo, hi + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    /** one of the keys, by weight */
    weighted: <K extends string>(w: Record<K, number>): K => {
      const entries = Object.entries(w) as [K, number][];
      let r = next() * entries.reduce((s, [, x]) => s + x, 0);
      for (const [k, x] of entries) if ((r -= x) < 0) return k;
      return entries[entries.length - 1][0];
    },
    poisson: (lambda: number) => {
      const l = Math.exp(-lambda);
      let k = 0;
      let prod = next();
      while (prod > l) {
        k++;
        prod *= next();
      }
      return k;
    },
  };
}
type Rng = ReturnType<typeof generator>;

// Shares seen in a city's heating complaints: most are about cold flats, then leaks and bills.
const KIND_SHARE: Record<TicketKind, number> = { complaint: 76, consultation: 13, suggestion: 4, paid_service: 7 };
const COMPLAINT_SHARE: Record<Category, number> = { no_heat: 56, leak: 12, noise_pressure: 7, billing: 13, staff_conduct: 3, other: 9 };
const SOURCE_SHARE: Partial<Record<Source, number>> = { hotline: 52, telegram: 30, branch_direct: 9, visit: 6, letter: 3 };
const ANSWER_SHARE: Record<Satisfaction, number> = { satisfied: 80, fairly: 14, dissatisfied: 6 };
const TOPICS = ['缴费方式', '供热时间', '室温标准', '客服态度', '维修预约'];
const WORDS: Partial<Record<Category, string[]>> = {
  no_heat: ['暖气不热', '家里暖气温度低，只有十几度', '暖气片上热下凉', '卧室暖气不热，客厅还可以'],
  leak: ['暖气片漏水', '阀门滴水', '楼道管道漏水'],
  noise_pressure: ['管道有异响', '暖气片有流水声'],
  billing: ['热费金额有疑问', '缴费后显示未缴', '申请停热费用怎么算'],
  staff_conduct: ['维修人员态度不好'],
  other: ['楼道暖气不热', '想了解供热面积怎么核定'],
};
const DEFAULT_WORDS = ['咨询供热相关问题'];

/** Degrees Celsius of a day of the season: colder towards January, with a cold snap now and then. */
function temperatures(days: number, rng: Rng): number[] {
  const out: number[] = [];
  let drift = 0;
  let snap = 0;
  for (let d = 0; d < days; d++) {
    drift = 0.7 * drift + rng.between(-2, 2);
    if (snap > 0) snap--;
    else if (rng.chance(0.07)) snap = rng.int(2, 4);
    out.push(6 - 20 * Math.sin((Math.PI * Math.min(d, 90)) / 180) + drift - (snap > 0 ? 8 : 0));
  }
  return out;
}

/** A local time of day, in minutes after midnight: reports come mostly in the morning and evening. */
function minuteOfDay(rng: Rng): number {
  const hour = rng.weighted({
    '0': 1,
    '6': 3,
    '7': 6,
    '8': 8,
    '9': 7,
    '10': 6,
    '11': 5,
    '13': 5,
    '15': 5,
    '17': 6,
    '18': 8,
    '19': 9,
    '20': 8,
    '21': 6,
    '22': 4,
    '23': 2,
  });
  return Number(hour) * 60 + rng.int(0, 59);
}

const staffOf = (org: Org, branchId: string, role: string) => [...org.staff.values()].filter((s) => s.branchId === branchId && s.role === role);

export function planHistory(org: Org, o: { from: Date; to: Date; customers: CustomerRow[]; seed: number }): Plan {
  const rng = generator(o.seed);
  const agents = [...org.staff.values()].filter((s) => s.role === 'centre_agent').map((s) => s.id);
  const byCommunity = new Map<string, CustomerRow[]>();
  for (const c of o.customers) byCommunity.set(c.communityId, [...(byCommunity.get(c.communityId) ?? []), c]);
  const communitiesOf = new Map<string, string[]>();
  for (const c of org.communities.values()) communitiesOf.set(c.branchId, [...(communitiesOf.get(c.branchId) ?? []), c.id]);

  const tickets: PlannedTicket[] = [];
  const days: Date[] = [];
  for (let d = o.from; d < o.to; ) {
    days.push(d);
    const p = localParts(new Date(d.getTime() + 36 * HOUR));
    d = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day });
  }
  const temps = temperatures(days.length, rng);

  /** Who the report is about: a customer of the community when the register has one. */
  const reporter = (communityId: string) => {
    const list = byCommunity.get(communityId);
    if (list?.length) {
      const c = rng.pick(list);
      return {
        customerId: c.id,
        contactName: c.name,
        contactPhone: c.phone,
        address: c.address,
        building: c.building,
        unit: c.unit,
        room: c.room,
        verified: true,
      };
    }
    const building = String(rng.int(1, 20));
    const unit = String(rng.int(1, 6));
    const room = `${rng.int(1, 18)}0${rng.int(1, 4)}`;
    const name = org.communities.get(communityId)?.name ?? communityId;
    return {
      customerId: null,
      contactName: null,
      contactPhone: null,
      address: `${name}${building}号楼${unit}单元${room}室`,
      building,
      unit,
      room,
      verified: false,
    };
  };

  const ticketOf = (o2: { kind: TicketKind; category: Category; scope: Scope; severity: Severity; source: Source; communityId: string; created: Date }) => {
    const community = org.communities.get(o2.communityId)!;
    const branchId = community.branchId;
    const unitId = org.unitFor(branchId, o2.category)?.id ?? null;
    const firstResponder =
      o2.source === 'telegram'
        ? 'telegram'
        : o2.source === 'branch_direct'
          ? `staff:${staffOf(org, branchId, 'branch_coordinator')[0]?.id ?? rng.pick(agents)}`
          : `staff:${rng.pick(agents)}`;
    const words = WORDS[o2.category] ?? DEFAULT_WORDS;
    return {
      kind: o2.kind,
      category: o2.category,
      scope: o2.scope,
      severity: o2.severity,
      source: o2.source,
      status: 'closed',
      description: rng.pick(words),
      topic: o2.kind === 'suggestion' ? rng.pick(TOPICS) : null,
      residentId: null,
      communityId: o2.communityId,
      ...reporter(o2.communityId),
      firstResponder,
      branchId,
      unitId,
      assigneeId: null,
      duplicateOfId: null,
      transferCount: 0,
      reopenCount: 0,
      paidMaterials: o2.kind === 'paid_service' ? rng.pick(['company', 'company', 'own']) : null,
      conductStaffId: null,
      conductConfirmed: false,
      incidentId: null,
      createdAt: o2.created,
      dispatchedAt: o2.created,
    } satisfies Row;
  };

  days.forEach((day, d) => {
    const cold = Math.max(0, -temps[d]);
    // the first days of heating bring the most calls: air in the radiators, valves shut over summer
    const firstDays = d < 4 ? 7 - 1.5 * d : 0;
    for (const branchId of org.branches.keys()) {
      const communities = communitiesOf.get(branchId) ?? [];
      if (!communities.length) continue;
      const n = rng.poisson(2.2 + cold * 0.22 + firstDays);
      for (let i = 0; i < n; i++) {
        const created = new Date(day.getTime() + minuteOfDay(rng) * MIN + rng.int(0, 59_000));
        if (created >= o.to) continue;
        const kind = rng.weighted(KIND_SHARE);
        const category: Category =
          kind === 'complaint' ? rng.weighted(COMPLAINT_SHARE) : kind === 'consultation' ? (rng.chance(0.6) ? 'billing' : 'other') : 'other';
        const scope: Scope = category === 'no_heat' && rng.chance(0.18) ? 'primary' : 'secondary';
        const severity: Severity = category === 'leak' && rng.chance(0.3) ? 'urgent' : 'normal';
        const source =
          kind === 'suggestion' ? (rng.chance(0.5) ? 'suggestion_box' : 'telegram') : (rng.weighted(SOURCE_SHARE as Record<Source, number>) as Source);
        const row = ticketOf({ kind, category, scope, severity, source, communityId: rng.pick(communities), created });
        tickets.push(handle(org, rng, row, o.to, agents));
      }
    }
  });

  const incidents = planIncidents(org, rng, days, temps, o.to).map((inc) => {
    for (const r of inc.reports) {
      const row = ticketOf({
        kind: 'complaint',
        category: 'no_heat',
        scope: 'primary',
        severity: 'normal',
        source: r.source,
        communityId: r.communityId,
        created: r.at,
      });
      tickets.push(linked(rng, row, inc, agents));
    }
    return inc.planned;
  });

  // numbers in the order the reports came in, per kind and local day, as the intake draws them
  tickets.sort((a, b) => (a.row.createdAt as Date).getTime() - (b.row.createdAt as Date).getTime());
  const counters = new Map<string, number>();
  for (const tk of tickets) {
    const key = counterKey(tk.row.kind as TicketKind, tk.row.createdAt as Date);
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    tk.row.number = ticketNumber(key, n);
  }
  return { tickets, incidents, counters };
}

const event = (at: Date, type: string, actor: string, fromStatus: string | null, toStatus: string | null, data?: object, note?: string): Row => ({
  at,
  type,
  actor,
  fromStatus,
  toStatus,
  note: note ?? null,
  data: data ? JSON.stringify(data) : null,
});

/** A line of an incident's timeline. */
const incidentEvent = (at: Date, type: string, actor: string, data: object, note?: string): Row => ({
  at,
  type,
  actor,
  note: note ?? null,
  data: JSON.stringify(data),
});

const deadline = (name: string, generation: number, startedAt: Date, dueAt: Date, metAt: Date | null, supersededAt: Date | null = null): Row => ({
  name,
  generation,
  startedAt,
  dueAt,
  metAt,
  // the sweep marks a miss within its half-minute round
  missedAt: metAt === null || metAt > dueAt ? new Date(dueAt.getTime() + 30_000) : null,
  supersededAt,
});

const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const earliest = (...ds: (Date | null)[]) => ds.filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;

/**
 * One ordinary ticket's life, as the closed loop (R8) runs it: dispatched at once by its
 * community, accepted, on site for a repair, resolved, called back (complaints and paid
 * services) and closed; a dissatisfied answer reopens it for a second visit. Times fall mostly
 * inside the time limits of the organisation file, some after them.
 */
function handle(org: Org, rng: Rng, row: Row, end: Date, agents: string[]): PlannedTicket {
  const created = row.createdAt as Date;
  const branchId = row.branchId as string;
  const cls = { kind: row.kind as TicketKind, category: row.category as Category, scope: row.scope as Scope, severity: row.severity as Severity };
  const due = computeDeadlines(org.config, branchId, cls, created);
  const field = staffOf(org, branchId, 'field_staff').map((s) => `staff:${s.id}`);
  const coord = `staff:${staffOf(org, branchId, 'branch_coordinator')[0]?.id ?? 'system'}`;
  const worker = field.length ? rng.pick(field) : coord;
  const late = rng.chance(0.07);
  const events: Row[] = [
    event(created, 'created', row.firstResponder as string, null, 'received', { source: row.source }),
    event(created, 'dispatched', 'system', 'received', 'dispatched', { branchId, unitId: row.unitId }),
  ];
  const deadlines: Row[] = [];

  const ackSpan = due.ackDueAt ? due.ackDueAt.getTime() - created.getTime() : 30 * MIN;
  const accepted = plus(created, rng.chance(0.97) ? rng.between(0.15, 0.9) * ackSpan : ackSpan + rng.between(2, 25) * MIN);
  events.push(event(accepted, 'accepted', worker, 'dispatched', 'accepted'));
  let status = 'accepted';

  let arrived: Date | null = null;
  if (due.arriveDueAt) {
    const span = due.arriveDueAt.getTime() - accepted.getTime();
    arrived = late || span <= MIN ? plus(due.arriveDueAt, rng.between(5, 70) * MIN) : plus(accepted, rng.between(0.3, 0.95) * span);
    events.push(event(arrived, 'arrived', worker, 'accepted', 'on_site'));
    status = 'on_site';
  }

  const start = arrived ?? accepted;
  const resolveSpan = due.resolveDueAt ? due.resolveDueAt.getTime() - start.getTime() : 8 * HOUR;
  const typical =
    row.scope === 'primary' ? rng.between(3, 18) * HOUR : arrived ? rng.between(20, 150) * MIN : rng.between(0.1, 0.7) * Math.max(resolveSpan, HOUR);
  let resolved =
    late && rng.chance(0.6) && due.resolveDueAt ? plus(due.resolveDueAt, rng.between(0.5, 10) * HOUR) : plus(start, Math.min(typical, resolveSpan * 0.95));
  if (resolved >= end) resolved = plus(start, Math.max(MIN, (end.getTime() - start.getTime()) * 0.5));
  events.push(event(resolved, 'resolved', worker, status, 'resolved', undefined, '已处理完毕'));

  if (due.ackDueAt) deadlines.push(deadline('ack', 0, created, due.ackDueAt, accepted));
  if (due.arriveDueAt) deadlines.push(deadline('arrive', 0, created, due.arriveDueAt, arrived));
  if (due.resolveDueAt) deadlines.push(deadline('resolve', 0, created, due.resolveDueAt, resolved));

  // R32/R33: some conduct complaints are confirmed against the member of staff
  const confirmed = row.category === 'staff_conduct' && rng.chance(0.4);
  if (confirmed) Object.assign(row, { conductStaffId: worker.slice('staff:'.length), conductConfirmed: true });
  const planned: PlannedTicket = { row, events, deadlines, callbacks: [] };
  // the finding the KPIs count (kpi-reads: by the staff member's branch and the finding's month)
  if (confirmed) {
    // no draw of its own: the random stream, and so the rest of the seeded history, stays as it was
    const finding = String(row.number).endsWith('7') ? 'favours' : 'attitude';
    const p = localParts(resolved);
    planned.conduct = {
      staffId: worker.slice('staff:'.length),
      branchId: row.branchId,
      finding,
      consequence: finding === 'attitude' ? 'allowance' : 'dismissal',
      month: `${p.year}-${String(p.month).padStart(2, '0')}`,
      evidence: '回访核实',
      foundBy: 'staff:agent01',
      foundAt: resolved,
    };
  }
  if (arrived && (row.kind === 'paid_service' || rng.chance(0.45))) planned.form = form(rng, row, resolved, end, worker);

  let finished = resolved;
  let satisfaction: Satisfaction | null = null;
  let reopens = 0;
  if (due.callbackMinutes !== null) {
    // R8h: every finished complaint is called back; a dissatisfied answer sends the staff again
    let round = 0;
    let roundResolved = resolved;
    for (;;) {
      const agent = rng.pick(agents);
      const asked = roundResolved;
      const callbackDue = plus(asked, due.callbackMinutes * MIN);
      events.push(event(asked, 'callback_requested', 'system', 'resolved', 'callback', { channel: 'phone' }));
      let answeredAt = plus(asked, rng.between(1, 20) * HOUR);
      if (answeredAt >= end) answeredAt = plus(asked, Math.max(MIN, (end.getTime() - asked.getTime()) * 0.6));
      const reached = rng.chance(0.97);
      const answer: Satisfaction = round > 0 ? (rng.chance(0.75) ? 'satisfied' : 'fairly') : rng.weighted(ANSWER_SHARE);
      const customerKey = row.customerId ? `customer:${row.customerId}` : row.contactPhone ? `phone:${row.contactPhone}` : null;
      planned.callbacks.push({
        channel: 'phone',
        status: reached ? 'answered' : 'unreachable',
        result: reached ? answer : null,
        comment: null,
        attempts: reached ? 1 : 3,
        agentId: agent,
        customerKey,
        createdAt: asked,
        answeredAt,
      });
      deadlines.push(deadline('callback', round, asked, callbackDue, reached ? answeredAt : null, reached ? null : answeredAt));
      const reopen = reached && answer === 'dissatisfied' && round === 0;
      if (!reopen) {
        events.push(
          event(
            answeredAt,
            'closed',
            `staff:${agent}`,
            'callback',
            'closed',
            reached ? { satisfaction: answer } : undefined,
            reached ? undefined : 'callback_unreachable',
          ),
        );
        satisfaction = reached ? answer : null;
        finished = answeredAt;
        break;
      }
      // R30: reopened; the running generation ends, the next runs from the reopen
      reopens++;
      events.push(event(answeredAt, 'reopened', `staff:${agent}`, 'callback', 'dispatched', { satisfaction: answer }));
      for (const dl of deadlines) if (dl.generation === round && dl.supersededAt === null) dl.supersededAt = answeredAt;
      round++;
      const again = computeDeadlines(org.config, branchId, cls, answeredAt);
      const acc2 = plus(answeredAt, rng.between(3, 12) * MIN);
      const arr2 = again.arriveDueAt ? plus(acc2, rng.between(15, 40) * MIN) : null;
      roundResolved = plus(arr2 ?? acc2, rng.between(1, 8) * HOUR);
      if (roundResolved >= end) roundResolved = plus(answeredAt, Math.max(MIN, (end.getTime() - answeredAt.getTime()) * 0.5));
      events.push(event(acc2, 'accepted', worker, 'dispatched', 'accepted'));
      if (arr2) events.push(event(arr2, 'arrived', worker, 'accepted', 'on_site'));
      events.push(event(roundResolved, 'resolved', worker, arr2 ? 'on_site' : 'accepted', 'resolved', undefined, '二次上门处理完毕'));
      if (again.ackDueAt) deadlines.push(deadline('ack', round, answeredAt, again.ackDueAt, acc2));
      if (again.arriveDueAt) deadlines.push(deadline('arrive', round, answeredAt, again.arriveDueAt, arr2));
      if (again.resolveDueAt) deadlines.push(deadline('resolve', round, answeredAt, again.resolveDueAt, roundResolved));
      Object.assign(row, { ackDueAt: again.ackDueAt, arriveDueAt: again.arriveDueAt, resolveDueAt: again.resolveDueAt });
      arrived = arr2;
      resolved = roundResolved;
    }
  } else {
    // consultations and suggestions close with the reply
    events.push(event(resolved, 'closed', worker, 'resolved', 'closed'));
  }
  const current = deadlines.filter((dl) => dl.generation === reopens);
  Object.assign(row, {
    ...(reopens ? {} : { ackDueAt: due.ackDueAt, arriveDueAt: due.arriveDueAt, resolveDueAt: due.resolveDueAt }),
    acceptedAt: (events.filter((e) => e.type === 'accepted').at(-1)?.at as Date) ?? accepted,
    arrivedAt: arrived,
    resolvedAt: resolved,
    closedAt: finished,
    cancelledAt: null,
    overdueAt: earliest(...current.map((dl) => dl.missedAt as Date | null)),
    satisfaction,
    reopenCount: reopens,
    updatedAt: finished,
    version: events.length - 1,
  });
  return planned;
}

/** The paper service form of a visit (R8f), back at HQ within days. */
function form(rng: Rng, row: Row, serviceDate: Date, end: Date, worker: string): Row {
  const paid = row.kind === 'paid_service';
  const back = plus(serviceDate, rng.between(1, 10) * DAY);
  return {
    workDone: paid
      ? rng.pick(['更换暖气片两组', '更换温控阀一个', '暖气片清洗三组'])
      : rng.pick(['排气后恢复正常', '更换阀门', '清理过滤器', '紧固接头，已不漏水']),
    materials: paid && row.paidMaterials === 'own' ? '客户自备' : null,
    feesCents: paid ? rng.int(3, 40) * 1000 : 0,
    effect: '正常',
    afterSalesTerms: paid ? '保修一年' : null,
    signed: true,
    customerConfirmed: true,
    customerOpinion: null,
    confirmedAt: serviceDate,
    serviceDate,
    hqReturnedAt: back < end ? back : plus(serviceDate, Math.max(MIN, (end.getTime() - serviceDate.getTime()) * 0.5)),
    createdBy: worker,
    createdAt: serviceDate,
  };
}

interface IncidentDraft {
  planned: PlannedIncident;
  declared: Date;
  restored: Date;
  branchId: string;
  reports: { at: Date; communityId: string; source: Source }[];
}

const CAUSES = ['换热站循环泵故障', '一次网管线泄漏抢修', '换热站板换堵塞', '换热站停电'];

/** Two or three failed stations, each on a cold night, each with dozens of reports from its communities. */
function planIncidents(org: Org, rng: Rng, days: Date[], temps: number[], end: Date): IncidentDraft[] {
  if (days.length < 10) return [];
  const stations = new Map<string, string[]>();
  for (const c of org.communities.values()) for (const s of c.stations) stations.set(s, [...(stations.get(s) ?? []), c.id]);
  const candidates = [...stations.entries()].filter(([, cs]) => new Set(cs.map((c) => org.communities.get(c)!.branchId)).size === 1);
  if (!candidates.length) return [];
  const count = days.length >= 40 ? 3 : 2;
  const out: IncidentDraft[] = [];
  for (let k = 0; k < count; k++) {
    // the coldest day of its stretch of the season
    const lo = Math.floor(((k + 0.3) * days.length) / (count + 0.3));
    const hi = Math.min(days.length - 2, Math.floor(((k + 1.1) * days.length) / (count + 0.3)));
    // not at a month's end: its callbacks would fall into the next month's assessment
    const midMonth = (i: number) => localParts(days[i]).day <= 26;
    let d = lo;
    for (let i = lo; i <= hi; i++) if (midMonth(i) && (!midMonth(d) || temps[i] < temps[d])) d = i;
    const [station, communities] = candidates[(k * 5 + rng.int(0, candidates.length - 1)) % candidates.length];
    const branchId = org.communities.get(communities[0])!.branchId;
    const declared = plus(days[d], (rng.int(2, 5) * 60 + rng.int(0, 59)) * MIN);
    let restored = plus(declared, rng.between(6, 14) * HOUR);
    if (restored >= end) restored = plus(declared, (end.getTime() - declared.getTime()) * 0.8);
    const expected = plus(declared, 6 * HOUR);
    const later = plus(restored, rng.int(0, 60) * MIN);
    const number = `I${localKey(declared)}-01`;
    const n = rng.int(30, 70);
    const reports = Array.from({ length: n }, () => {
      // most call within the first hours, the first ones before anyone declared it
      const at = plus(
        declared,
        Math.min(
          -rng.between(0, 25) * MIN + rng.between(0, 1) ** 2.5 * (restored.getTime() - declared.getTime()),
          restored.getTime() - declared.getTime() - MIN,
        ),
      );
      return { at, communityId: rng.pick(communities), source: (rng.chance(0.6) ? 'telegram' : 'hotline') as Source };
    });
    const actor = 'staff:agent01';
    const cause = rng.pick(CAUSES);
    out.push({
      declared,
      restored,
      branchId,
      reports,
      planned: {
        communities,
        row: {
          number,
          status: 'restored',
          scope: 'station',
          cause: `${station} ${cause}`,
          severity: n > 50 ? 'major' : 'normal',
          branchIds: JSON.stringify([branchId]),
          communityIds: JSON.stringify(communities),
          stationIds: JSON.stringify([station]),
          expectedAt: later,
          resolveDueAt: plus(declared, DAY),
          declaredBy: actor,
          declaredAt: declared,
          restoredAt: restored,
          restoredBy: `staff:${staffOf(org, branchId, 'branch_coordinator')[0]?.id ?? 'agent01'}`,
          proposalKey: null,
          linkedCount: n,
          version: 2,
          updatedAt: restored,
        },
        events: [
          incidentEvent(declared, 'declared', actor, { communityIds: communities, stationIds: [station], expectedAt: expected.toISOString() }, cause),
          incidentEvent(plus(expected, -20 * MIN), 'updated', actor, { expectedAt: later.toISOString() }, '抢修中，恢复时间延后'),
          incidentEvent(restored, 'restored', `staff:${staffOf(org, branchId, 'branch_coordinator')[0]?.id ?? 'agent01'}`, { linked: n }),
        ],
      },
    });
  }
  return out;
}

/** Where a linked ticket's events name their incident's id, known only once it is stored. */
const INCIDENT_ID = '<incident id>';

const localKey = (d: Date) => {
  const p = localParts(d);
  return `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`;
};

/**
 * A report linked to an incident: no card and no clock of its own; the incident's time limit
 * (R27: a primary fault repaired within 24 h) is its resolve deadline, met at the restoration,
 * which resolves it and opens its callback (R8h).
 */
function linked(rng: Rng, row: Row, inc: IncidentDraft, agents: string[]): PlannedTicket {
  const created = row.createdAt as Date;
  const linkedAt = created < inc.declared ? inc.declared : created;
  const number = inc.planned.row.number as string;
  const resolveDue = inc.planned.row.resolveDueAt as Date;
  const answeredAt = plus(inc.restored, rng.between(2, 20) * HOUR);
  const answer: Satisfaction = rng.weighted({ satisfied: 78, fairly: 18, dissatisfied: 4 });
  const reached = rng.chance(0.95);
  const closedAt = answeredAt;
  const agent = rng.pick(agents);
  Object.assign(row, {
    ackDueAt: null,
    arriveDueAt: null,
    resolveDueAt: resolveDue,
    acceptedAt: linkedAt,
    arrivedAt: null,
    resolvedAt: inc.restored,
    closedAt,
    cancelledAt: null,
    overdueAt: null,
    satisfaction: reached ? answer : null,
    reopenCount: 0,
    updatedAt: closedAt,
    version: 5,
  });
  return {
    row,
    incident: number,
    events: [
      event(created, 'created', row.firstResponder as string, null, 'received', { source: row.source }),
      event(created, 'dispatched', 'system', 'received', 'dispatched', { branchId: inc.branchId, unitId: row.unitId }),
      // as the intake links a report to an open incident (or the declaration one filed before it)
      event(linkedAt, 'linked', linkedAt > created ? (inc.planned.row.declaredBy as string) : 'system', 'dispatched', 'accepted', {
        incidentId: INCIDENT_ID,
        number,
      }),
      event(inc.restored, 'resolved', inc.planned.row.restoredBy as string, 'accepted', 'resolved', { incidentId: INCIDENT_ID }),
      event(inc.restored, 'callback_requested', 'system', 'resolved', 'callback', { channel: 'phone' }),
      event(
        closedAt,
        'closed',
        `staff:${agent}`,
        'callback',
        'closed',
        reached ? { satisfaction: answer } : undefined,
        reached ? undefined : 'callback_unreachable',
      ),
    ],
    deadlines: [
      deadline('resolve', 0, created, resolveDue, inc.restored),
      deadline('callback', 0, inc.restored, plus(inc.restored, DAY), reached ? answeredAt : null, reached ? null : answeredAt),
    ],
    callbacks: [
      {
        channel: 'phone',
        status: reached ? 'answered' : 'unreachable',
        result: reached ? answer : null,
        comment: null,
        attempts: reached ? 1 : 3,
        agentId: agent,
        customerKey: row.customerId ? `customer:${row.customerId}` : null,
        createdAt: inc.restored,
        answeredAt,
      },
    ],
  };
}

// ------------------------------------------------------------------ writing it

const CHUNK = 2000;

async function insertAll(tx: Runner, table: Model, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.run(insertRowSet(tx.dialect, table, rows.slice(i, i + CHUNK)));
}

async function idsByNumber(tx: Runner, table: 'Ticket' | 'Incident'): Promise<Map<string, number>> {
  const rows = await tx.all<{ id: unknown; number: unknown }>(sql`SELECT "id", "number" FROM ${sql.ident(table)}`);
  return new Map(rows.map((r) => [String(r.number), num(r.id)]));
}

async function store(tx: Runner, plan: Plan): Promise<void> {
  if (plan.incidents.length) {
    await insertAll(
      tx,
      'Incident',
      plan.incidents.map((i) => i.row),
    );
  }
  const incidentIds = await idsByNumber(tx, 'Incident');
  const areas: Row[] = [];
  const incidentEvents: Row[] = [];
  for (const i of plan.incidents) {
    const id = incidentIds.get(i.row.number as string)!;
    for (const communityId of i.communities) areas.push({ incidentId: id, communityId, openCommunity: null });
    for (const e of i.events) incidentEvents.push({ incidentId: id, ...e });
  }
  if (areas.length) await insertAll(tx, 'IncidentArea', areas);
  if (incidentEvents.length) await insertAll(tx, 'IncidentEvent', incidentEvents);

  for (const tk of plan.tickets) {
    if (!tk.incident) continue;
    const id = incidentIds.get(tk.incident)!;
    tk.row.incidentId = id;
    for (const e of tk.events) if (typeof e.data === 'string') e.data = e.data.replace(JSON.stringify(INCIDENT_ID), String(id));
  }
  if (!plan.tickets.length) return;
  await insertAll(
    tx,
    'Ticket',
    plan.tickets.map((t) => t.row),
  );
  const ticketIds = await idsByNumber(tx, 'Ticket');
  const withId = (rows: (tk: PlannedTicket) => Row[]) =>
    plan.tickets.flatMap((tk) => {
      const ticketId = ticketIds.get(tk.row.number as string)!;
      return rows(tk).map((r) => ({ ticketId, ...r }));
    });
  await insertAll(
    tx,
    'TicketEvent',
    withId((tk) => tk.events),
  );
  await insertAll(
    tx,
    'Deadline',
    withId((tk) => tk.deadlines),
  );
  const callbacks = withId((tk) => tk.callbacks);
  if (callbacks.length) await insertAll(tx, 'Callback', callbacks);
  const forms = withId((tk) => (tk.form ? [tk.form] : []));
  if (forms.length) await insertAll(tx, 'ServiceForm', forms);
  const findings = withId((tk) => (tk.conduct ? [tk.conduct] : []));
  if (findings.length) await insertAll(tx, 'ConductFinding', findings);
  await insertAll(
    tx,
    'TicketCounter',
    [...plan.counters].map(([key, value]) => ({ key, value })),
  );
}
