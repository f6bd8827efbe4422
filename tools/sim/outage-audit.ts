/**
 * What a cold snap came to, read from the service's database and the fakes' recorded calls at
 * the end of an --outage run: tickets, incidents and linked reports; Slack messages in all and
 * per incident (a handful, not one per household); the time from the declaration to the last
 * resident notified, and from a leak during the outage to its urgent alert; nothing lost (every
 * notice owed was sent, every household who wrote had an answer and a ticket) and nothing doubled
 * (no household got the same notice twice, no message made two tickets).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FakeSlackCall } from '../dev/fake-slack-api.js';
import type { OutageResult } from './play.js';
import { restoreButtons } from './outage.js';
import { REPO_ROOT } from './service-process.js';
import { buttonsOf } from './telegram-side.js';
import type { World } from './world.js';

export interface OutageLedger {
  lines: string[];
  problems: string[];
  lost: number;
  doubled: number;
  /** checks the run must meet beyond lost and doubled (an incident declared and restored, every household answered) */
  failed: string[];
}

type Phase = 'declared' | 'updated' | 'restored';

function parse<T>(s: string | null | undefined): T | undefined {
  try {
    return s ? (JSON.parse(s) as T) : undefined;
  } catch {
    return undefined;
  }
}

const ok = (c: { status: number; response: Record<string, any> }) => c.status === 200 && c.response.ok !== false;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The fixed start of each notice's zh-CN words, from the bot's incident locale file (keys naming the phase). */
function noticeOpenings(): Map<Phase, string[]> {
  const out = new Map<Phase, string[]>();
  const file = resolve(REPO_ROOT, 'locales/zh-CN/telegram.incident.json');
  if (!existsSync(file)) return out;
  const flat = (o: Record<string, unknown>, prefix = ''): [string, string][] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : flat(v as Record<string, unknown>, `${prefix}${k}.`),
    );
  for (const [key, text] of flat(JSON.parse(readFileSync(file, 'utf8')))) {
    if (!/notice/i.test(key)) continue;
    const phase = (['declared', 'updated', 'restored'] as Phase[]).find((p) => key.includes(p));
    const head = text.split('{')[0].trim();
    if (phase && head.length >= 4) out.set(phase, [...(out.get(phase) ?? []), head]);
  }
  return out;
}

export async function auditOutage(world: World, outage: OutageResult): Promise<OutageLedger> {
  const db = world.db;
  const { plan, desk } = outage;
  const lines: string[] = [];
  const problems: string[] = [];
  const failed: string[] = [];
  let lost = 0;
  let doubled = 0;

  const incidents = (await db.incident.findMany({ orderBy: { id: 'asc' } })).filter((i) =>
    (parse<string[]>(i.communityIds) ?? []).some((c) => plan.communities.includes(c)),
  );
  const tickets = await db.ticket.findMany({
    select: { id: true, number: true, residentId: true, communityId: true, category: true, incidentId: true, createdAt: true, branchId: true },
  });
  const station = tickets.filter((t) => t.communityId && plan.communities.includes(t.communityId));
  const linked = tickets.filter((t) => t.incidentId !== null);
  lines.push(
    `tickets filed           ${tickets.length} in all; ${station.length} from ${plan.station}'s communities, ${linked.length} of them linked to an incident`,
  );
  lines.push(
    `incidents               ${incidents.length}${incidents.map((i) => ` · ${i.number} ${i.status}, ${i.linkedCount} linked reports, declared ${desk.log.declaredBy === 'command' ? 'by /incident' : desk.log.declaredBy === 'proposal' ? 'from the automatic proposal' : ''}${desk.log.reportsAtDeclare !== undefined ? ` after ${desk.log.reportsAtDeclare} reports` : ''}`).join('')}`,
  );
  if (!incidents.length) failed.push(`no incident was declared over ${plan.station}`);
  if (incidents.length > 1) failed.push(`${incidents.length} incidents over one station's failure`);
  for (const i of incidents) if (i.status !== 'restored') failed.push(`${i.number} was not restored`);

  // --- Slack: every message the app posted or updated, and those of each incident
  const slackCalls = world.slack.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && ok(c));
  const posted = slackCalls.filter((c) => c.method === 'chat.postMessage').length;
  lines.push(`Slack messages          ${posted} posted, ${slackCalls.length - posted} updated in place (all channels, the ordinary reports' cards included)`);
  const cards = await db.incidentCard.findMany();
  const leaders = world.org.config.centre.channels.leaders;
  const proposals = slackCalls.filter((c) => c.method === 'chat.postMessage' && JSON.stringify(c.params.blocks ?? '').includes('incident.declare'));
  const proposalTs = new Set(proposals.map((c) => `${c.params.channel}|${c.response.ts}`));
  const proposalUpdates = slackCalls.filter((c) => c.method === 'chat.update' && proposalTs.has(`${c.params.channel}|${c.params.ts}`));
  for (const inc of incidents) {
    const mine = cards.filter((c) => c.incidentId === inc.id);
    const onCard = (c: FakeSlackCall) => mine.some((k) => k.channel === c.params.channel && (c.params.ts === k.ts || c.response.ts === k.ts));
    const cardPosts = slackCalls.filter((c) => c.method === 'chat.postMessage' && onCard(c)).length;
    const cardUpdates = slackCalls.filter((c) => c.method === 'chat.update' && onCard(c)).length;
    const told = leaders ? slackCalls.filter((c) => c.params.channel === leaders && JSON.stringify(c.params).includes(inc.number)).length : 0;
    const all = cardPosts + cardUpdates + told + proposals.length + proposalUpdates.length;
    lines.push(
      `  ${inc.number.padEnd(22)}${all} Slack messages: ${cardPosts} card${cardPosts === 1 ? '' : 's'} posted (${mine.map((k) => k.channel).join(', ')}), updated ${cardUpdates} times; ${told} to the leaders; ${proposals.length} proposals posted, updated ${proposalUpdates.length} times (for ${inc.linkedCount} linked reports)`,
    );
    if (cardPosts > mine.length) {
      doubled += cardPosts - mine.length;
      problems.push(`doubled: ${inc.number}'s card posted ${cardPosts} times in ${mine.length} channels`);
    }
  }
  // the station's tickets that got a dispatch card of their own: filed before the incident, leaks, and
  // 还不热 after it are owed one; a linked report posted a card otherwise is one card per household again
  const dispatch = new Set(plan.branchIds.map((b) => world.org.branches.get(b)?.channels.dispatch));
  const byNumber = new Map(station.map((t) => [t.number, t]));
  const reopened = new Set(
    // every reopen, filtered here: thousands of ids in one IN list pass SQLite's limit of bound parameters
    (await db.ticketEvent.findMany({ where: { type: 'reopened' }, select: { ticketId: true } })).map((e) => e.ticketId),
  );
  const declaredAt = incidents[0]?.declaredAt.getTime() ?? Number.POSITIVE_INFINITY;
  let stationCards = 0;
  const needless: string[] = [];
  for (const c of slackCalls) {
    if (c.method !== 'chat.postMessage' || !dispatch.has(String(c.params.channel)) || c.params.thread_ts) continue;
    const t = byNumber.get(/^([TSQP]\d{8}-\d{4,})/.exec(String(c.params.text ?? ''))?.[1] ?? '');
    if (!t) continue;
    stationCards++;
    // filed after the declaration, linked at once, never reopened: it needed no card
    if (t.incidentId !== null && !reopened.has(t.id) && t.createdAt.getTime() >= declaredAt) needless.push(t.number);
  }
  lines.push(
    `  dispatch cards        ${stationCards} for the station's ${station.length} tickets (filed before the incident, leaks, 还不热 after it)${needless.length ? `; ${needless.length} of them for linked reports that needed none` : ''}`,
  );
  if (needless.length) {
    failed.push(`${needless.length} linked reports got a dispatch card of their own (${needless.slice(0, 3).join(', ')}${needless.length > 3 ? ', ...' : ''})`);
    problems.push(
      `a linked report's later step (e.g. its close after the rating) owes a ticket_card row, and the deliverer posts a card for a ticket that never had one: ${needless.slice(0, 5).join(', ')}`,
    );
  }

  // --- the notices: owed rows, sent rows, and how long the last took
  const rows = await db.outboxMessage.findMany({ where: { kind: { in: ['incident_notice', 'incident_reply'] } } });
  const notices = rows
    .filter((r) => r.kind === 'incident_notice')
    .map((r) => ({ ...r, p: parse<{ incidentId: number; phase: Phase; residentId: number }>(r.payload) }));
  for (const r of rows)
    if (r.state !== 'sent') {
      lost++;
      problems.push(`lost: ${r.kind} ${r.key} to chat ${r.target} is ${r.state} after ${r.attempts} attempts ${r.lastError ?? ''}`.trim());
    }
  for (const inc of incidents) {
    for (const phase of ['declared', 'updated', 'restored'] as Phase[]) {
      const mine = notices.filter((n) => n.p?.incidentId === inc.id && n.p.phase === phase);
      if (!mine.length) {
        lines.push(`  ${phase} notices${' '.repeat(Math.max(1, 16 - phase.length))}none owed`);
        continue;
      }
      const from = phase === 'restored' ? inc.restoredAt : phase === 'declared' ? inc.declaredAt : null;
      const firstOwed = Math.min(...mine.map((n) => n.createdAt.getTime()));
      const last = Math.max(...mine.map((n) => n.sentAt?.getTime() ?? 0));
      const sent = mine.filter((n) => n.state === 'sent').length;
      const start = from?.getTime() ?? firstOwed;
      lines.push(
        `  ${phase} notices${' '.repeat(Math.max(1, 16 - phase.length))}${sent} of ${mine.length} sent; ${phase === 'updated' ? 'from the update' : `from the ${phase === 'declared' ? 'declaration' : 'restoration'}`} to the last resident notified: ${last ? secs(last - start) : 'never'} (${last ? `${((sent / Math.max(last - start, 1)) * 1000).toFixed(1)} a second` : ''})`,
      );
    }
  }

  // --- the platforms' limits: what they refused (the bot's direct answers share Telegram's 30 a second with the outbox)
  const refused = (calls: { status: number; method: string }[]) => calls.filter((c) => c.status === 429);
  const tg429 = refused(world.tg.fake.calls);
  const slack429 = refused(world.slack.fake.calls);
  lines.push(
    `rate limits             Telegram answered 429 to ${tg429.length} of ${world.tg.fake.calls.length} calls (${tg429.filter((c) => c.method === 'sendMessage').length} sendMessage), Slack to ${slack429.length} of ${world.slack.fake.calls.length}`,
  );

  // --- a leak during the outage: from its report to its urgent alert
  const leaks = station.filter((t) => t.category === 'leak');
  const alertLatency: { number: string; ms: number }[] = [];
  for (const t of leaks) {
    const urgent = t.branchId ? world.org.branches.get(t.branchId)?.channels.urgent : undefined;
    const alert = slackCalls.find(
      (c) => c.method === 'chat.postMessage' && c.params.channel === urgent && !c.params.thread_ts && JSON.stringify(c.params).includes(t.number),
    );
    if (!alert) {
      lost++;
      problems.push(`lost: the urgent alert of the leak ${t.number}`);
      continue;
    }
    alertLatency.push({ number: t.number, ms: alert.at - t.createdAt.getTime() });
  }
  alertLatency.sort((a, b) => a.ms - b.ms);
  const firstLeak = [...leaks].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  const firstAlert = firstLeak && alertLatency.find((a) => a.number === firstLeak.number);
  lines.push(
    leaks.length
      ? `urgent alerts           ${alertLatency.length} of ${leaks.length} leaks during the outage alerted; the first leak (${firstLeak.number}) ${firstAlert ? `in ${secs(firstAlert.ms)}` : 'never'}; slowest ${alertLatency.length ? secs(alertLatency[alertLatency.length - 1].ms) : '-'}, median ${alertLatency.length ? secs(alertLatency[Math.floor(alertLatency.length / 2)].ms) : '-'}`
      : 'urgent alerts           no leak was reported during the outage (--outage-leaks)',
  );

  // --- every household who wrote had an answer and a ticket; nobody got a notice twice; no message made two tickets
  const residents = outage.residents;
  const gaveUp = residents.filter((r) => r.gaveUp);
  const bound = residents.filter((r) => r.bound);
  const dbResidents = await db.resident.findMany({ select: { id: true, telegramUserId: true } });
  const byTelegram = new Map(dbResidents.map((r) => [r.telegramUserId, r.id]));
  const ticketsOf = new Map<number, number>();
  for (const t of tickets) if (t.residentId !== null) ticketsOf.set(t.residentId, (ticketsOf.get(t.residentId) ?? 0) + 1);
  let noTicket = 0;
  for (const r of residents) {
    if (!r.filed) continue;
    const id = byTelegram.get(String(r.plan.user.id));
    const n = id === undefined ? 0 : (ticketsOf.get(id) ?? 0);
    if (n === 0) {
      noTicket++;
      problems.push(`lost: ${r.plan.user.first_name} was told the report was filed, and has no ticket`);
    }
    if (n > 1) {
      doubled += n - 1;
      problems.push(`doubled: ${r.plan.user.first_name}'s one message made ${n} tickets`);
    }
  }
  lost += noTicket;
  const openings = noticeOpenings();
  const restoredRows = new Map<string, number>();
  for (const n of notices) restoredRows.set(`${n.target}|${n.p?.phase}`, (restoredRows.get(`${n.target}|${n.p?.phase}`) ?? 0) + 1);
  let noRestore = 0;
  for (const r of bound) {
    const chat = String(r.chatId);
    const sent = world.tg.botCalls(r.chatId).filter((c) => c.method === 'sendMessage');
    for (const phase of ['declared', 'updated', 'restored'] as Phase[]) {
      const owed = restoredRows.get(`${chat}|${phase}`) ?? 0;
      const got =
        phase === 'restored'
          ? sent.filter((c) => restoreButtons(buttonsOf(c.params))).length
          : sent.filter((c) => (openings.get(phase) ?? []).some((h) => String(c.params.text ?? '').startsWith(h))).length;
      if (phase !== 'restored' && !openings.get(phase)) continue;
      if (got > owed) {
        doubled += got - owed;
        problems.push(`doubled: ${r.plan.user.first_name} (chat ${chat}) got the ${phase} notice ${got} times, owed ${owed}`);
      }
      if (phase === 'restored' && got === 0 && incidents.some((i) => i.status === 'restored')) noRestore++;
    }
  }
  if (noRestore) {
    lost += noRestore;
    problems.push(`lost: ${noRestore} bound households got no 暖气恢复了吗 after the restoration`);
  }
  const filed = residents.filter((r) => r.filed).length;
  lines.push(
    `households              ${residents.length}: ${bound.length} bound, ${filed} told their report went in${gaveUp.length ? `, ${gaveUp.length} gave up` : ''}; ${outage.restoreAnswered} answered 暖气恢复了吗 (${plan.residents.filter((p) => p.stillCold).length} cast to say 还不热)`,
  );
  if (gaveUp.length) failed.push(`${gaveUp.length} households of the outage gave up (${gaveUp[0].gaveUp})`);
  if (outage.restoreAnswered < bound.length) failed.push(`${bound.length - outage.restoreAnswered} bound households could not answer 暖气恢复了吗`);
  const desks = desk.log;
  if (desks.refusals.length) failed.push(`the app refused the desk's modals: ${desks.refusals.join('; ')}`);
  lines.push(
    `the desk                ${[
      desks.proposalSeenAt ? `proposal seen ${secs(desks.proposalSeenAt - outage.startedAt)} after the first household wrote` : 'no proposal seen',
      desks.declareClickedAt ? `declared at +${secs(desks.declareClickedAt - outage.startedAt)}` : 'never declared',
      desks.updatedAt ? `expected time moved at +${secs(desks.updatedAt - outage.startedAt)}` : 'expected time never moved',
      desks.restoreClickedAt ? `restored at +${secs(desks.restoreClickedAt - outage.startedAt)}` : 'never restored',
    ].join(', ')}`,
  );
  for (const n of desks.notes) lines.push(`  ${n}`);
  lines.push(`outage lost / doubled   ${lost} / ${doubled}`);
  return { lines, problems, lost, doubled, failed };
}
