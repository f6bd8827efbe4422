import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../errors.js';
import { looserBranchRules } from './branch-limits.js';
import { orgFileSchema } from './config-schema.js';
import { rosterIssues, rosterOf } from '../duty/roster-config.js';
import { OPERATOR_CLIENT, type ApiClient, type Branch, type OrgConfig, type PriceItem, type TimeLimitRule } from './types.js';

type Raw = any; // the file after schema validation; shapes are checked by orgFileSchema

const ajv = new Ajv({ allErrors: true, strict: false });
const validateFile = ajv.compile(orgFileSchema);

/** A config problem at one place in the file. */
export interface ConfigIssue {
  path: string;
  message: string;
  /** a stable code for problems a program may tell apart (duty_shift_overlap, ...) */
  code?: string;
}

/** Reads, validates and normalises the organisation file. Throws org_config_invalid naming file, path and problem. */
export function loadOrgFile(file: string): OrgConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(file, [{ path: '', message: `cannot read the file (${(e as NodeJS.ErrnoException).code})` }]);
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw invalid(file, [{ path: '', message: `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}` }]);
  }
  return parseOrg(raw, file);
}

/** Validates an already-parsed organisation document. */
export function parseOrg(raw: unknown, file = '<inline>'): OrgConfig {
  if (!validateFile(raw)) throw invalid(file, (validateFile.errors ?? []).map(fromAjv));
  const issues = crossCheck(raw as Raw);
  if (issues.length) throw invalid(file, issues);
  const config = normalise(raw as Raw);
  // 九: a branch writes its rules under the company's; the file that loosens one is refused
  const looser = looserBranchRules(config);
  if (looser.length) throw invalid(file, looser);
  return config;
}

function invalid(file: string, issues: ConfigIssue[]): AppError {
  const lines = issues.slice(0, 20).map((i) => `  ${file}: ${i.path || '(top)'}: ${i.code ? `[${i.code}] ` : ''}${i.message}`);
  return new AppError('org_config_invalid', `organisation config is invalid:\n${lines.join('\n')}`, { file, issues });
}

function fromAjv(e: ErrorObject): ConfigIssue {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
  if (e.keyword === 'additionalProperties') return { path, message: `unknown field "${e.params.additionalProperty}"` };
  if (e.keyword === 'required') return { path, message: `missing field "${e.params.missingProperty}"` };
  if (e.keyword === 'enum') return { path, message: `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
  return { path, message: e.message ?? e.keyword };
}

function crossCheck(raw: Raw): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const dup = (list: { id: string }[], where: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) issues.push({ path: `${where}[${i}].id`, message: `duplicate id "${x.id}"` });
      seen.add(x.id);
    });
  };
  dup(raw.branches, 'branches');
  dup(raw.communities, 'communities');
  dup(raw.staff, 'staff');
  const branchIds = new Set<string>(raw.branches.map((b: Raw) => b.id));
  const unitIds = new Map<string, string>();
  raw.branches.forEach((b: Raw, bi: number) => {
    b.units.forEach((u: Raw, ui: number) => {
      if (unitIds.has(u.id)) issues.push({ path: `branches[${bi}].units[${ui}].id`, message: `duplicate unit id "${u.id}"` });
      unitIds.set(u.id, b.id);
    });
    const kinds = new Set(b.units.map((u: Raw) => u.kind));
    const needed = new Set<string>(['service_office', ...Object.values((b.routing ?? {}) as Record<string, string>)]);
    for (const k of needed) {
      if (!kinds.has(k)) issues.push({ path: `branches[${bi}].units`, message: `has no unit of kind "${k}" (needed for routing)` });
    }
  });
  const names = new Map<string, string>();
  raw.communities.forEach((c: Raw, i: number) => {
    if (!branchIds.has(c.branch)) issues.push({ path: `communities[${i}].branch`, message: `unknown branch "${c.branch}"` });
    for (const n of [c.name, ...(c.aliases ?? [])]) {
      const other = names.get(n);
      if (other && other !== c.id) issues.push({ path: `communities[${i}]`, message: `name or alias "${n}" is also used by community "${other}"` });
      names.set(n, c.id);
    }
  });
  raw.staff.forEach((s: Raw, i: number) => {
    if (s.branch != null && !branchIds.has(s.branch)) issues.push({ path: `staff[${i}].branch`, message: `unknown branch "${s.branch}"` });
    if (s.unit != null && unitIds.get(s.unit) !== s.branch)
      issues.push({ path: `staff[${i}].unit`, message: `unit "${s.unit}" is not a unit of branch "${s.branch}"` });
  });
  issues.push(...apiClientIssues(raw.apiClients ?? []));
  issues.push(...rosterIssues(raw));
  const slackIds = new Map<string, number>();
  raw.staff.forEach((s: Raw, i: number) => {
    if (!s.slack) return;
    if (slackIds.has(s.slack)) issues.push({ path: `staff[${i}].slack`, message: `Slack user "${s.slack}" is also staff[${slackIds.get(s.slack)}]` });
    slackIds.set(s.slack, i);
  });
  return issues;
}

/** Each API client: an id of its own, and exactly one place its token is known by. */
function apiClientIssues(clients: Raw[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ids = new Map<string, number>();
  const hashes = new Map<string, number>();
  clients.forEach((c, i) => {
    const at = `apiClients[${i}]`;
    if (c.id === OPERATOR_CLIENT) issues.push({ path: `${at}.id`, message: `"${OPERATOR_CLIENT}" is the client of API_TOKEN; choose another id` });
    if (ids.has(c.id)) issues.push({ path: `${at}.id`, message: `duplicate id "${c.id}" (also apiClients[${ids.get(c.id)}])` });
    ids.set(c.id, i);
    if (c.tokenEnv === undefined && c.tokenSha256 === undefined) {
      issues.push({ path: at, message: "needs tokenEnv (the variable holding its token) or tokenSha256 (the token's SHA-256 in hex)" });
    }
    if (c.tokenEnv !== undefined && c.tokenSha256 !== undefined) issues.push({ path: at, message: 'has both tokenEnv and tokenSha256; keep one' });
    if (c.tokenSha256 !== undefined) {
      const h = c.tokenSha256.toLowerCase();
      if (hashes.has(h)) issues.push({ path: `${at}.tokenSha256`, message: `the same token as apiClients[${hashes.get(h)}]` });
      hashes.set(h, i);
    }
  });
  return issues;
}

function apiClient(c: Raw): ApiClient {
  return {
    id: c.id,
    name: c.name ?? c.id,
    scopes: [...c.scopes],
    token: c.tokenEnv !== undefined ? { env: c.tokenEnv } : { sha256: c.tokenSha256.toLowerCase() },
    ...(c.webhook ? { webhook: { url: c.webhook.url, secretEnv: c.webhook.secretEnv } } : {}),
  };
}

/**
 * "15m" | "1h" | "2d" | minutes → minutes. A day is 24 hours, except on the office calendar,
 * where "2d" means two working days (dayMinutes: the length of the office day).
 */
export function durationMinutes(v: string | number | undefined, dayMinutes = 1440): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)$/.exec(v)!;
  const n = Number(m[1]);
  return Math.round(m[2] === 'd' ? n * dayMinutes : m[2] === 'h' ? n * 60 : n);
}

/** The length of an office day in minutes ("2d" on the office calendar is two of them). */
function officeDayMinutes(hours: Raw): number {
  const [sh, sm] = (hours?.start ?? '08:30').split(':').map(Number);
  const [eh, em] = (hours?.end ?? '17:30').split(':').map(Number);
  return eh * 60 + em - (sh * 60 + sm);
}

/**
 * A branch as the file gives it. Its own rules under the company's (九): time-limit rows, whose
 * office days are the branch's own when it keeps other office hours, and the basic labour fee,
 * office hours and escalation delays, absent where the branch follows the company.
 */
function branch(b: Raw, companyOfficeDay: number): Branch {
  const esc = b.escalation;
  const delays: Branch['escalation'] = esc && {
    ...(esc.warnLead !== undefined ? { warnLeadMinutes: durationMinutes(esc.warnLead) } : {}),
    ...(esc.secondLevelAfter !== undefined ? { secondLevelAfterMinutes: durationMinutes(esc.secondLevelAfter) } : {}),
    ...(esc.thirdLevelAfter !== undefined ? { thirdLevelAfterMinutes: durationMinutes(esc.thirdLevelAfter) } : {}),
  };
  const officeDay = b.officeHours ? officeDayMinutes(b.officeHours) : companyOfficeDay;
  return {
    id: b.id,
    name: b.name,
    nameEn: b.nameEn,
    channels: b.channels ?? {},
    units: b.units.map((u: Raw) => ({ ...u })),
    routing: b.routing ?? {},
    timeLimits: (b.timeLimits ?? []).map((r: Raw) => rule(r, officeDay)),
    prices: (b.prices ?? []).map(price),
    ...(b.basicLabourFee !== undefined ? { basicLabourFeeCents: Math.round(b.basicLabourFee * 100) } : {}),
    ...(b.officeHours ? { officeHours: { days: [...b.officeHours.days], start: b.officeHours.start, end: b.officeHours.end } } : {}),
    ...(delays ? { escalation: delays } : {}),
  };
}

function rule(r: Raw, officeDay: number): TimeLimitRule {
  const calendar = r.calendar ?? 'wall';
  const day = calendar === 'office' ? officeDay : 1440;
  return {
    match: { ...r.match },
    ack: durationMinutes(r.ack, day),
    arrive: durationMinutes(r.arrive, day),
    resolve: durationMinutes(r.resolve, day),
    // a callback is a phone call or a bot question: its limit runs on the wall clock
    callback: durationMinutes(r.callback),
    calendar,
  };
}

function price(p: Raw): PriceItem {
  return { id: p.id, category: p.category, name: p.name, nameEn: p.nameEn, unit: p.unit, priceCents: Math.round(p.price * 100) };
}

function normalise(raw: Raw): OrgConfig {
  const esc = raw.escalation ?? {};
  const officeDay = officeDayMinutes(raw.officeHours);
  return {
    company: {
      name: raw.company.name,
      nameEn: raw.company.nameEn,
      hotline: raw.company.hotline,
      emergencyHotline: raw.company.emergencyHotline,
      heatingSeason: raw.company.heatingSeason ?? { start: '10-15', end: '04-15' },
      basicLabourFeeCents: Math.round((raw.company.basicLabourFee ?? 30) * 100),
    },
    centre: { channels: raw.centre?.channels ?? {} },
    branches: raw.branches.map((b: Raw) => branch(b, officeDay)),
    communities: raw.communities.map((c: Raw) => ({
      id: c.id,
      name: c.name,
      aliases: c.aliases ?? [],
      branchId: c.branch,
      stations: c.stations ?? [],
      ...(typeof c.lat === 'number' && typeof c.lon === 'number' ? { lat: c.lat, lon: c.lon } : {}),
    })),
    staff: raw.staff.map((s: Raw) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      branchId: s.branch ?? null,
      unitId: s.unit,
      slackUserId: s.slack,
      phone: s.phone,
      onDuty: s.onDuty ?? false,
      ...(s.badge ? { badge: String(s.badge) } : {}),
    })),
    timeLimits: raw.timeLimits.map((r: Raw) => rule(r, officeDay)),
    officeHours: raw.officeHours ?? { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
    holidays: raw.holidays ?? [],
    workdays: raw.workdays ?? [],
    escalation: {
      warnLeadMinutes: durationMinutes(esc.warnLead) ?? 15,
      secondLevelAfterMinutes: durationMinutes(esc.secondLevelAfter) ?? 30,
      thirdLevelAfterMinutes: durationMinutes(esc.thirdLevelAfter) ?? 120,
      callbackBotTimeoutMinutes: durationMinutes(esc.callbackBotTimeout) ?? 24 * 60,
      warmCheckMinutes: durationMinutes(esc.warmCheck) ?? 120,
      callbackMaxAttempts: esc.callbackMaxAttempts ?? 3,
      callbackRetrySpacingMinutes: durationMinutes(esc.callbackRetrySpacing) ?? 120,
    },
    kpi: { repeatWithinMinutes: durationMinutes(raw.kpi?.repeatWithin) ?? 30 * 24 * 60 },
    quotes: { validForMinutes: durationMinutes(raw.quotes?.validFor) ?? 7 * 24 * 60 },
    open311: { serviceAreaKm: raw.open311?.serviceAreaKm ?? 5, publicReads: raw.open311?.publicReads ?? true },
    prices: (raw.prices ?? []).map(price),
    apiClients: (raw.apiClients ?? []).map(apiClient),
    incidents: {
      proposeAfter: raw.incidents?.proposeAfter ?? 5,
      windowMinutes: durationMinutes(raw.incidents?.window) ?? 30,
      // R27: a primary-network fault is repaired within 24 hours
      resolveWithinMinutes: durationMinutes(raw.incidents?.resolveWithin) ?? 24 * 60,
      phoneSample: raw.incidents?.phoneSample ?? 0.1,
    },
    duty: { shifts: rosterOf(raw) },
  };
}
