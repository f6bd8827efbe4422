import { CATEGORIES, SEVERITIES, TICKET_KINDS, type Category, type Scope, type Severity, type TicketKind } from '../domain.js';

// The labels are the ticket domain's own vocabulary, so a classification can be filed as is.
export { CATEGORIES, SEVERITIES, type Category, type Scope, type Severity };
/** What the resident wants, following the regulation's kinds of service (二). */
export const KINDS = TICKET_KINDS;
export type Kind = TicketKind;

/** A community the organisation serves, as the caller's org config describes it. */
export interface CommunityRef {
  id: string;
  name: string;
  aliases: string[];
}

/** Facts found in the text that can pre-fill a ticket; absent when not found. */
export interface Hints {
  /** Heating account number: 8–12 digits. */
  account?: string;
  communityId?: string;
  building?: string;
  unit?: string;
  room?: string;
  /** Mainland mobile number, digits only (no +86). */
  phone?: string;
  /** Indoor temperature the resident reported, in °C. */
  temperatureC?: number;
}

/**
 * Why the result looks the way it does. Codes only: the bots and the dashboard
 * render them from locales.
 */
export type ReasonCode =
  | 'empty_text'
  | 'truncated'
  | 'leak_word'
  | 'leak_word_negated'
  | 'leak_category'
  | 'burst_main'
  | 'whole_building'
  | 'whole_community'
  | 'primary_network_word'
  | 'elderly'
  | 'infant'
  | 'vulnerable_person'
  | 'below_standard'
  | 'low_temperature'
  | 'low_confidence';

export interface ClassifyResult {
  kind: Kind;
  category: Category;
  severity: Severity;
  scope: Scope;
  /** Posterior probability (0..1) of the chosen category and kind. */
  confidence: { category: number; kind: number };
  /** True when either confidence is under CONFIDENCE_THRESHOLD: ask the resident to choose. */
  needsChoice: boolean;
  /** A room temperature under the 18 °C heating standard was reported. */
  belowStandard: boolean;
  hints: Hints;
  reasons: ReasonCode[];
}

export interface ClassifyContext {
  communities?: readonly CommunityRef[];
}

/** Classifies one message; trained once, then pure and synchronous. */
export interface Classifier {
  classify(text: string, ctx?: ClassifyContext): ClassifyResult;
}

/** One labelled line of `data-corpus/classifier.jsonl`. */
export interface CorpusExample {
  text: string;
  category: Category;
  kind: Kind;
  lang: 'zh' | 'en' | 'mixed';
}
