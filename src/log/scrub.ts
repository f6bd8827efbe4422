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

/**
 * Mainland mobile numbers, not inside a longer run of digits: 13912345678, as residents also
 * write them (139 1234 5678, 139-1234-5678) and as Telegram shares a contact (+8613912345678).
 */
const MOBILE = /(?<![\d+])((?:(?:\+|00)?86[\s-]?)?1[3-9]\d)([\s-]?\d{4}[\s-]?)(\d{4})(?!\d)/g;
const HAS_MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/;
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

/** Characters of a JSON number after its first: digits, `.`, `e`, `E`, `+`, `-`. */
const NUMBER_CHAR = new Set([...'0123456789.eE+-'].map((ch) => ch.charCodeAt(0)));

/**
 * Masks mobile numbers in a pino JSON line by what each value is: in string values unless the
 * field is an id or a time, in numbers only under phone fields (written back as a string, so the
 * line stays JSON). Keys are kept as they are. One pass over the characters, tracking the last key.
 */
function maskJson(line: string): string {
  let out = '';
  let copied = 0;
  let key = '';
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < line.length && line.charCodeAt(j) !== 34) j += line.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      let k = j + 1;
      while (line.charCodeAt(k) === 32) k++;
      if (line.charCodeAt(k) === 58 /* : */) key = line.slice(i + 1, j);
      else if (j - i > 11 && !ID_KEY.test(key) && HAS_MOBILE.test(line.slice(i, j))) {
        out += line.slice(copied, i) + maskMobiles(line.slice(i, j + 1));
        copied = j + 1;
      }
      i = j + 1;
    } else if ((c >= 48 && c <= 57) || c === 45 /* - */) {
      let j = i + 1;
      while (j < line.length && NUMBER_CHAR.has(line.charCodeAt(j))) j++;
      const num = line.slice(i, j);
      if (num.length >= 11 && PHONE_KEY.test(key) && HAS_MOBILE.test(num)) {
        out += `${line.slice(copied, i)}"${maskMobiles(num)}"`;
        copied = j;
      }
      i = j;
    } else i++;
  }
  return out + line.slice(copied);
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
    // most lines hold no mobile-like number: skip reading the JSON (a test is ~20 times cheaper)
    if (!HAS_MOBILE.test(out)) return out;
    return out.trimStart().startsWith('{') ? maskJson(out) : maskMobiles(out);
  };
}
