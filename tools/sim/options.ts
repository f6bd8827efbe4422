/** The simulator's options (npm run simulate -- --residents 200 --fail-slack 0.3 ...). */

export interface SimOptions {
  /** residents who bind, report and rate */
  residents: number;
  /** seconds over which the residents arrive (the loop itself takes as long as the platforms allow) */
  durationS: number;
  /** share of Slack Web API calls answered 500 or 429 + Retry-After (from the moment the service has started) */
  failSlack: number;
  /** share of Telegram Bot API calls answered 500 or 429 + retry_after */
  failTelegram: number;
  /** SIGKILL the service when this share (0..1) of the planned work is done, then start it again */
  killAt: number | null;
  /** kill even inside an outbox delivery (shows the at-least-once window: a message may come twice) */
  killAnywhere: boolean;
  /** with killAt: kill this many times, at killAt and then evenly over the rest of the work (default 1) */
  kills: number;
  seed: number;
  /** keep the temporary directory (database, service log) */
  keep: boolean;
  /** share of residents who report water running (filed at once as urgent) */
  leakShare: number;
  /** share of residents who answer 不满意 first (reopen → resolved again → 满意) */
  unhappyShare: number;
  /** share of residents who, once filed, write more on their open ticket and send a photo of it */
  followUpShare: number;
  /** share of residents who urge (催办: "怎么还没人来") once filed */
  urgeShare: number;
  /** share of residents whose ticket the branch coordinator answers in the card's Slack thread */
  staffReplyShare: number;
  /** residents acting at once */
  concurrency: number;
  /** seconds to wait at most, after the residents' reports, for the loop to finish and the outbox to drain (it stops earlier when nothing moves for 180 s) */
  drainTimeoutS: number;
  /** the service's outbox settings (OUTBOX_MAX_BACKOFF_MS, OUTBOX_MAX_ATTEMPTS) */
  outboxMaxBackoffMs: number;
  outboxMaxAttempts: number;
  /** another database than a fresh temporary SQLite file (e.g. a PostgreSQL schema) */
  databaseUrl?: string;
  /** the service's LOG_LEVEL (its log goes to a file in the temporary directory) */
  logLevel: string;
  /** print progress lines while running */
  progress: boolean;
  /** a cold snap: this station fails and its communities' residents write about no heat (--outage HX-XI02) */
  outage: string | null;
  /** residents of the station's communities who write during the outage */
  outageResidents: number;
  /** the minutes of the outage the simulator plays (its residents write within them) */
  outageMinutes: number;
  /** wall-clock seconds those minutes are played in (the simulator's compression of time) */
  outageWallS: number;
  /** reports from the station with no automatic proposal in Slack, after which staff declare by /incident */
  declareAfter: number;
  /** the first households (early risers) write over `earlyWallS` at the service's own pace, before the flood */
  early: number;
  earlyWallS: number;
  /** share of the outage's residents who report a leak in the flat instead (dispatched as usual) */
  outageLeakShare: number;
  /** share of the outage's residents who urge once filed ("怎么还没来热") */
  outageUrgeShare: number;
  /** share who write more on their report ("家里有老人") */
  outageFollowUpShare: number;
  /** share who answer 暖气恢复了吗 with 还不热 (the rest 恢复了) */
  stillColdShare: number;
}

export const DEFAULTS: SimOptions = {
  residents: 20,
  durationS: 20,
  failSlack: 0,
  failTelegram: 0,
  killAt: null,
  killAnywhere: false,
  kills: 1,
  seed: 1,
  keep: false,
  leakShare: 0.1,
  unhappyShare: 0.1,
  followUpShare: 0.3,
  urgeShare: 0.2,
  staffReplyShare: 0.3,
  concurrency: 50,
  drainTimeoutS: 3600,
  outboxMaxBackoffMs: 1000,
  outboxMaxAttempts: 50,
  logLevel: 'warn',
  progress: true,
  outage: null,
  outageResidents: 2000,
  outageMinutes: 30,
  outageWallS: 90,
  declareAfter: 100,
  early: 12,
  earlyWallS: 70,
  outageLeakShare: 0.005,
  outageUrgeShare: 0.1,
  outageFollowUpShare: 0.05,
  stillColdShare: 0.005,
};

/** With --outage the ordinary residents are fewer and spread over the outage's wall time, unless given. */
export const OUTAGE_ORDINARY = { residents: 40 };

export const USAGE = `npm run simulate -- [options]

  --residents N        residents who bind, report and rate (default ${DEFAULTS.residents})
  --duration S         seconds over which they arrive (default ${DEFAULTS.durationS})
  --fail-slack F       share of Slack API calls answered 500 or 429 (0..1, default 0)
  --fail-telegram F    share of Telegram API calls answered 500 or 429 (0..1, default 0)
  --kill-at P          SIGKILL the service when P of the work is done (50% or 0.5), then restart it
  --kill-anywhere      kill at once, even inside an outbox delivery (default: wait for a moment
                       no message is in delivery, at most 15 s; see docs/simulator.md)
  --kills N            with --kill-at P: kill N times, at P and then evenly over the rest of the
                       work (default 1), to count messages sent twice over many kills
  --seed N             repeatable residents, sentences and choices (default ${DEFAULTS.seed})
  --keep               keep the temporary directory (database, service log)
  --leaks F            share of residents reporting a leak (default ${DEFAULTS.leakShare})
  --unhappy F          share answering 不满意 first (default ${DEFAULTS.unhappyShare})
  --followups F        share who write more on their open ticket and send a photo (default ${DEFAULTS.followUpShare})
  --urge F             share who urge once filed, "怎么还没人来" (default ${DEFAULTS.urgeShare})
  --staff-replies F    share whose ticket staff answer in the card's Slack thread (default ${DEFAULTS.staffReplyShare})
  --concurrency N      residents acting at once (default ${DEFAULTS.concurrency})
  --drain-timeout S    wait at most this long for the loop to finish after the last report
                       (default ${DEFAULTS.drainTimeoutS}; it stops earlier when nothing moved for 180 s)
  --max-backoff MS     the service's OUTBOX_MAX_BACKOFF_MS (default ${DEFAULTS.outboxMaxBackoffMs})
  --max-attempts N     the service's OUTBOX_MAX_ATTEMPTS (default ${DEFAULTS.outboxMaxAttempts})
  --database-url URL   use this database instead of a temporary SQLite file
  --log-level L        the service's LOG_LEVEL (default ${DEFAULTS.logLevel})
  --quiet              no progress lines

A cold snap (docs/simulator.md):
  --outage STATION     the station fails (e.g. HX-XI02 of config/demo-org.yaml): its communities'
                       residents write about no heat while ordinary reports go on elsewhere
                       (then --residents defaults to ${OUTAGE_ORDINARY.residents}, over the outage's wall time)
  --outage-residents N residents of the station who write (default ${DEFAULTS.outageResidents})
  --outage-minutes M   the minutes they write within (default ${DEFAULTS.outageMinutes})
  --outage-wall S      wall-clock seconds those minutes are played in (default ${DEFAULTS.outageWallS})
  --early N            the first N households write over --early-wall S seconds at the service's
                       own pace, its proposal sweep running once a real minute (default ${DEFAULTS.early}
                       over ${DEFAULTS.earlyWallS} s); the flood follows
  --early-wall S       (see --early)
  --declare-after N    with no automatic proposal after N reports from the station, staff declare
                       by /incident (default ${DEFAULTS.declareAfter})
  --outage-leaks F     share of them reporting a leak in the flat instead (default ${DEFAULTS.outageLeakShare})
  --outage-urge F      share urging once filed (default ${DEFAULTS.outageUrgeShare})
  --outage-followups F share writing more on their report (default ${DEFAULTS.outageFollowUpShare})
  --still-cold F       share answering 还不热 when heat is back (default ${DEFAULTS.stillColdShare})`;

export class UsageError extends Error {}

function share(name: string, raw: string): number {
  const v = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new UsageError(`--${name} must be a share between 0 and 1 (or a percentage), got "${raw}"`);
  return v;
}

function count(name: string, raw: string, min = 1): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  return v;
}

/** Reads `--name value` and `--name=value`; unknown options are refused. */
export function parseSimArgs(argv: string[], base: SimOptions = DEFAULTS): SimOptions {
  const o: SimOptions = { ...base };
  const flags = new Set(['keep', 'quiet', 'help', 'kill-anywhere']);
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (value === undefined && !flags.has(name)) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    const v = value ?? '';
    given.add(name);
    switch (name) {
      case 'residents':
        o.residents = count(name, v);
        break;
      case 'duration':
        o.durationS = Number(v);
        if (!Number.isFinite(o.durationS) || o.durationS < 0) throw new UsageError(`--duration must be seconds >= 0, got "${v}"`);
        break;
      case 'fail-slack':
        o.failSlack = share(name, v);
        break;
      case 'fail-telegram':
        o.failTelegram = share(name, v);
        break;
      case 'kill-at':
        o.killAt = share(name, v);
        break;
      case 'kills':
        o.kills = count(name, v);
        break;
      case 'seed':
        o.seed = count(name, v, 0);
        break;
      case 'leaks':
        o.leakShare = share(name, v);
        break;
      case 'unhappy':
        o.unhappyShare = share(name, v);
        break;
      case 'followups':
        o.followUpShare = share(name, v);
        break;
      case 'urge':
        o.urgeShare = share(name, v);
        break;
      case 'staff-replies':
        o.staffReplyShare = share(name, v);
        break;
      case 'concurrency':
        o.concurrency = count(name, v);
        break;
      case 'drain-timeout':
        o.drainTimeoutS = count(name, v);
        break;
      case 'max-backoff':
        o.outboxMaxBackoffMs = count(name, v);
        break;
      case 'max-attempts':
        o.outboxMaxAttempts = count(name, v);
        break;
      case 'database-url':
        o.databaseUrl = v;
        break;
      case 'log-level':
        o.logLevel = v;
        break;
      case 'keep':
        o.keep = true;
        break;
      case 'kill-anywhere':
        o.killAnywhere = true;
        break;
      case 'quiet':
        o.progress = false;
        break;
      case 'outage':
        if (!/^[A-Za-z0-9_-]+$/.test(v)) throw new UsageError(`--outage needs a station id, got "${v}"`);
        o.outage = v;
        break;
      case 'outage-residents':
        o.outageResidents = count(name, v);
        break;
      case 'outage-minutes':
        o.outageMinutes = count(name, v);
        break;
      case 'outage-wall':
        o.outageWallS = count(name, v);
        break;
      case 'early':
        o.early = count(name, v, 0);
        break;
      case 'early-wall':
        o.earlyWallS = count(name, v, 0);
        break;
      case 'declare-after':
        o.declareAfter = count(name, v);
        break;
      case 'outage-leaks':
        o.outageLeakShare = share(name, v);
        break;
      case 'outage-urge':
        o.outageUrgeShare = share(name, v);
        break;
      case 'outage-followups':
        o.outageFollowUpShare = share(name, v);
        break;
      case 'still-cold':
        o.stillColdShare = share(name, v);
        break;
      case 'help':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option --${name}`);
    }
  }
  if (o.outage) {
    if (!given.has('residents')) o.residents = OUTAGE_ORDINARY.residents;
    if (!given.has('duration')) o.durationS = o.earlyWallS + o.outageWallS;
  }
  return o;
}
