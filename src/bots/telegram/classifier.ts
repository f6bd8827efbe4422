/**
 * What the bot needs from a classifier: the kind, category and urgency of a resident's message,
 * and what it says about where they live. src/core/classify's trained classifier fits this shape;
 * without one the bot uses the keyword rules of src/core/classify-fallback.
 */
import type { Category, Scope, Severity, TicketKind } from '../../core/domain.js';
import type { CommunityRef, Hints } from '../../core/classify/index.js';

export type { CommunityRef };

/** What the text says about where the resident lives (the core classifier's hints). */
export type TextHints = Hints;

export interface TextClassification {
  kind: TicketKind;
  category: Category;
  severity: Severity;
  scope: Scope;
  confidence?: { category: number; kind: number };
  /** unsure: the bot offers every choice instead of proposing one */
  needsChoice: boolean;
  hints: TextHints;
  reasons: readonly string[];
}

export interface TextClassifier {
  classify(text: string, ctx?: { communities?: readonly CommunityRef[] }): TextClassification;
}
