/**
 * Training sessions from CSV (R23/R24): date,topic,trainer,staff_id[,branch,note], one line per
 * attendee; the lines of one date, topic, trainer and branch make one session. Each bad line is
 * reported with its line number and a code and stores nothing; the good lines are stored, each
 * session's in one transaction. A line whose attendee the session has already (earlier in the
 * file, or stored before) is a duplicate. A file without the header is refused whole.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { TrainingTopic } from '../model.js';
import { TRAINER_MAX, NOTE_MAX } from './record-session.js';
import { isFutureDate, isTrainingTopic, readTrainingDate } from './training-dates.js';

export const TRAINING_COLUMNS = ['date', 'topic', 'trainer', 'staff_id'] as const;
export const TRAINING_OPTIONAL_COLUMNS = ['branch', 'note'] as const;
type Column = (typeof TRAINING_COLUMNS)[number] | (typeof TRAINING_OPTIONAL_COLUMNS)[number];

export type TrainingRowCode =
  | 'missing_field'
  | 'malformed_date'
  | 'date_in_future'
  | 'unknown_topic'
  | 'unknown_staff'
  | 'unknown_branch'
  | 'too_long'
  | 'duplicate_row';

export interface TrainingRowError {
  line: number;
  code: TrainingRowCode;
  message: string;
}

export interface TrainingImportResult {
  /** attendance lines stored */
  imported: number;
  /** sessions those lines went to (new ones and ones stored before) */
  sessions: number;
  /** sessions created by this file */
  created: number;
  errors: TrainingRowError[];
}

/** The most lines one file may hold: a year of a company's sessions is a few thousand. */
export const MAX_TRAINING_LINES = 20_000;

interface GoodLine {
  line: number;
  staffId: string;
  note: string;
}

interface Group {
  key: { topic: TrainingTopic; date: string; year: number; trainer: string; branchId: string };
  lines: GoodLine[];
}

export async function importTrainingSessions(core: Core, csv: string | Buffer, actor: string): Promise<TrainingImportResult> {
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    // with info: true the parser gives each record with where it ends (its types describe the plain records only)
    records = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      max_record_size: 16 * 1024,
    }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) throw new AppError('csv_invalid', `not readable as CSV near line ${e.lines ?? '?'}`, { line: e.lines });
    throw e;
  }
  const header = records[0]?.record.map((h) => h.toLowerCase());
  const missing = TRAINING_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length) throw new AppError('csv_invalid', `the header lacks ${missing.join(', ')}`, { missing });
  if (records.length - 1 > MAX_TRAINING_LINES)
    throw new AppError('csv_invalid', `at most ${MAX_TRAINING_LINES} lines in one file`, { lines: records.length - 1 });
  const col = (c: Column) => header.indexOf(c);
  const errors: TrainingRowError[] = [];
  const groups = new Map<string, Group>();
  const seen = new Set<string>();
  const now = core.clock.now();
  // a record starts on the line after the previous one ended, past the empty lines between
  let ended = records[0].info.lines;
  let empties = records[0].info.empty_lines;
  for (const { record: r, info } of records.slice(1)) {
    const line = ended + 1 + (info.empty_lines - empties);
    [ended, empties] = [info.lines, info.empty_lines];
    const get = (c: Column) => (col(c) >= 0 ? (r[col(c)] ?? '').trim() : '');
    const fail = (code: TrainingRowCode, message: string) => errors.push({ line, code, message });
    const empty = TRAINING_COLUMNS.find((c) => !get(c));
    if (empty) {
      fail('missing_field', `${empty} is empty`);
      continue;
    }
    const day = readTrainingDate(get('date'));
    if (!day) {
      fail('malformed_date', `date "${get('date')}" is not a day written YYYY-MM-DD`);
      continue;
    }
    if (isFutureDate(day.date, now)) {
      fail('date_in_future', `${day.date} has not come yet`);
      continue;
    }
    const topic = get('topic');
    if (!isTrainingTopic(topic)) {
      fail('unknown_topic', `topic "${topic}" is not one of the measures' topics`);
      continue;
    }
    const staffId = get('staff_id');
    if (!core.org.staff.has(staffId)) {
      fail('unknown_staff', `staff id "${staffId}" is not in the organisation file`);
      continue;
    }
    const branchId = get('branch');
    if (branchId && !core.org.branches.has(branchId)) {
      fail('unknown_branch', `branch "${branchId}" is not in the organisation file`);
      continue;
    }
    const trainer = get('trainer');
    if (trainer.length > TRAINER_MAX || get('note').length > NOTE_MAX) {
      fail('too_long', `trainer at most ${TRAINER_MAX} characters, note at most ${NOTE_MAX}`);
      continue;
    }
    const key = JSON.stringify([day.date, topic, trainer, branchId]);
    if (seen.has(`${key}|${staffId}`)) {
      fail('duplicate_row', `${staffId} is listed earlier in the file for the same session`);
      continue;
    }
    seen.add(`${key}|${staffId}`);
    const g = groups.get(key) ?? { key: { topic, date: day.date, year: day.year, trainer, branchId }, lines: [] };
    g.lines.push({ line, staffId, note: get('note') });
    groups.set(key, g);
  }
  let imported = 0;
  let created = 0;
  let sessions = 0;
  for (const g of groups.values()) {
    const note = g.lines.find((l) => l.note)?.note || null;
    const r = await core.stores.training.recordSession(
      { ...g.key, note, createdBy: actor, createdAt: now },
      g.lines.map((l) => l.staffId),
    );
    const already = new Set(r.already);
    for (const l of g.lines)
      if (already.has(l.staffId)) errors.push({ line: l.line, code: 'duplicate_row', message: `${l.staffId} is already recorded for this session` });
    imported += r.added.length;
    if (r.added.length) sessions++;
    if (r.created) created++;
  }
  errors.sort((a, b) => a.line - b.line);
  return { imported, sessions, created, errors };
}
