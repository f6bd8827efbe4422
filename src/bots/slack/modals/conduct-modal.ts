/**
 * The supervision card's two modals (R31-R33): name the staff member a conduct complaint is
 * about, and record the finding with its evidence. Here: what each asks and the checks that need
 * no database; the core's refusals (someone not in the organisation file any more, a finding
 * already recorded, no right to) come back onto the fields (handlers/conduct.ts).
 */
import type { types } from '@slack/bolt';
import { CONDUCT_FINDINGS } from '../../../core/model.js';
import type { Ticket } from '../../../core/model.js';
import { option, section, type Block } from '../render/blocks.js';
import { branchName, tr, type RenderCtx } from '../render/names.js';
import { modal, radioInput, selectInput, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const CONDUCT_NAME_VIEW = 'conduct.name';
export const CONDUCT_FINDING_VIEW = 'conduct.finding';

const EVIDENCE_MAX = 2000;
/** Slack's limit on a select's options. */
const OPTIONS_MAX = 100;

type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const meta = (t: Ticket, from: ModalOrigin) => ({ n: t.number, s: t.status, ch: from.ch, ts: from.ts });

/** Everyone in the organisation file, grouped by where they work (the branches, then the centre). */
function staffSelect(ctx: RenderCtx, initial: string | null): Block {
  const places = new Map<string, { label: string; options: ReturnType<typeof option>[] }>();
  let count = 0;
  for (const s of ctx.org.staff.values()) {
    if (count >= OPTIONS_MAX) break;
    const key = s.branchId ?? '';
    const place = places.get(key) ?? { label: branchName(ctx, s.branchId), options: [] };
    place.options.push(option(`${s.name}${s.badge ? ` (${s.badge})` : ''}`, s.id));
    places.set(key, place);
    count++;
  }
  const groups = [...places.values()];
  return selectInput('staff', tr(ctx, 'conduct.modal.staff'), [], { groups, initial: initial ?? undefined });
}

export function nameModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [section(tr(ctx, 'conduct.modal.name_intro', { number: t.number })), staffSelect(ctx, t.conductStaffId)];
  return modal(CONDUCT_NAME_VIEW, tr(ctx, 'conduct.modal.name_title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, meta(t, from));
}

export function findingModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const findings = CONDUCT_FINDINGS.map((f) => option(tr(ctx, `conduct.finding_choice.${f}`), f));
  const blocks: Block[] = [
    section(tr(ctx, 'conduct.modal.finding_intro', { number: t.number })),
    staffSelect(ctx, t.conductStaffId),
    radioInput('finding', tr(ctx, 'conduct.modal.finding'), findings),
    textInput('evidence', tr(ctx, 'conduct.modal.evidence'), { multiline: true, max: EVIDENCE_MAX, placeholder: tr(ctx, 'conduct.modal.evidence_hint') }),
  ];
  return modal(CONDUCT_FINDING_VIEW, tr(ctx, 'conduct.modal.finding_title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, meta(t, from));
}

export function readName(ctx: RenderCtx, view: ViewLike): Read<{ staffId: string }> {
  const staffId = fieldValue(view, 'staff');
  return staffId ? { ok: true, value: { staffId } } : { ok: false, errors: { staff: tr(ctx, 'conduct.error.staff_required') } };
}

export function readFinding(ctx: RenderCtx, view: ViewLike): Read<{ staffId: string; finding: string; evidence: string }> {
  const errors: Record<string, string> = {};
  const staffId = fieldValue(view, 'staff');
  const finding = fieldValue(view, 'finding');
  const evidence = fieldValue(view, 'evidence');
  if (!staffId) errors.staff = tr(ctx, 'conduct.error.staff_required');
  if (!finding || !(CONDUCT_FINDINGS as readonly string[]).includes(finding)) errors.finding = tr(ctx, 'conduct.error.finding_required');
  if (!evidence) errors.evidence = tr(ctx, 'conduct.error.evidence_required');
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { staffId: staffId!, finding: finding!, evidence: evidence! } };
}
