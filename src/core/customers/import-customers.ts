/**
 * The customer register from CSV (account,name,phone,address,community,building,unit,room,area_m2).
 * Good rows are stored (new accounts created, known ones updated); each bad row is reported
 * with its line and the reason, and stores nothing. A file without the header is refused whole.
 */
import { parse } from 'csv-parse/sync';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';

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
  errors: RowError[];
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const ACCOUNT = /^[A-Za-z0-9-]{4,20}$/;

export async function importCustomers(core: Core, csv: string | Buffer): Promise<ImportResult> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    throw new AppError('csv_invalid', `not readable as CSV: ${(e as Error).message}`, {});
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = CUSTOMER_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new AppError('csv_invalid', `the header lacks ${missing.join(', ')}`, { missing });
  const col = Object.fromEntries(CUSTOMER_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CUSTOMER_COLUMNS)[number], number>;

  const errors: RowError[] = [];
  const good: { line: number; data: ReturnType<typeof toRow> }[] = [];
  const seen = new Set<string>();
  records.slice(1).forEach((r, i) => {
    const line = i + 2;
    const get = (c: (typeof CUSTOMER_COLUMNS)[number]) => (r[col[c]] ?? '').trim();
    const err = (code: RowError['code'], field: string, message: string) => errors.push({ line, account: get('account') || undefined, code, field, message });
    for (const f of ['account', 'name', 'phone', 'address', 'community'] as const) {
      if (!get(f)) return err('missing_field', f, `${f} is empty`);
    }
    if (r.some((v) => v.length > 200)) return err('too_long', '', 'a value is longer than 200 characters');
    if (!ACCOUNT.test(get('account'))) return err('bad_account', 'account', 'account must be 4-20 letters, digits or dashes');
    if (!PHONE.test(get('phone').replace(/\s/g, ''))) return err('bad_phone', 'phone', 'not a mobile or landline number');
    const community = core.org.findCommunity(get('community'));
    if (!community) return err('unknown_community', 'community', `community "${get('community')}" is not in the organisation config`);
    const area = get('area_m2');
    if (area && !(Number(area) > 0 && Number(area) < 10_000)) return err('bad_area', 'area_m2', 'area must be a positive number of square metres');
    if (seen.has(get('account'))) return err('duplicate_in_file', 'account', 'this account appears earlier in the file');
    seen.add(get('account'));
    good.push({ line, data: toRow(get, community.id) });
  });

  let created = 0;
  let updated = 0;
  const CHUNK = 500;
  for (let i = 0; i < good.length; i += CHUNK) {
    const chunk = good.slice(i, i + CHUNK);
    await core.db.$transaction(async (tx) => {
      const existing = new Set(
        (await tx.customer.findMany({ where: { account: { in: chunk.map((g) => g.data.account) } }, select: { account: true } })).map((c) => c.account),
      );
      const fresh = chunk.filter((g) => !existing.has(g.data.account)).map((g) => g.data);
      if (fresh.length) await tx.customer.createMany({ data: fresh });
      for (const g of chunk) {
        if (existing.has(g.data.account)) await tx.customer.update({ where: { account: g.data.account }, data: g.data });
      }
      created += fresh.length;
      updated += chunk.length - fresh.length;
    });
  }
  return { created, updated, errors };
}

function toRow(get: (c: (typeof CUSTOMER_COLUMNS)[number]) => string, communityId: string) {
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
