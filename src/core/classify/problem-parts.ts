import type { Category, Kind } from './types.js';

/** One part of a message (splitProblems) with what the classifier made of it. */
export interface ClassifiedPart {
  part: string;
  category: Category;
  kind: Kind;
  needsChoice: boolean;
  confidence?: { category: number; kind: number };
}

/** A problem of its own in a message: its text, its category, and the place of its first part. */
export interface ProblemPart<P extends ClassifiedPart = ClassifiedPart> extends ClassifiedPart {
  index: number;
  /** the classification of the part's first piece, for severity and scope */
  first: P;
}

// Only a part the classifier is this sure of counts as a problem of its own: offering a wrong
// second ticket costs the resident a tap and staff a ticket, keeping one costs nothing.
const SURE_CATEGORY = 0.8;

/**
 * The different problems among a message's parts, or [] when there are fewer than two. A part is
 * a problem when it is a leak or a complaint the classifier is sure of in a category other than
 * "other"; parts of one category are one problem (their texts joined). Pure and deterministic,
 * so a button can name a problem by its index and find it again in the same message.
 */
export function problemParts<P extends ClassifiedPart>(parts: readonly P[]): (ProblemPart<P> & P)[] {
  const byCategory = new Map<Category, ProblemPart<P> & P>();
  parts.forEach((p, index) => {
    const problem =
      p.category === 'leak' || (!p.needsChoice && p.kind === 'complaint' && p.category !== 'other' && (p.confidence?.category ?? 0) >= SURE_CATEGORY);
    if (!problem) return;
    const seen = byCategory.get(p.category);
    if (seen) seen.part = `${seen.part}，${p.part}`;
    else byCategory.set(p.category, { ...p, index, first: p });
  });
  return byCategory.size >= 2 ? [...byCategory.values()] : [];
}
