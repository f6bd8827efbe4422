/**
 * The customer register from CSV (account,name,phone,address,community,building,unit,room,area_m2).
 * Good rows are stored (new accounts created, known ones updated); each bad row is reported
 * with its line and the reason, and stores nothing. A file without the header is refused whole.
 */
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { CustomerFields } from '../ports/customer-store.js';

export const CUSTOMER_COLUMNS = ['account', 'name', 'phone', 'address', 'community', 'building', 'unit', 'room', 'area_m2'] as const;

export interface RowError {
  line: number;
  account?: string;
  code: 'missing_field' | 'bad_account' | 'bad_phone' | 'unknown_community' | 'bad_area' | 'duplicate_in_file' | 'too_long';
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** rows refused (all of them, even past the listed errors) */
  refused: number;
  /** the first MAX_LISTED_ERRORS refused rows with their line and reason */
  errors: RowError[];
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const ACCOUNT = /^[A-Za-z0-9-]{4,20}$/;

/** At most this many row errors are listed in full (the count is always exact). */
export const MAX_LISTED_ERRORS = 1000;

/**
 * Rows written per transaction. Residents' reports wait for the database while a chunk is
 * written (on SQLite the one connection, and the event loop too: its statements are
 * synchronous), so a chunk must stay short however long the register is: 250 rows are about
 * 2 ms of CPU. Smaller chunks shorten SQLite's waits a little more but make PostgreSQL's import
 * much slower (a round trip per chunk); the figures are in bench/results/import-*.txt.
 */
export const CHUNK_ROWS = 250;

/**
 * Rows read and checked between two turns of the event loop. A socket delivers 64 KB at a time
 * (about 700 rows), and the rows it holds are read without a turn in between: without this
 * yield, one read plus its writes held the loop for tens of milliseconds.
 */
const ROWS_PER_TURN = 50;

/**
 * The longest record the parser holds: a legal row is nine fields of at most 200 characters.
 * Without a bound, one unclosed quote would make the parser keep the rest of the file as a
 * single field.
 */
const MAX_RECORD_BYTES = 16 * 1024;

/** What the parser says of each record's place in the file. */
interface LineInfo {
  /** the line the record ends on */
  lines: number;
  /** empty lines skipped so far */
  empty_lines: number;
}

export interface ImportOptions {
  /**
   * Told after each chunk is stored, with the totals so far: an import is stored row by row,
   * so a caller whose source stops half-way (a body over its limit) can say what was kept.
   */
  onStored?: (stored: { created: number; updated: number }) => void;
}

/**
 * Streams the file: rows are checked and written a chunk at a time, so a register of hundreds of
 * thousands of customers imports in constant memory, and a stream source is read only as fast
 * as the chunks are stored (backpressure).
 *
 * Only what is wrong with the file becomes `csv_invalid`. Anything else (the database failing,
 * the source breaking off) is thrown as it came, after the chunks before it were stored.
 */
export async function importCustomers(core: Core, csv: string | Buffer | Readable, opts: ImportOptions = {}): Promise<ImportResult> {
  const source = typeof csv === 'string' || Buffer.isBuffer(csv) ? Readable.from([csv]) : csv;
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, max_record_size: MAX_RECORD_BYTES, info: true });
  // pipeline, not pipe: an error of the source reaches the loop below instead of leaving it waiting
  pipeline(source, parser, () => {});
  const errors: RowError[] = [];
  let refused = 0;
  const seen = new Set<string>();
  let col: Record<(typeof CUSTOMER_COLUMNS)[number], number> | null = null;
  // where the last record ended, and the empty lines skipped up to it: a record starts on the
  // line after, past the empty ones (a quoted value may span lines)
  let ended = 0;
  let empties = 0;
  const startLine = (info: LineInfo) => ended + 1 + (info.empty_lines - empties);
  let chunk: CustomerFields[] = [];
  let created = 0;
  let updated = 0;
  let read = 0;
  const flush = async () => {
    const part = chunk;
    chunk = [];
    const r = await writeChunk(core, part);
    created += r.created;
    updated += r.updated;
    opts.onStored?.({ created, updated });
  };
  try {
    for await (const { record: r, info } of parser as AsyncIterable<{ record: string[]; info: LineInfo }>) {
      if (++read % ROWS_PER_TURN === 0) await nextTurn();
      const line = startLine(info);
      [ended, empties] = [info.lines, info.empty_lines];
      if (!col) {
        const header = r.map((h) => h.toLowerCase());
        const missing = CUSTOMER_COLUMNS.filter((c) => !header.includes(c));
        if (missing.length) throw new AppError('csv_invalid', `the header lacks ${missing.join(', ')}`, { missing });
        col = Object.fromEntries(CUSTOMER_COLUMNS.map((c) => [c, header.indexOf(c)])) as NonNullable<typeof col>;
        continue;
      }
      const c = col;
      const get = (k: (typeof CUSTOMER_COLUMNS)[number]) => (r[c[k]] ?? '').trim();
      const problem = checkRow(core, r, get, seen);
      if (problem) {
        refused++;
        if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, account: get('account') || undefined, ...problem });
        continue;
      }
      seen.add(get('account'));
      chunk.push(toRow(get, core.org.findCommunity(get('community'))!.id));
      if (chunk.length >= CHUNK_ROWS) await flush();
    }
  } catch (e) {
    if (e instanceof CsvError) {
      // the record that could not be read, from its first line (the parser stops further on)
      const at = startLine({ lines: 0, empty_lines: typeof e.empty_lines === 'number' ? e.empty_lines : empties });
      throw new AppError('csv_invalid', `not readable as CSV from line ${at}: ${csvProblem(e)}`, { line: at });
    }
    throw e;
  } finally {
    parser.destroy();
  }
  if (!col) throw new AppError('csv_invalid', `the header lacks ${CUSTOMER_COLUMNS.join(', ')}`, { missing: CUSTOMER_COLUMNS });
  if (chunk.length) await flush();
  return { created, updated, errors, refused };
}

/** The parser's finding in words of our own: its messages quote the file and name its internals. */
function csvProblem(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is not closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_BYTES / 1024} KB (an unclosed quote?)`;
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a quote in the wrong place (quote a whole value, and double a quote inside it)';
    default:
      return 'the row cannot be split into values';
  }
}

function checkRow(
  core: Core,
  r: string[],
  get: (c: (typeof CUSTOMER_COLUMNS)[number]) => string,
  seen: Set<string>,
): Omit<RowError, 'line' | 'account'> | null {
  for (const f of ['account', 'name', 'phone', 'address', 'community'] as const) {
    if (!get(f)) return { code: 'missing_field', field: f, message: `${f} is empty` };
  }
  if (r.some((v) => v.length > 200)) return { code: 'too_long', field: '', message: 'a value is longer than 200 characters' };
  if (!ACCOUNT.test(get('account'))) return { code: 'bad_account', field: 'account', message: 'account must be 4-20 letters, digits or dashes' };
  if (!PHONE.test(get('phone').replace(/\s/g, ''))) return { code: 'bad_phone', field: 'phone', message: 'not a mobile or landline number' };
  if (!core.org.findCommunity(get('community')))
    return { code: 'unknown_community', field: 'community', message: `community "${get('community')}" is not in the organisation config` };
  const area = get('area_m2');
  if (area && !(Number(area) > 0 && Number(area) < 10_000))
    return { code: 'bad_area', field: 'area_m2', message: 'area must be a positive number of square metres' };
  if (seen.has(get('account'))) return { code: 'duplicate_in_file', field: 'account', message: 'this account appears earlier in the file' };
  return null;
}

/** One chunk in one transaction; then the others waiting for the database go first. */
async function writeChunk(core: Core, rows: CustomerFields[]): Promise<{ created: number; updated: number }> {
  const r = await core.stores.customers.upsertByAccount(rows, core.clock.now());
  await nextTurn();
  return r;
}

/** Lets the event loop take what came in meanwhile (a resident's update) before going on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function toRow(get: (c: (typeof CUSTOMER_COLUMNS)[number]) => string, communityId: string): CustomerFields {
  const area = get('area_m2');
  return {
    account: get('account'),
    name: get('name'),
    phone: get('phone').replace(/\s/g, ''),
    address: get('address'),
    communityId,
    building: get('building') || null,
    unit: get('unit') || null,
    room: get('room') || null,
    areaM2: area ? Number(area) : null,
  };
}
