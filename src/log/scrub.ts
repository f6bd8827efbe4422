/**
 * The last line of defence for logs, applied to every line the service writes (pino's streamWrite
 * hook, on top of the header redaction):
 * - every secret the settings hold never reaches the output, wherever it was kept (the environment,
 *   the generated token in data/api-token, an API client's variable): the scrubber is handed the
 *   values themselves, from the settings as read, not names of environment variables;
 * - token-like query parameters (`?token=`, `access_token`, `code`, `signature`, ...) are redacted
 *   in any URL, so a credential passed in a query string is not kept in the request log line;
 * - residents' mobile numbers are masked (152****1590) where a phone number can be: in text (a
 *   string value: a message, a URL, an error) and in numbers under phone fields. Numbers elsewhere
 *   (update_id, message ids, chat ids, timestamps) and strings under id and time fields are left
 *   alone: an 11-digit Telegram id looks like a mobile number but says nothing about a person.
 */

/** Mainland mobile numbers, not inside a longer run of digits. */
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const HAS_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const maskMobiles = (s: string) => s.replace(MOBILE, '$1****$3');

/** Fields whose numbers are phone numbers. */
const PHONE_KEY = /(phone|mobile|^tel$|telephone)/i;
/** Fields whose values are ids or times, never a person's number: `id`, `update_id`, `chatId`, `ts`, `createdAt`. */
const ID_KEY = /(^|_)(id|ids|ts|pid|time|date)$|(Id|Ids|Ts|At|Time|Date)$/;

/** A query parameter whose name says it carries a credential. */
const QUERY_SECRET = /([?&;][\w.-]*(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|signature|sig|code|auth|session)[\w.-]*=)([^&#\s"\\]+)/gi;

/** The settings' keys that hold a secret: `apiToken`, `botToken`, `signingSecret`, `webhookSecret`, `clientSecret`, `password`. */
const SECRET_KEY = /(token|secret|password|passphrase)$/i;
/** Shorter values are words, not secrets (and would redact every "file" or "env" in the log). */
const MIN_SECRET = 6;

/**
 * Every secret a settings object holds, at any depth: strings under keys that name a token, secret
 * or password, and the password of any URL with one (a PostgreSQL connection string).
 */
export function secretsIn(settings: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, key: string): void => {
    if (typeof x === 'string') {
      if (SECRET_KEY.test(key)) out.push(x);
      const pw = urlPassword(x);
      if (pw) out.push(pw);
    } else if (Array.isArray(x)) for (const v of x) walk(v, key);
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, k);
  };
  walk(settings, '');
  return out;
}

function urlPassword(s: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(s)) return null;
  try {
    const pw = new URL(s).password;
    return pw ? decodeURIComponent(pw) : null;
  } catch {
    return null;
  }
}

/** A JSON string literal (with the colon after it when it is a key) or a JSON number. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"(\s*:)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Masks mobile numbers in a pino JSON line by what each value is: in string values unless the
 * field is an id or a time, in numbers only under phone fields (written back as a string, so the
 * line stays JSON). Keys are kept as they are.
 */
function maskJson(line: string): string {
  let key = '';
  return line.replace(JSON_TOKEN, (tok: string, colon: string | undefined) => {
    if (tok.startsWith('"')) {
      if (colon) {
        key = tok.slice(1, tok.lastIndexOf('"'));
        return tok;
      }
      return ID_KEY.test(key) ? tok : maskMobiles(tok);
    }
    return PHONE_KEY.test(key) && HAS_MOBILE.test(tok) ? `"${maskMobiles(tok)}"` : tok;
  });
}

/**
 * The scrubber every logger of the process shares. Secrets are added as they become known (the
 * settings once read, the API clients once the organisation file is loaded); a line written
 * before that cannot hold them, since reading the settings never logs a value.
 */
export class LogScrubber {
  private secrets = new Set<string>();
  private secretRe: RegExp | null = null;

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  add(secrets: Iterable<string>): this {
    for (const s of secrets) if (s && s.length >= MIN_SECRET) this.secrets.add(s);
    // longest first, so a secret that contains another is hidden whole
    const escaped = [...this.secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.secretRe = escaped.length ? new RegExp(escaped.join('|'), 'g') : null;
    return this;
  }

  /** One line as it may be written. */
  readonly scrub = (line: string): string => {
    let out = this.secretRe ? line.replace(this.secretRe, '[redacted]') : line;
    out = out.replace(QUERY_SECRET, '$1[redacted]');
    return out.trimStart().startsWith('{') ? maskJson(out) : maskMobiles(out);
  };
}
