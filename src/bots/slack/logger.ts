/**
 * The service logs with pino (obj, msg); Bolt and its Web API client want @slack/logger's
 * Logger. This adapts one to the other, so Slack's library messages land in the service log
 * (and stay silent in tests, which pass no log).
 */
import { LogLevel, type Logger } from '@slack/bolt';

/** What the Slack app logs through: pino, Fastify's logger, or nothing. */
export interface SlackLog {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLog: SlackLog = { info() {}, warn() {}, error() {} };

export function boltLogger(log: SlackLog = silentLog): Logger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'slack';
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    debug: (...args: unknown[]) => {
      if (level === LogLevel.DEBUG) log.debug?.({ lib: name }, text(args));
    },
    info: (...args: unknown[]) => {
      if (level === LogLevel.DEBUG || level === LogLevel.INFO) log.info({ lib: name }, text(args));
    },
    warn: (...args: unknown[]) => {
      if (level !== LogLevel.ERROR) log.warn({ lib: name }, text(args));
    },
    error: (...args: unknown[]) => log.error({ lib: name }, text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
