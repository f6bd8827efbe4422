// Where one problem ends and the next begins in a resident's message: sentence ends, and the
// words people use to add another matter ("还有", "另外", "and also"). A comma alone does not
// split: "暖气不热，屋里冷得很" is one problem said twice.
const SENTENCE_END = /[。！!？?；;\n]+|\.(?=\s|$)/;
const NEXT_MATTER =
  /[，,、\s]*(?:还有就是|还有一个事|还有个事|还有一件事|还有|另外还有|另外|另一个|再一个|再有就是|再就是|此外|顺便说一下|顺便问一下|顺便|同时)[，,:：\s]*|[,\s]*\b(?:and also|also|another thing is|another thing|besides that|besides|plus|on top of that)\b[,:\s]*/i;
// Shorter than this (letters and CJK characters) a part cannot be a problem of its own
// ("还有", "好的"): it stays with the part before it.
const MIN_PART_CHARS = 4;

/**
 * Splits a message into the parts that may each be a problem of their own, in order. A part
 * too short to say anything joins the part before it. One part means one problem (or one
 * question): the caller classifies each part and decides whether they really differ.
 */
export function splitProblems(text: string): string[] {
  const parts: string[] = [];
  for (const sentence of text.split(SENTENCE_END)) {
    for (const piece of sentence.split(new RegExp(NEXT_MATTER.source, 'gi'))) {
      const part = piece.trim().replace(/^[，,、\s]+|[，,、\s]+$/g, '');
      if (!part) continue;
      if (meaningfulLength(part) < MIN_PART_CHARS && parts.length) parts[parts.length - 1] += `，${part}`;
      else parts.push(part);
    }
  }
  // A short first part ("您好") joins the one after it.
  if (parts.length > 1 && meaningfulLength(parts[0]!) < MIN_PART_CHARS) parts.splice(0, 2, `${parts[0]}，${parts[1]}`);
  return parts;
}

function meaningfulLength(s: string): number {
  return (s.match(/[\p{L}\p{N}]/gu) ?? []).length;
}
