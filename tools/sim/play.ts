/**
 * The play: N residents arrive over `durationS` seconds (at most `concurrency` acting at once),
 * bind, report and later rate; each branch's staff move the cards on; optionally the service is
 * killed when a share of the planned work is done and started again. It ends when every ticket
 * is closed and the outbox owes nothing, or when the drain time is up.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DEMO_CUSTOMERS } from '../../src/db/seed-demo.js';
import { DEMO_ORG } from '../../src/config.js';
import { loadOrgFile } from '../../src/core/org/load-org.js';
import { Org } from '../../src/core/org/org.js';
import { seeded } from './random.js';
import { answerRestoreCheck, arrivalMs, OutageDesk, type OutagePlan, PhoneCallbacks } from './outage.js';
import { SimResident, type ResidentPlan } from './resident.js';
import { BranchStaff, branchPeople } from './staff.js';
import { Limit, sleep } from './wait.js';
import type { World } from './world.js';

export interface PlayOptions {
  residents: number;
  durationS: number;
  leakShare: number;
  unhappyShare: number;
  /** share of residents who write more on their open ticket and send a photo (default 0) */
  followUpShare?: number;
  /** share of residents who urge once filed (default 0) */
  urgeShare?: number;
  /** share of residents whose ticket staff answer in the card's thread (default 0) */
  staffReplyShare?: number;
  concurrency: number;
  seed: number;
  /** SIGKILL the service when this share of the planned work is done, then start it again */
  killAt?: number | null;
  /** kill this many times: at killAt, then evenly spaced over the rest of the work (default 1) */
  kills?: number;
  /** how long to wait, at most, for the loop to finish once every resident has reported */
  drainTimeoutS: number;
  /** stop waiting earlier when nothing has moved (outbox, steps) for this long (default 180 s) */
  stallS?: number;
  /** one line every few seconds */
  progress?: (line: string) => void;
  /** take residents from each branch in turn (short drills: every channel at its own pace) */
  spreadBranches?: boolean;
  /** kill at once when --kill-at is reached, even inside an outbox delivery (see waitOutboxIdle) */
  killAnywhere?: boolean;
  /** called once when the share of work in `at` is reached (fault drills hook in here) */
  milestones?: { at: number; run: (world: World) => Promise<void> | void }[];
  /** ordinary residents are not cast from these communities (an outage plays its own there) */
  excludeCommunities?: string[];
  /** a cold snap played beside the ordinary residents (outage.ts) */
  outage?: { plan: OutagePlan; wallS: number; declareAfter: number; early?: number; earlyWallS?: number };
}

/** The outage's side of a run: its residents, what the desk did, and their answers to 暖气恢复了吗. */
export interface OutageResult {
  plan: OutagePlan;
  residents: SimResident[];
  desk: OutageDesk;
  /** when the first outage resident wrote (ms since the epoch) */
  startedAt: number;
  /** when the last one had written and said what more they had to say */
  intakeEndedAt: number;
  /** residents who answered 暖气恢复了吗 (the bot took the tap) */
  restoreAnswered: number;
}

export interface PlayResult {
  residents: SimResident[];
  staff: BranchStaff[];
  plannedWork: number;
  doneWork: number;
  kills: number;
  /** seconds from the first resident to the end */
  elapsedS: number;
  /** the loop did not finish within the drain time */
  timedOut: boolean;
  /** what went wrong in the simulator itself (e.g. the service did not come back) */
  errors: string[];
  outage?: OutageResult;
  /** phone callbacks the centre recorded (a share of linked reports is called back by phone) */
  phoneCallbacks: number;
}

export const NO_HEAT = [
  '暖气不热，室温只有15度',
  '家里暖气不热',
  '暖气片一直是凉的',
  '屋里太冷了，暖气不热',
  '暖气从昨天开始就不热了',
  '卧室暖气不热，只有16度',
  '暖气温度太低了',
  '家里冷得很，暖气摸着是凉的',
  '暖气不够热，室温17度',
  '暖气一点都不热',
];
export const LEAKS = ['暖气片跑水了', '家里暖气漏水了，地上全是水', '暖气管爆了，水流不止', '厨房暖气管漏水'];
/** More words on an open no-heat ticket (the trained classifier reads them as the same problem, so they join it). */
export const NO_HEAT_MORE = ['补充一下 是客厅北面那组暖气', '室温只有14度，老人在家', '补充：家里有老人，晚上特别冷'];
/** More words on an open leak ticket. */
export const LEAK_MORE = ['水还在流，地上全是水', '阀门我关了，还在滴', '楼下邻居说他家天花板也在滴水'];
/** Urging (催办). */
export const URGE = ['怎么还没人来', '催一下，师傅什么时候到', '你们人呢？怎么还没来'];
/** What staff write to the resident in the card's thread. */
export const STAFF_REPLIES = ['您好，师傅已经出发，二十分钟左右到，请家里留人。', '收到，照片看到了，师傅下午两点前上门，请保持电话畅通。'];

const FIRST_USER_ID = 700_000_000;

const demoOrg = () => new Org(loadOrgFile(DEMO_ORG));

/**
 * Residents for a run: distinct demo customers, their sentences and their mood, all from the seed.
 * `spreadBranches` takes them from each branch in turn (one per dispatch channel first), so a
 * short drill uses every channel's own pace instead of queueing in one.
 */
export function castResidents(
  o: Pick<
    PlayOptions,
    'residents' | 'leakShare' | 'unhappyShare' | 'seed' | 'spreadBranches' | 'followUpShare' | 'urgeShare' | 'staffReplyShare' | 'excludeCommunities'
  >,
): ResidentPlan[] {
  const all = parse(readFileSync(DEMO_CUSTOMERS, 'utf8'), { columns: true, skip_empty_lines: true }) as {
    account: string;
    phone: string;
    community: string;
  }[];
  const rows = o.excludeCommunities?.length ? all.filter((r) => !o.excludeCommunities!.includes(r.community)) : all;
  if (o.residents > rows.length) throw new Error(`at most ${rows.length} residents (demo customers)`);
  const random = seeded(o.seed).fork('cast');
  let order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  if (o.spreadBranches) {
    const org = demoOrg();
    const byBranch = new Map<string, number[]>();
    for (const i of order) {
      const b = org.communities.get(rows[i].community)?.branchId ?? '';
      byBranch.set(b, [...(byBranch.get(b) ?? []), i]);
    }
    const queues = [...byBranch.values()];
    order = [];
    for (let k = 0; order.length < rows.length; k++) for (const q of queues) if (q[k] !== undefined) order.push(q[k]);
  }
  // the conversation draws from its own stream: the customers, sentences and moods stay as they were
  const talk = random.fork('conversation');
  const plans: ResidentPlan[] = order.slice(0, o.residents).map((row, index) => {
    const c = rows[row];
    const leak = random.chance(o.leakShare);
    const followUp = talk.chance(o.followUpShare ?? 0);
    const urge = talk.chance(o.urgeShare ?? 0);
    const staffReply = talk.chance(o.staffReplyShare ?? 0);
    return {
      index,
      user: { id: FIRST_USER_ID + o.seed * 10_000 + index, is_bot: false, first_name: `居民${index + 1}`, language_code: 'zh-hans' },
      account: c.account,
      last4: c.phone.slice(-4),
      sentence: random.pick(leak ? LEAKS : NO_HEAT),
      leak,
      unhappy: random.chance(o.unhappyShare),
      followUp,
      urge,
      staffReply,
      more: talk.pick(leak ? LEAK_MORE : NO_HEAT_MORE),
      urging: talk.pick(URGE),
    };
  });
  // the transcript shows one whole conversation: someone who follows up is answered by staff
  const shown = plans.find((p) => p.followUp);
  if (shown && (o.staffReplyShare ?? 0) > 0) shown.staffReply = true;
  return plans;
}

/** Steps of the loop a resident's report is planned to go through (for --kill-at). */
function plannedSteps(p: ResidentPlan): number {
  return 2 /* bind, report */ + 4 /* accept, arrive, resolve, rate */ + (p.unhappy ? 4 : 0);
}

/** Runs the residents and the staff against the world until the loop is done (or given up on). */
export async function play(world: World, o: PlayOptions): Promise<PlayResult> {
  const plans = castResidents(o);
  let stopped = false;
  const isStopped = () => stopped;
  const ordinary = plans.map((p) => new SimResident(p, world.tg, isStopped));
  const outagePlan = o.outage?.plan;
  const outageResidents = (outagePlan?.residents ?? []).map((p) => new SimResident({ ...p, anyAnswer: true }, world.tg, isStopped));
  // everyone rates what they are asked and counts for the settled run; the outage's residents arrive on their own curve
  const residents = [...ordinary, ...outageResidents];
  let outageIntakeDone = !o.outage;
  let outageStartedAt = 0;
  let outageEndedAt = 0;
  const desk = o.outage
    ? new OutageDesk(world, o.outage.plan, {
        declareAfter: o.outage.declareAfter,
        residents: outageResidents,
        intakeDone: () => outageIntakeDone,
        stopped: isStopped,
        say: (line) => o.progress?.(`[+${secs(started)}s] ${line}`),
        limit: new Limit(1),
      })
    : undefined;
  // the centre calls back by phone what the service asks it to (a share of linked reports, a blocked resident)
  const agent = [...world.org.staff.values()].find((s) => s.role === 'centre_agent' && s.slackUserId);
  const phone = agent ? new PhoneCallbacks(world, { slack: agent.slackUserId!, name: agent.name }, { limit: new Limit(4), stopped: isStopped }) : undefined;
  // 暖气恢复了吗: answered once heat is back, a few residents at a time
  const restoreTaps = new Map<number, number>();
  const restoreDone = new Set<SimResident>();
  const restoring = new Set<SimResident>();
  const staffLimit = new Limit(16);
  // staff answer in the thread the tickets of the residents cast for it (known once the bot told them the number)
  const wantsReply = (number: string) => residents.some((r) => r.plan.staffReply && r.numbers.has(number));
  const staff = branchPeople(world.org).map(
    (people) => new BranchStaff(people, world.slack, world.probe, { limit: staffLimit, stopped: isStopped, wantsReply, replies: STAFF_REPLIES }),
  );
  const plannedWork = plans.reduce((n, p) => n + plannedSteps(p), 0);
  const started = Date.now();
  let kills = 0;
  let restarting: Promise<void> | null = null;
  // the shares of the work at which the service is killed: killAt, then evenly over the rest
  const killPoints =
    o.killAt === undefined || o.killAt === null ? [] : Array.from({ length: o.kills ?? 1 }, (_, i) => o.killAt! + (i * (1 - o.killAt!)) / (o.kills ?? 1));
  const milestones = [...(o.milestones ?? [])].sort((a, b) => a.at - b.at);

  const doneWork = () => {
    const e = world.probe.events;
    const n =
      world.probe.boundResidents +
      world.probe.tickets.size +
      (e.get('accepted') ?? 0) +
      (e.get('arrived') ?? 0) +
      (e.get('resolved') ?? 0) +
      (e.get('reopened') ?? 0) +
      (e.get('closed') ?? 0);
    return Math.min(n, plannedWork);
  };

  // residents rate what they are asked, a few at a time
  const rating = new Set<SimResident>();
  const looked = new Map<SimResident, { calls: number; at: number }>();
  const rateLimit = new Limit(Math.max(4, Math.ceil(o.concurrency / 2)));
  let intakeDone = false;
  let lastProgress = 0;

  const tick = async () => {
    try {
      await world.probe.refresh();
    } catch {
      return; // the database is busy or the connection dropped: look again at the next tick
    }
    for (const s of staff) s.tick();
    desk?.tick();
    phone?.tick();
    if (desk?.restoredDone)
      for (const r of outageResidents) {
        if (!r.bound || restoreDone.has(r) || restoring.has(r)) continue;
        restoring.add(r);
        const stillCold = outagePlan!.residents[r.plan.index].stillCold;
        void rateLimit
          .run(() => answerRestoreCheck(r, stillCold, world.tg, restoreTaps))
          .then((done) => {
            if (done) restoreDone.add(r);
          })
          .catch(() => undefined)
          .finally(() => restoring.delete(r));
      }
    for (const r of residents) {
      if (!r.filed || rating.has(r)) continue;
      // a look at the chat when the bot said something since the last one (or a while ago: a tap without a toast is tried again)
      const seen = world.tg.botCalls(r.chatId).length;
      const last = looked.get(r);
      if (last && last.calls === seen && Date.now() - last.at < 2000) continue;
      looked.set(r, { calls: seen, at: Date.now() });
      rating.add(r);
      void rateLimit
        .run(() => r.rate())
        .catch(() => undefined)
        .finally(() => rating.delete(r));
    }
    const share = doneWork() / plannedWork;
    while (milestones.length && share >= milestones[0].at) {
      const m = milestones.shift()!;
      await m.run(world);
    }
    if (killPoints.length && share >= killPoints[0]) {
      killPoints.shift();
      restarting = (async () => {
        const idle = o.killAnywhere ? false : await world.probe.waitOutboxIdle(15_000);
        const when = o.killAnywhere
          ? ''
          : idle
            ? ' (at a moment no outbox message was in delivery)'
            : ' (the outbox was never idle for 15 s: killed in the middle of a delivery)';
        o.progress?.(`[+${secs(started)}s] SIGKILL the service at ${Math.round(share * 100)}% of the work${when}, then start it again`);
        await world.service.kill();
        kills++;
        await world.service.start();
        o.progress?.(`[+${secs(started)}s] the service is back`);
      })();
      try {
        await restarting;
      } finally {
        restarting = null;
      }
    }
    if (o.progress && Date.now() - lastProgress >= 5000) {
      lastProgress = Date.now();
      const p = world.probe;
      const closed = [...p.tickets.values()].filter((t) => t.status === 'closed').length;
      const inc = desk?.incident;
      const outageLine = desk
        ? ` · outage ${outageResidents.filter((r) => r.filed).length}/${outageResidents.length} reported, incident ${inc ? `${inc.number} ${inc.status}` : 'not declared'}`
        : '';
      o.progress(
        `[+${secs(started)}s] residents ${ordinary.filter((r) => r.filed).length}/${ordinary.length} reported${outageLine} · tickets ${p.tickets.size} (closed ${closed}) · outbox sent ${p.outbox.sent} pending ${p.outbox.pending} dead ${p.outbox.dead} · work ${Math.round(share * 100)}%`,
      );
    }
  };

  const errors: string[] = [];
  const ticker = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (e) {
        errors.push((e as Error).message);
        o.progress?.(`[+${secs(started)}s] ${(e as Error).message}`);
      }
      await sleep(200);
    }
  })();

  // arrivals spread over the duration, at most `concurrency` residents at once
  const arrivals = new Limit(o.concurrency);
  const gapMs = ordinary.length > 1 ? (o.durationS * 1000) / ordinary.length : 0;
  const outageArrivals = new Limit(o.concurrency);
  const outageRun = o.outage
    ? (async () => {
        outageStartedAt = Date.now();
        o.progress?.(
          `[+${secs(started)}s] ${outagePlan!.station} fails: ${outageResidents.length} households of ${outagePlan!.communities.join(', ')} write within ${o.outage!.wallS} s`,
        );
        await Promise.all(
          outageResidents.map(async (r, i) => {
            await sleep(arrivalMs(i, outageResidents.length, o.outage!.wallS, o.outage!.early, o.outage!.earlyWallS));
            await outageArrivals.run(async () => {
              if ((await r.bind()) && (await r.report())) await r.converse();
            });
          }),
        );
        outageEndedAt = Date.now();
        outageIntakeDone = true;
        o.progress?.(`[+${secs(started)}s] every household of the outage has written`);
      })()
    : Promise.resolve();
  await Promise.all([
    ...ordinary.map(async (r, i) => {
      await sleep(i * gapMs);
      await arrivals.run(async () => {
        if ((await r.bind()) && (await r.report())) await r.converse();
      });
    }),
    outageRun,
  ]);
  intakeDone = true;

  // the rest of the loop: staff steps, ratings, the outbox draining. It ends when everything is
  // settled, or after drainTimeoutS, or when nothing has moved for stallS (then it never will)
  const deadline = Date.now() + o.drainTimeoutS * 1000;
  const stallMs = (o.stallS ?? 180) * 1000;
  let timedOut = true;
  let mark = '';
  let moved = Date.now();
  while (Date.now() < deadline && Date.now() - moved < stallMs && !errors.length) {
    const p = world.probe;
    // an outage is settled once heat is back and every household answered 暖气恢复了吗
    const outageSettled = !desk || (desk.restoredDone && outageResidents.every((r) => !r.bound || restoreDone.has(r)));
    const settled =
      intakeDone &&
      outageSettled &&
      !restarting &&
      p.at > 0 &&
      p.openTickets === 0 &&
      p.outbox.pending === 0 &&
      residents.every((r) => r.gaveUp || r.unanswered === 0);
    if (settled && Date.now() - p.at < 1000) {
      timedOut = false;
      break;
    }
    const now = `${p.outbox.sent}|${doneWork()}|${p.outbox.pending}|${restoreDone.size}|${desk?.incident?.status}`;
    if (now !== mark || restarting) {
      mark = now;
      moved = Date.now();
    }
    await sleep(250);
  }
  if (timedOut) {
    const waiting = residents.filter((r) => !r.gaveUp && r.unanswered > 0).map((r) => `${r.plan.user.first_name} (${[...r.numbers].join(', ')})`);
    if (waiting.length) o.progress?.(`[+${secs(started)}s] residents with a question still unanswered: ${waiting.slice(0, 10).join('; ')}`);
  }
  if (timedOut)
    o.progress?.(
      `[+${secs(started)}s] stopped waiting: ${Date.now() >= deadline ? `${o.drainTimeoutS} s after the last report` : `nothing moved for ${stallMs / 1000} s`}`,
    );
  stopped = true;
  await ticker;
  // what is still running (a tap, a click) finishes or gives up quickly once stopped
  await Promise.race([Promise.all([...rating].map(() => rateLimit.run(async () => undefined))), sleep(5000)]);
  return {
    residents,
    staff,
    plannedWork,
    doneWork: doneWork(),
    kills,
    elapsedS: (Date.now() - started) / 1000,
    timedOut,
    errors,
    phoneCallbacks: phone?.recorded ?? 0,
    ...(desk && outagePlan
      ? {
          outage: {
            plan: outagePlan,
            residents: outageResidents,
            desk,
            startedAt: outageStartedAt,
            intakeEndedAt: outageEndedAt,
            restoreAnswered: restoreDone.size,
          },
        }
      : {}),
  };
}

const secs = (from: number) => ((Date.now() - from) / 1000).toFixed(0);
