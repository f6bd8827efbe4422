/**
 * `npm run simulate`: a world (fakes + the real service), the play (residents and staff), then the
 * ledger and the transcripts. The exit code is 0 only when nothing was lost, nothing was
 * duplicated and every ticket ended closed.
 */
import { DEMO_ORG } from '../../src/config.js';
import { loadOrgFile } from '../../src/core/org/load-org.js';
import { Org } from '../../src/core/org/org.js';
import { audit, type Ledger } from './audit.js';
import type { SimOptions } from './options.js';
import { planOutage } from './outage.js';
import { auditOutage, type OutageLedger } from './outage-audit.js';
import { play, type PlayResult } from './play.js';
import { channelTranscript, residentTranscript } from './transcript.js';
import { startWorld, type World } from './world.js';

export interface SimReport {
  ledger: Ledger;
  result: PlayResult;
  latency: { p50: number; p99: number; requests: number; unanswered: number };
  /** the run met its bar: 0 lost, 0 duplicated, every ticket closed, the loop finished */
  passed: boolean;
  /** --outage: what the cold snap came to */
  outage?: OutageLedger;
  dir: string;
}

export async function runSimulation(o: SimOptions, print: (line: string) => void = console.log): Promise<SimReport> {
  print(`Starting the fake Telegram and Slack APIs and the service (temporary ${o.databaseUrl ? 'schema' : 'SQLite database'})...`);
  const outagePlan = o.outage ? planOutage(new Org(loadOrgFile(DEMO_ORG)), { ...o, outage: o.outage }) : undefined;
  const world = await startWorld({
    extraCustomersCsv: outagePlan?.customersCsv,
    // a cold snap is played within the platforms' limits: whatever the service sends beyond them is refused, as it would be
    rateLimits: Boolean(outagePlan),
    seed: o.seed,
    databaseUrl: o.databaseUrl,
    outboxMaxBackoffMs: o.outboxMaxBackoffMs,
    outboxMaxAttempts: o.outboxMaxAttempts,
    logLevel: o.logLevel,
    keep: o.keep,
  });
  try {
    print(`Service up at ${world.service.url}; its log: ${world.logFile}`);
    if (o.failSlack || o.failTelegram) {
      print(`Faults on: ${pct(o.failSlack)} of Slack calls and ${pct(o.failTelegram)} of Telegram calls answered 500 or 429 (+ retry after 1 s)`);
      world.setFaults({ slack: o.failSlack, telegram: o.failTelegram });
    }
    const t0 = Date.now();
    print(`${o.residents} residents over ${o.durationS} s${o.killAt !== null ? `; the service is killed at ${pct(o.killAt)} of the work` : ''}...`);
    if (outagePlan)
      print(
        `A cold snap: ${outagePlan.station} fails; ${outagePlan.residents.length} households of ${outagePlan.communities.join(', ')} write within ${o.outageMinutes} minutes, played in ${o.earlyWallS + o.outageWallS} s (the first ${o.early} over ${o.earlyWallS} s at the service's pace, then the flood over ${o.outageWallS} s)`,
      );
    const result = await play(world, {
      ...o,
      progress: o.progress ? print : undefined,
      excludeCommunities: outagePlan?.communities,
      outage: outagePlan ? { plan: outagePlan, wallS: o.outageWallS, declareAfter: o.declareAfter, early: o.early, earlyWallS: o.earlyWallS } : undefined,
    });
    // the platforms answer again, so that the transcripts and the ledger read the final state
    world.setFaults({ slack: 0, telegram: 0 });
    const ledger = await audit(
      world.db,
      world.org,
      world.tg.fake,
      world.slack.fake,
      result.residents.filter((r) => r.filed).map((r) => r.plan.user.id),
    );
    printTranscripts(world, result, t0, print);
    const latency = {
      p50: world.latency.percentile(50),
      p99: world.latency.percentile(99),
      requests: world.latency.count,
      unanswered: world.latency.unanswered,
    };
    const outage = result.outage ? await auditOutage(world, result.outage) : undefined;
    const passed =
      ledger.lost === 0 &&
      ledger.duplicated === 0 &&
      ledger.notClosed.length === 0 &&
      !result.timedOut &&
      result.errors.length === 0 &&
      (!outage || (outage.lost === 0 && outage.doubled === 0 && outage.failed.length === 0));
    if (outage) printOutage(outage, print);
    printTotals(o, world, result, ledger, latency, passed, print);
    return { ledger, result, latency, passed, dir: world.dir, outage };
  } finally {
    await world.close();
    if (o.keep) print(`Kept ${world.dir} (database, service.log)`);
  }
}

function printOutage(outage: OutageLedger, print: (line: string) => void): void {
  print('');
  print('=== the cold snap ===');
  for (const l of outage.lines) print(l);
  for (const f of outage.failed) print(`check failed: ${f}`);
  if (outage.problems.length) {
    print(`outage problems (${outage.problems.length}):`);
    for (const p of outage.problems.slice(0, 20)) print(`  - ${p}`);
    if (outage.problems.length > 20) print(`  ... and ${outage.problems.length - 20} more`);
  }
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function printTranscripts(world: World, result: PlayResult, t0: number, print: (line: string) => void): void {
  // a resident whose whole loop shows: one who was unhappy first, if any finished, else the first who reported
  const done = result.residents.filter((r) => r.filed && r.numbers.size > 0);
  // preferably the whole conversation: a follow-up, a photo and a staff reply in the thread
  const talked = done.find((r) => r.conversation.followUps && r.conversation.photos && r.plan.staffReply && r.answered.size > 0);
  const shown = talked ?? done.find((r) => r.plan.unhappy && r.answered.size > 1) ?? done.find((r) => r.answered.size > 0) ?? result.residents[0];
  if (!shown) return;
  const name = shown.plan.user.first_name;
  print('');
  print(`=== ${name}'s chat with the bot (Telegram, account ${shown.plan.account}) ===`);
  for (const l of residentTranscript(world.tg, shown.chatId, name, t0)) print(l);
  const numbers = new Set(shown.numbers);
  const branches = new Set([...numbers].map((n) => world.probe.tickets.get(n)?.branchId).filter((b): b is string => Boolean(b)));
  const channels = [...branches].flatMap((b) => {
    const ch = world.org.branches.get(b)?.channels;
    return [ch?.dispatch, ch?.urgent].filter((c): c is string => Boolean(c));
  });
  print('');
  print(`=== the branch's Slack channels for ${[...numbers].join(', ') || '(no ticket)'}: ${channels.join(', ')} ===`);
  for (const l of channelTranscript(world.slack, numbers, channels, t0)) print(l);
}

function printTotals(
  o: SimOptions,
  world: World,
  result: PlayResult,
  ledger: Ledger,
  latency: SimReport['latency'],
  passed: boolean,
  print: (line: string) => void,
): void {
  const repeats = result.residents.reduce((n, r) => n + r.repeats, 0);
  const gaveUp = result.residents.filter((r) => r.gaveUp);
  const staff = result.staff.reduce((a, s) => ({ actions: a.actions + s.actions, again: a.again + s.again, modals: a.modals + s.modalsMissing }), {
    actions: 0,
    again: 0,
    modals: 0,
  });
  print('');
  print('=== totals ===');
  print(
    `residents              ${result.residents.length} (${result.residents.filter((r) => r.filed).length} reported${gaveUp.length ? `, ${gaveUp.length} gave up` : ''})`,
  );
  print(`tickets created        ${ledger.tickets}`);
  print(`messages owed          ${ledger.expected} (cards, thread lines, alerts, residents' notifications, callback questions)`);
  print(`messages delivered     ${ledger.delivered} (outbox rows sent)`);
  print(`lost                   ${ledger.lost}${ledger.pending || ledger.dead ? ` (outbox pending ${ledger.pending}, dead ${ledger.dead})` : ''}`);
  print(
    `duplicated             ${ledger.duplicated}${ledger.duplicated ? ` (Slack ${ledger.duplicatedOn.slack}, Telegram ${ledger.duplicatedOn.telegram})` : ''}`,
  );
  const c = ledger.conversation;
  const said = result.residents.reduce((a, r) => ({ f: a.f + r.conversation.followUps, p: a.p + r.conversation.photos, u: a.u + r.conversation.urges }), {
    f: 0,
    p: 0,
    u: 0,
  });
  const replies = result.staff.reduce((n, s) => n + s.threadReplies, 0);
  print(
    `conversation           residents: ${said.f} follow-ups and ${said.p} photos added, ${said.u} urgings answered; in the cards' threads: ${c.notes} notes (words and photos) and ${c.urgings} urgings owed, ${c.filesArrived} of ${c.files} files uploaded; staff: ${replies} thread replies, ${c.repliesArrived} of ${c.staffReplies} reached the resident`,
  );
  print(
    `webhook latency        p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms (${latency.requests} requests${latency.unanswered ? `, ${latency.unanswered} unanswered while the service was down` : ''})`,
  );
  for (const [name, l] of Object.entries(world.latencyOf))
    print(`  ${name.padEnd(21)}p50 ${l.percentile(50).toFixed(0)} ms, p99 ${l.percentile(99).toFixed(0)} ms (${l.count} requests)`);
  print(
    `every ticket closed    ${ledger.notClosed.length === 0 ? 'yes' : `no: ${ledger.notClosed.slice(0, 10).join(', ')}${ledger.notClosed.length > 10 ? ', ...' : ''}`}`,
  );
  print(
    `people had to repeat   ${repeats} times (the bot's direct answer did not come: the platform refused it after the bot's own retries, or the service was down); staff clicked again ${staff.again} times, ${staff.modals} modals did not open`,
  );
  print(`Telegram redelivered   ${world.tg.redeliveries} updates (no 200 from the service)${world.tg.undelivered ? `; ${world.tg.undelivered} given up` : ''}`);
  const lookedBack = world.slack.fake.calls.filter((c) => c.method === 'conversations.history' || c.method === 'conversations.replies').length;
  if (lookedBack) print(`${'Slack read back'.padEnd(23)}${lookedBack} times before posting again (a delivery whose outcome was unknown)`);
  if (result.phoneCallbacks) print(`phone callbacks        ${result.phoneCallbacks} recorded by the centre in Slack (callback.record)`);
  if (result.kills) print(`service restarts       ${result.kills} (SIGKILL)`);
  if (world.service.crashes.length) print(`service crashes        ${world.service.crashes.length} (exit codes ${world.service.crashes.join(', ')})`);
  print(
    `elapsed                ${result.elapsedS.toFixed(0)} s${result.timedOut ? ` (stopped waiting after ${o.drainTimeoutS} s: the loop did not finish)` : ''}`,
  );
  for (const e of result.errors) print(`simulator error: ${e}`);
  for (const s of result.staff) for (const r of s.refusals) print(`the app refused a modal: ${r}`);
  if (ledger.problems.length) {
    print('');
    print(`problems (${ledger.problems.length}):`);
    for (const p of ledger.problems.slice(0, 30)) print(`  - ${p}`);
    if (ledger.problems.length > 30) print(`  ... and ${ledger.problems.length - 30} more`);
  }
  print('');
  print(passed ? 'PASS: nothing lost, nothing duplicated, every ticket closed.' : 'FAIL: see above.');
}
