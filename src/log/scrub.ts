/**
 * The last line of defence for logs: whatever a log line holds, secrets from the environment
 * and residents' full mobile numbers never reach the output. Applied to every line the
 * service writes (pino's streamWrite hook), on top of the header redaction.
 */
const SECRET_ENV = ['API_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DATABASE_URL'];

/** Mainland mobile numbers, not inside a longer run of digits (ids, timestamps). */
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

export function secretsFrom(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const name of SECRET_ENV) {
    const v = env[name];
    if (!v || v.length < 6) continue;
    if (name === 'DATABASE_URL') {
      // only the password part of a connection string is secret
      try {
        const pw = new URL(v).password;
        if (pw) out.push(decodeURIComponent(pw));
      } catch {
        /* not a URL: nothing to hide */
      }
    } else out.push(v);
  }
  return out;
}

export function scrubber(secrets: string[]): (line: string) => string {
  const escaped = secrets.filter(Boolean).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const secretRe = escaped.length ? new RegExp(escaped.join('|'), 'g') : null;
  return (line) => {
    let out = secretRe ? line.replace(secretRe, '[redacted]') : line;
    out = out.replace(MOBILE, '$1****$3');
    return out;
  };
}
