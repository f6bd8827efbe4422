/**
 * npm run bench — the whole path against the machine's limit (issue 9). Each figure is
 * measured beside its baseline in the same run (these machines are shared and noisy), printed
 * as a table and written to bench/results/<timestamp>.json and bench/results/latest.json.
 *
 *   npm run bench                      everything (about 5 minutes on 2 cores)
 *   npm run bench -- --quick           shorter runs, 100,000 tickets for the sweep and KPIs
 *   BENCH_DATABASE_URL=postgresql://... npm run bench   adds the PostgreSQL intake runs
 *
 * All load goes to 127.0.0.1; every run is bounded in time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { followupBench } from './followup.js';
import { incidentBench } from './incident.js';
import { baselineBench, intakeBench } from './intake.js';
import { noticesBench } from './notices.js';
import { slackBench } from './slack.js';
import { staffReplyBench } from './staffreply.js';
import { sweepBench } from './sweep.js';
import { urgentBench } from './urgent.js';

// the service runs compiled, as `npm start` runs it
execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit', cwd: resolve(import.meta.dirname, '..') });

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = args.quick;
const want = (name: string) => !args.only || args.only.split(',').includes(name);
const duration = quick ? 5 : 10;
const bigN = quick ? 100_000 : 1_000_000;
const rows: { item: string; measure: string; value: string; target: string; baseline: string; verdict: string }[] = [];
const json: Record<string, unknown> = { at: new Date().toISOString(), cores: availableParallelism(), quick };
const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

function row(item: string, measure: string, value: string, target: string, baseline: string, ok: boolean | null) {
  rows.push({ item, measure, value, target, baseline, verdict: ok === null ? '' : ok ? 'met' : 'MISSED' });
}

async function pgUrl(): Promise<string | null> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) return null;
  const schema = `bench_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA "${schema}"`);
  await c.end();
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

if (want('intake')) {
  const conc = quick ? [10, 50] : [10, 50, 100];
  // Closed loop (each connection sends again when answered) measures the most it takes; by
  // Little's law its latency is connections / throughput, so p99 < 50 ms at c=50 in a closed loop
  // would take over 1,000/s. The target's pair (500/s with p99 < 50 ms) is read as an open loop:
  // 500 tickets/s offered over 50 connections, latency corrected for coordinated omission.
  // Three open-loop runs, reported by their median: one stall of this shared machine moves a p99.
  const paced = Array.from({ length: 3 }, () => ({ connections: 50, rate: 500 }));
  const base = await baselineBench({ concurrency: conc, paced: paced.slice(0, 1), durationS: duration });
  const svc = await intakeBench({ concurrency: conc, paced, durationS: duration });
  json.intake = { baseline: base, service: svc };
  const open = svc.runs.filter((s) => s.rate);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  svc.runs.forEach((s, i) => {
    const b = base.runs[Math.min(i, base.runs.length - 1)];
    const ratio = `ratio ${fmt((s.rps / b.rps) * 100, 1)} %`;
    if (s.rate) {
      if (s !== open[0]) return;
      const [p50, p99, tps] = [med(open.map((r) => r.p50)), med(open.map((r) => r.p99)), med(open.map((r) => r.ticketsPerS ?? 0))];
      row(
        '1 intake (SQLite)',
        `${fmt(s.rate)}/s offered over ${s.connections} connections: tickets/s, p50/p99 ms (median of ${open.length} runs)`,
        `${fmt(tps)} /s, ${p50}/${p99} ms (p99s ${open.map((r) => r.p99).join(', ')})`,
        '>= 500/s, p99 < 50 ms',
        `${fmt(b.rps)} /s, ${b.p50}/${b.p99} ms`,
        tps >= s.rate * 0.98 && p99 < 50 && open.every((r) => r.non2xx === 0),
      );
      return;
    }
    const at50 = s.connections === 50;
    row(
      '1 intake (SQLite)',
      `c=${s.connections} closed loop: tickets/s, p50/p99 ms`,
      `${fmt(s.ticketsPerS ?? NaN)} /s, ${s.p50}/${s.p99} ms (${fmt(s.cpuMsPerRequest ?? NaN, 2)} ms CPU each)`,
      at50 ? '>= 500/s' : '',
      `${fmt(b.rps)} /s, ${b.p50}/${b.p99} ms; ${ratio}`,
      at50 ? (s.ticketsPerS ?? 0) >= 500 && s.non2xx === 0 : null,
    );
  });
  row('5 memory', 'service RSS after intake', `${fmt(svc.rssMb ?? NaN)} MB`, '< 300 MB', '', (svc.rssMb ?? Infinity) < 300);
  const url = await pgUrl();
  if (url) {
    const one = await intakeBench({ concurrency: [50], durationS: duration, databaseUrl: url });
    const url2 = await pgUrl();
    const two = await intakeBench({ concurrency: [50], durationS: duration, databaseUrl: url2!, instances: 2 });
    json.postgres = { one, two };
    const [a, b] = [one.runs[0], two.runs[0]];
    // where the time goes: a second instance can only gain while the machine has a core to spare
    const split = (r: typeof a) =>
      `${fmt(r.ticketsPerS ?? NaN)} /s, ${r.p50}/${r.p99} ms; CPU per ticket: service ${fmt(r.cpuMsPerRequest ?? NaN, 1)} ms, PostgreSQL ${fmt(r.postgresCpuMsPerRequest ?? NaN, 1)} ms; machine ${fmt(r.machineBusyPct ?? NaN)} % busy`;
    row('6 intake (PostgreSQL)', 'c=50 closed loop, 1 instance: tickets/s, p50/p99 ms', split(a), '', '', null);
    const gain = (b.ticketsPerS ?? 0) / (a.ticketsPerS ?? Infinity);
    row(
      '6 intake (PostgreSQL)',
      'c=50 closed loop, 2 instances, connections dealt round-robin',
      split(b),
      'a gain',
      `x${fmt(gain, 2)} of 1 instance`,
      gain > 1.05,
    );
  } else {
    row('6 intake (PostgreSQL)', 'skipped', 'set BENCH_DATABASE_URL or TEST_DATABASE_URL', '', '', null);
  }
}

if (want('followup')) {
  // a follow-up costs no more than a report: both at c=50 closed loop on one service, one after the other
  const f = await followupBench({ connections: 50, durationS: duration });
  json.followup = f;
  const ratio = f.followup.perS / Math.max(f.report.perS, 1e-9);
  row(
    '7 follow-up (SQLite)',
    `c=50 closed loop: follow-ups/s on an open ticket, p50/p99 ms (${fmt(f.openTickets)} open tickets)`,
    `${fmt(f.followup.perS)} /s, ${f.followup.p50}/${f.followup.p99} ms (${fmt(f.followup.cpuMsPerRequest, 2)} ms CPU each; ${fmt((f.followup.addedShare ?? 0) * 100, 1)} % of notes answered 已补充到…)`,
    '>= the report figure',
    `reports ${fmt(f.report.perS)} /s, ${f.report.p50}/${f.report.p99} ms (${fmt(f.report.cpuMsPerRequest, 2)} ms CPU); ratio ${fmt(ratio * 100, 1)} %`,
    ratio >= 0.95 && f.followup.non2xx === 0 && f.report.non2xx === 0,
  );
}

if (want('incident')) {
  // a report linked to an open incident costs no more than an ordinary one: 2,000 of each, c=50, ABBA legs
  const r = await incidentBench({ reports: 2000, connections: 50 });
  json.incident = r;
  const side = (g: typeof r.linked) =>
    `${fmt(g.reportsPerS)} reports/s, ${fmt(g.cpuMsPerReport, 2)} ms CPU each, request p50/p99 ${g.p50}/${g.p99} ms, report ${g.reportP50}/${g.reportP99} ms`;
  row(
    '9 incident intake (SQLite)',
    `c=${r.connections} closed loop, ${fmt(r.linked.reports)} no-heat reports (words + tap) linked to ${r.incidentNumber} (${fmt(r.linked.linkedShare * 100)} % linked)`,
    side(r.linked),
    'CPU <= the ordinary figure',
    `ordinary ${side(r.ordinary)}; CPU ratio ${fmt(r.cpuRatio * 100, 1)} %`,
    r.cpuRatio <= 1.05 && r.linked.linkedShare === 1 && r.linked.non2xx + r.ordinary.non2xx === 0,
  );
}

if (want('slack')) {
  const s = await slackBench({ tickets: quick ? 200 : 500, connections: 20, durationS: duration });
  json.slack = s;
  row(
    '2 Slack clicks',
    'c=20: ack p50/p99 ms',
    `${s.p50}/${s.p99} ms (${fmt(s.requests)} clicks, ${s.accepted} accepted)`,
    'p99 < 100 ms',
    "Slack's limit 3,000 ms",
    s.p99 < 100 && s.non2xx === 0,
  );
}

if (want('staffreply')) {
  // open loop: replies/s offered, each ticket in turn (no chat is owed more than one message a second)
  const s = await staffReplyBench({ tickets: quick ? 40 : 60, replies: quick ? 200 : 400, rate: 20 });
  json.staffreply = s;
  row(
    '8 staff reply → Telegram',
    `${fmt(s.rate)} thread replies/s over ${s.tickets} cards: relay (POST → sendMessage) p50/p99 ms`,
    `${s.relay.p50}/${s.relay.p99} ms (max ${fmt(s.relay.max)}; ${s.relayed} of ${s.replies} relayed)`,
    'p99 < 1,000 ms',
    `ack p50/p99 ${s.ack.p50}/${s.ack.p99} ms (Slack's limit 3,000 ms)`,
    s.relayed === s.replies && s.non2xx === 0 && s.relay.p99 < 1000 && s.ack.p99 < 3000,
  );
}

if (want('urgent')) {
  // 300 cards queued to one channel, then an urgent alert to it while they flow (quick: 60 cards)
  const u = await urgentBench({ cards: quick ? 60 : 300 });
  json.urgent = u;
  row(
    '10 urgent alert behind a queue',
    `${fmt(u.cards)} ticket cards queued to one channel (20 to 4 others), fake Slack limits on: alert owed → posted`,
    `${fmt(u.alertMs)} ms (${u.cardsBeforeAlert} cards before it; other channels done at ${fmt(u.otherChannelsMs)} ms; cards took ${fmt(u.cardsTookS)} s; ${u.refused429} 429s)`,
    '< 2,000 ms',
    'before priorities and lanes: 301st of 301',
    u.alertMs < 2000 && u.refused429 === 0,
  );
}

if (want('notices')) {
  // 10,000 notices at Telegram's pace (quick: 1,000, the same limit), a resident's update owed half-way
  const n = await noticesBench({ notices: quick ? 1000 : 10_000 });
  json.notices = n;
  row(
    '11 incident notices → Telegram',
    `${fmt(n.notices)} notices to as many chats, fake Telegram limits on (30/s, 1/s per chat): messages/s${quick ? ' (quick: 1,000 rows)' : ''}`,
    `${fmt(n.perS, 1)} /s, ${fmt(n.tookS)} s (busiest second ${n.busiestSecond}; ${n.refused429} 429s); resident update ${fmt(n.residentMs)} ms after owed, ${n.noticesAhead} notices ahead`,
    `the limit (${n.perSecondLimit}/s); reply first`,
    `10,000 at ${n.perSecondLimit}/s = ${fmt(10_000 / n.perSecondLimit / 60, 1)} min`,
    n.perS >= n.perSecondLimit * 0.9 && n.refused429 === 0 && n.noticesAhead <= 3,
  );
}

if (want('sweep')) {
  const small = await sweepBench(bigN / 10, 10_000);
  const big = await sweepBench(bigN, 10_000);
  json.sweep = { small, big };
  row(
    '3 deadline sweep',
    `${fmt(bigN)} tickets, 10,000 due: fire all`,
    `${fmt(big.medianMs)} ms`,
    '< 200 ms',
    `${fmt(small.medianMs)} ms at ${fmt(bigN / 10)} tickets`,
    big.medianMs < 200,
  );
  row('3 deadline sweep', 'one pass, nothing due', `${fmt(big.idleMs, 1)} ms`, 'flat in table size', `${fmt(small.idleMs, 1)} ms at ${fmt(bigN / 10)}`, null);
}

if (want('kpi')) {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../tools/bench-kpi.ts'), '--tickets', String(bigN), '--runs', '5'],
    { encoding: 'utf8' },
  );
  const m = /month over ([\d,]+) tickets: (\d+) ms median/.exec(out);
  const ms = m ? Number(m[2]) : NaN;
  json.kpi = { output: out };
  row('4 KPIs', `month over ${fmt(bigN)} tickets`, `${fmt(ms)} ms`, '< 1,000 ms', '', ms < 1000);
}

json.loadAverage = loadavg();
const widths = ['item', 'measure', 'value', 'target', 'baseline', 'verdict'].map((k) => Math.max(k.length, ...rows.map((r) => String((r as any)[k]).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const table = [
  line(['item', 'measure', 'value', 'target', 'baseline', 'verdict']),
  line(widths.map((w) => '-'.repeat(w))),
  ...rows.map((r) => line([r.item, r.measure, r.value, r.target, r.baseline, r.verdict])),
].join('\n');
console.log(
  `\n${table}\n\nload average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`,
);
json.table = rows;
const dir = resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(resolve(dir, `${stamp}.json`), JSON.stringify(json, null, 2));
writeFileSync(resolve(dir, 'latest.json'), JSON.stringify(json, null, 2));
