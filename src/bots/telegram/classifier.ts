/**
 * What the bot needs from a classifier: the kind, category and urgency of a resident's message,
 * and what it says about where they live. src/core/classify's trained classifier fits this shape;
 * without one the bot uses the keyword rules of src/core/classify-fallback.
 */
import type { Category, Scope, Severity, TicketKind } from '../../core/domain.js';

export interface TextHints {
  account?: string;
  communityId?: string;
  building?: string;
  unit?: string;
  room?: string;
  phone?: string;
  temperatureC?: number;
}

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

export interface CommunityRef {
  id: string;
  name: string;
  aliases: string[];
}

export interface TextClassifier {
  classify(text: string, ctx?: { communities?: readonly CommunityRef[] }): TextClassification;
}
