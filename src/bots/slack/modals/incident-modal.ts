/**
 * /incident: declare an outage. Communities grouped by branch, the stations the organisation file
 * lists (a station brings the communities it serves), what failed, the cause residents will read,
 * the severity (major tells the leaders, R8k) and the expected restoration, typed as the company's
 * local time ("14:30", "tomorrow 08:00", "2026-12-07 14:30"). Also the update modal: a new expected
 * time, the cause, a note.
 */
import type { types } from '@slack/bolt';
import { zonedTimeToUtc, localParts } from '../../../core/local-time.js';
import { INCIDENT_SCOPES, type Incident, type IncidentScope } from '../../../core/model.js';
import type { Staff } from '../../../core/org/types.js';
import { option, plain, section, typed, type Block } from '../render/blocks.js';
import { branchName, tr, type RenderCtx } from '../render/names.js';
import { LOCALES, t } from '../../../i18n/index.js';
import { modal, radioInput, textInput } from './elements.js';
import { fieldValue, fieldValues, type ViewLike } from './view-state.js';

export const INCIDENT_VIEW = 'incident.declare_modal';
export const INCIDENT_UPDATE_VIEW = 'incident.update_modal';

/** Where the modal came from: the proposal's key and count, the channel and message tapped, the incident updated. */
export interface IncidentOrigin {
  p?: string;
  n?: number;
  ch?: string;
  ts?: string;
  i?: number;
}

export function incidentOrigin(view: ViewLike): IncidentOrigin {
  try {
    const o = view.private_metadata ? (JSON.parse(view.private_metadata) as IncidentOrigin) : {};
    return o && typeof o === 'object' && typed(o, ['p', 'ch', 'ts'], ['i']) && (o.n === undefined || Number.isSafeInteger(o.n)) ? o : {};
  } catch {
    return {};
  }
}

export interface IncidentPrefill {
  communityIds?: string[];
  stationIds?: string[];
  scope?: IncidentScope;
  /** the proposal's words: "station HX-XI02 (...), 6 reports within 30 minutes" */
  intro?: string;
}

type Opt = ReturnType<typeof option>;

/** Slack shows at most 75 characters of an option. */
const opt = (text: string, value: string): Opt => ({ text: plain(text.length > 75 ? `${text.slice(0, 74)}…` : text), value });

function multiSelect(
  field: string,
  label: string,
  placeholder: string,
  o: { options?: Opt[]; groups?: { label: string; options: Opt[] }[]; initial: string[] },
): Block {
  const all = o.groups ? o.groups.flatMap((g) => g.options) : (o.options ?? []);
  const initial = all.filter((x) => o.initial.includes(x.value));
  return {
    type: 'input',
    block_id: field,
    optional: true,
    label: plain(label),
    element: {
      type: 'multi_static_select',
      action_id: field,
      placeholder: plain(placeholder),
      ...(o.groups
        ? { option_groups: o.groups.map((g) => ({ label: plain(g.label.slice(0, 75)), options: g.options.slice(0, 100) })) }
        : { options: all.slice(0, 100) }),
      ...(initial.length ? { initial_options: initial } : {}),
    },
  };
}

/** Every station the organisation file lists, with the communities it serves. */
export function stationsOf(ctx: RenderCtx): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of ctx.org.config.communities) for (const s of c.stations) out.set(s, [...(out.get(s) ?? []), c.id]);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

export function incidentModal(ctx: RenderCtx, _staff: Staff, from: IncidentOrigin, pre: IncidentPrefill = {}): types.ModalView {
  const groups = [...ctx.org.branches.values()]
    .map((b) => ({ label: branchName(ctx, b.id), options: ctx.org.config.communities.filter((c) => c.branchId === b.id).map((c) => opt(c.name, c.id)) }))
    .filter((g) => g.options.length);
  const stations = [...stationsOf(ctx)].map(([s, ids]) =>
    opt(`${s} · ${ids.map((id) => ctx.org.communities.get(id)?.name ?? id).join(tr(ctx, 'incident.list_sep'))}`, s),
  );
  const blocks: Block[] = [
    ...(pre.intro ? [section(pre.intro)] : []),
    section(tr(ctx, 'incident.modal.intro')),
    multiSelect('communities', tr(ctx, 'incident.modal.communities'), tr(ctx, 'incident.modal.communities_hint'), { groups, initial: pre.communityIds ?? [] }),
    multiSelect('stations', tr(ctx, 'incident.modal.stations'), tr(ctx, 'incident.modal.stations_hint'), { options: stations, initial: pre.stationIds ?? [] }),
    radioInput(
      'scope',
      tr(ctx, 'incident.modal.scope'),
      INCIDENT_SCOPES.map((s) => option(tr(ctx, `incident.scope.${s}`), s)),
      { initial: pre.scope ?? 'station' },
    ),
    textInput('cause', tr(ctx, 'incident.modal.cause'), { max: 300, placeholder: tr(ctx, 'incident.modal.cause_hint') }),
    radioInput(
      'severity',
      tr(ctx, 'incident.modal.severity'),
      (['normal', 'major'] as const).map((s) => option(tr(ctx, `incident.severity.${s}`), s)),
      { initial: 'normal' },
    ),
    textInput('expected', tr(ctx, 'incident.modal.expected'), { optional: true, max: 40, placeholder: tr(ctx, 'incident.modal.expected_hint') }),
  ];
  return modal(INCIDENT_VIEW, tr(ctx, 'incident.modal.title'), tr(ctx, 'incident.modal.submit'), tr(ctx, 'incident.modal.cancel'), blocks, from);
}

export function incidentUpdateModal(ctx: RenderCtx, inc: Incident, from: IncidentOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'incident.modal.update_intro', { number: inc.number, cause: inc.cause })),
    textInput('expected', tr(ctx, 'incident.modal.expected'), { optional: true, max: 40, placeholder: tr(ctx, 'incident.modal.expected_hint') }),
    textInput('cause', tr(ctx, 'incident.modal.cause'), { max: 300, initial: inc.cause }),
    textInput('note', tr(ctx, 'incident.modal.note'), { optional: true, multiline: true, max: 1000 }),
  ];
  return modal(INCIDENT_UPDATE_VIEW, tr(ctx, 'incident.modal.update_title'), tr(ctx, 'incident.modal.save'), tr(ctx, 'incident.modal.cancel'), blocks, from);
}

/** The words for today, tomorrow and the day after, in every language the app speaks: how many days on. */
const DAY_WORDS = new Map<string, number>(
  LOCALES.flatMap((l) =>
    (['today', 'tomorrow', 'day_after'] as const).flatMap((k, plus) =>
      t(l, `slack.incident.day_words.${k}`)
        .split('|')
        .map((w) => [w.trim().toLowerCase(), plus] as [string, number]),
    ),
  ),
);

type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/**
 * A typed time in the company's zone. A bare "14:30" is the next 14:30 (at 23:00, "06:00" is the
 * morning after); with a day (today, tomorrow, the day after in either language: slack.incident.day_words; "12-07", "2026-12-07") it is that day's,
 * which may be past. undefined for empty, null for unreadable.
 */
export function parseExpected(raw: string | undefined, now: Date): Date | undefined | null {
  if (!raw) return undefined;
  // a full-width colon, as Chinese input methods type it
  const s = raw
    .trim()
    .replace(/\uff1a/g, ':')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  const today = localParts(now);
  const at = (y: number, mo: number, d: number, h: number, mi: number) => {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
    return zonedTimeToUtc({ year: y, month: mo, day: d, hour: h, minute: mi });
  };
  let m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (m) {
    const t = at(today.year, today.month, today.day, Number(m[1]), Number(m[2]));
    return t && t.getTime() <= now.getTime() ? new Date(t.getTime() + 24 * 3600_000) : t;
  }
  m = /^(\D+?) ?(\d{1,2}):(\d{2})$/.exec(s);
  const plus = m ? DAY_WORDS.get(m[1].trim()) : undefined;
  if (m && plus !== undefined) {
    const t = at(today.year, today.month, today.day, Number(m[2]), Number(m[3]));
    return t && new Date(t.getTime() + plus * 24 * 3600_000);
  }
  m = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})[ t](\d{1,2}):(\d{2})$/.exec(s);
  if (m) return at(m[1] ? Number(m[1]) : today.year, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return null;
}

export interface IncidentForm {
  communityIds: string[];
  stationIds: string[];
  scope: IncidentScope;
  cause: string;
  severity: 'normal' | 'major';
  expectedAt: Date | null;
}

export function readIncidentForm(ctx: RenderCtx, view: ViewLike): Read<IncidentForm> {
  const errors: Record<string, string> = {};
  const communityIds = fieldValues(view, 'communities');
  const stationIds = fieldValues(view, 'stations');
  const scope = fieldValue(view, 'scope') as IncidentScope | undefined;
  const severity = fieldValue(view, 'severity') ?? 'normal';
  const cause = fieldValue(view, 'cause');
  const expectedAt = parseExpected(fieldValue(view, 'expected'), ctx.now);
  if (!communityIds.length && !stationIds.length) errors.communities = tr(ctx, 'incident.error.area');
  const unknown = communityIds.find((id) => !ctx.org.communities.has(id));
  if (unknown) errors.communities = tr(ctx, 'incident.error.unknown_community', { community: unknown });
  if (!scope || !INCIDENT_SCOPES.includes(scope)) errors.scope = tr(ctx, 'incident.error.choose');
  if (severity !== 'normal' && severity !== 'major') errors.severity = tr(ctx, 'incident.error.choose');
  if (!cause) errors.cause = tr(ctx, 'incident.error.cause');
  if (expectedAt === null) errors.expected = tr(ctx, 'incident.error.expected_format');
  else if (expectedAt && expectedAt.getTime() <= ctx.now.getTime()) errors.expected = tr(ctx, 'incident.error.expected_time_past');
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { communityIds, stationIds, scope: scope!, cause: cause!, severity: severity as 'normal' | 'major', expectedAt: expectedAt ?? null },
  };
}

export interface IncidentUpdateForm {
  expectedAt?: Date;
  cause?: string;
  note?: string;
}

export function readIncidentUpdate(ctx: RenderCtx, view: ViewLike, inc: Pick<Incident, 'cause'>): Read<IncidentUpdateForm> {
  const errors: Record<string, string> = {};
  const expectedAt = parseExpected(fieldValue(view, 'expected'), ctx.now);
  const cause = fieldValue(view, 'cause');
  if (expectedAt === null) errors.expected = tr(ctx, 'incident.error.expected_format');
  else if (expectedAt && expectedAt.getTime() <= ctx.now.getTime()) errors.expected = tr(ctx, 'incident.error.expected_time_past');
  if (!cause) errors.cause = tr(ctx, 'incident.error.cause');
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...(expectedAt ? { expectedAt } : {}),
      ...(cause !== inc.cause ? { cause } : {}),
      ...(fieldValue(view, 'note') ? { note: fieldValue(view, 'note') } : {}),
    },
  };
}
