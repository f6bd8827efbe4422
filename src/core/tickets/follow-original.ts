/**
 * A duplicate goes the way of its original (R8h: every closed complaint is called back, the
 * duplicate's resident too). Marking a report as a duplicate takes it off the branch's list, not
 * off the books: when the original is resolved, each duplicate still waiting is resolved with the
 * original's result and a copy of its service form, its resident is told (resident_update) and a
 * callback is opened for it, exactly as for a resolve of its own (start-callback.ts).
 *
 * From then on each duplicate is its own resident's: the original's close does not close it (its
 * own callback does), and the original's reopen does not take back what it was told. A duplicate
 * whose resident is still cold reopens as a complaint of its own (transition-ticket.ts, reopen).
 * A duplicate marked after its original was resolved follows at once.
 */
import { isAppError } from '../errors.js';
import type { Core } from '../context.js';
import type { ServiceForm, Ticket } from '../model.js';
import type { Org } from '../org/org.js';
import type { NewServiceForm, PlannedStep, TicketForStep } from '../ports/ticket-store.js';
import { planMessages } from './notify-plan.js';
import { planCallbackStep } from './start-callback.js';
import { nextStatus, type Status } from './status-machine.js';

/** The statuses in which an original has been resolved: a duplicate marked now follows at once. */
export const ORIGINAL_RESOLVED: readonly Status[] = ['resolved', 'callback', 'closed'];

/** What the duplicates are told: the original's result and its service form. */
export interface OriginalOutcome {
  number: string;
  result: string;
  form: ServiceForm | null;
}

/** The resolve of one duplicate and the callback step after it, decided in full. */
export function planFollow(org: Org, dup: TicketForStep, original: OriginalOutcome, now: Date): PlannedStep[] {
  const t = dup.ticket;
  const status = nextStatus(t.status, 'follow_original');
  const after: Ticket = { ...t, status, resolvedAt: now };
  // the fee was charged on the original; this household paid nothing of its own
  const form: NewServiceForm | null = original.form
    ? {
        workDone: original.form.workDone,
        materials: original.form.materials,
        feesCents: 0,
        effect: original.form.effect,
        afterSalesTerms: original.form.afterSalesTerms,
        signed: original.form.signed,
        serviceDate: original.form.serviceDate,
        createdBy: 'system',
      }
    : null;
  const step: PlannedStep = {
    status,
    patch: { resolvedAt: now },
    // the resident hears it as the resolve of their own report: same event type, same message
    event: {
      type: 'resolved',
      actor: 'system',
      fromStatus: t.status,
      toStatus: status,
      note: original.result,
      data: { result: original.result, original: original.number },
    },
    cancelAlertKinds: [],
    cancelAlertKeys: [],
    alerts: [],
    form,
    openCallback: null,
    // from a duplicate (closed for a city platform, told so when it was marked): no second webhook call
    owed: ({ eventId }) => ({
      messages: planMessages(org, { ...after, residentChatId: dup.residentChatId }, { id: eventId, type: 'resolved', from: t.status }),
      alerts: [],
    }),
  };
  return [step, planCallbackStep(org, after, dup.residentChatId, now)];
}

/** The original's latest result and form, as its resolve stored them. */
async function outcomeOf(core: Core, originalId: number): Promise<OriginalOutcome | null> {
  const view = await core.stores.views.ticketView({ id: originalId });
  if (!view) return null;
  const resolved = view.events.filter((e) => e.type === 'resolved').at(-1);
  let result = resolved?.note ?? '';
  if (!result && resolved?.data) {
    const d = JSON.parse(resolved.data) as { result?: unknown };
    if (typeof d.result === 'string') result = d.result;
  }
  return { number: view.ticket.number, result, form: view.form };
}

/**
 * Resolves the duplicates of `original` still waiting for it (or only `only`, a duplicate just
 * marked). Each is its own transaction: a duplicate changed meanwhile (concurrent_update) is read
 * again and tried again; one that is no longer waiting is left alone. Returns the numbers followed.
 */
export async function followOriginal(core: Core, original: Pick<Ticket, 'id'>, only?: TicketForStep): Promise<string[]> {
  const waiting = only ? [only] : await core.stores.tickets.duplicatesOf(original.id, ['duplicate']);
  if (!waiting.length) return [];
  const outcome = await outcomeOf(core, original.id);
  if (!outcome) return [];
  const done: string[] = [];
  for (const first of waiting) {
    let dup: TicketForStep | null = first;
    for (let attempt = 0; dup && dup.ticket.status === 'duplicate' && attempt < 3; attempt++) {
      const now = core.clock.now();
      try {
        await core.stores.tickets.applyStep({ ticketId: dup.ticket.id, version: dup.ticket.version, steps: planFollow(core.org, dup, outcome, now), at: now });
        done.push(dup.ticket.number);
        break;
      } catch (e) {
        if (!isAppError(e, 'concurrent_update')) throw e;
        dup = await core.stores.tickets.forStep({ id: dup.ticket.id });
      }
    }
  }
  return done;
}
