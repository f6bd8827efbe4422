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
const KIND_SURE = 0.6;

/**
 * The different problems among a message's parts, or [] when there are fewer than two. A part is
 * a problem when it is a leak, or in a category other than "other" that the classifier is sure of
 * and not surely a question or a suggestion; parts of one category are one problem (their texts joined). Pure and deterministic,
 * so a button can name a problem by its index and find it again in the same message.
 */
export function problemParts<P extends ClassifiedPart>(parts: readonly P[]): (ProblemPart<P> & P)[] {
  const byCategory = new Map<Category, ProblemPart<P> & P>();
  parts.forEach((p, index) => {
    // A question or a wish the classifier is sure of ("还有，几号停暖？") is not a problem to file;
    // a complaint whose kind it doubts ("今年的热费收多了") still is, when its category is sure.
    const notAProblem = p.kind !== 'complaint' && p.kind !== 'paid_service' && (p.confidence?.kind ?? 0) >= KIND_SURE;
    const problem = p.category === 'leak' || (p.category !== 'other' && (p.confidence?.category ?? 0) >= SURE_CATEGORY && !notAProblem);
    if (!problem) return;
    const seen = byCategory.get(p.category);
    if (seen) seen.part = `${seen.part}，${p.part}`;
    else byCategory.set(p.category, { ...p, index, first: p });
  });
  return byCategory.size >= 2 ? [...byCategory.values()] : [];
}
