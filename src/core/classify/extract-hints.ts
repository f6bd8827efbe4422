import { readAddress } from './read-address.js';
import type { CommunityRef, Hints } from './types.js';

// Mainland mobile: 1[3-9] and nine more digits, often written 138-1234-5678 or with +86.
const PHONE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
// Heating account numbers are 8–12 digits; a label in front makes a match certain.
const LABELLED_ACCOUNT = /(?:户号|账号|用户号|缴费号|供热号|热费号|account(?:\s*(?:no\.?|number|#))?|acct\.?)\s*(?:是|为|:|：|#)?\s*(\d{8,12})(?!\d)/;
const BARE_ACCOUNT = /(?<!\d)\d{8,12}(?!\d)/g;

/**
 * Pulls what can pre-fill a ticket out of normalised text: account, phone, community,
 * address. The temperature is read with the urgency rules and added by the caller.
 */
export function extractHints(text: string, communities: readonly CommunityRef[] = []): Hints {
  const hints: Hints = {};

  const phones = [...text.matchAll(PHONE)];
  if (phones[0]) hints.phone = phones[0].slice(1, 4).join('');
  // A phone number is also 11 digits: blank it out before looking for an unlabelled account.
  const withoutPhones = text.replace(PHONE, (m) => ' '.repeat(m.length));

  const labelled = LABELLED_ACCOUNT.exec(text);
  if (labelled) hints.account = labelled[1]!;
  else {
    const bare = withoutPhones.match(BARE_ACCOUNT);
    if (bare) hints.account = bare[0];
  }

  const communityId = findCommunity(text, communities);
  if (communityId !== undefined) hints.communityId = communityId;

  Object.assign(hints, readAddress(text));
  return hints;
}

/** The community whose name or alias appears in the text; the longest match wins (阳光小区二期 over 阳光小区). */
function findCommunity(text: string, communities: readonly CommunityRef[]): string | undefined {
  let best: { id: string; length: number } | undefined;
  for (const { id, needle } of needlesOf(communities)) {
    if (!text.includes(needle)) continue;
    if (!best || needle.length > best.length) best = { id, length: needle.length };
  }
  return best?.id;
}

// The names, normalised once per organisation (NFKC on every name of every message was a tenth
// of the classifier's time at intake, bench/).
const needleCache = new WeakMap<readonly CommunityRef[], { id: string; needle: string }[]>();
function needlesOf(communities: readonly CommunityRef[]): { id: string; needle: string }[] {
  let needles = needleCache.get(communities);
  if (!needles) {
    needles = communities
      .flatMap((c) => [c.name, ...c.aliases].map((name) => ({ id: c.id, needle: name.normalize('NFKC').toLowerCase().trim() })))
      .filter((n) => n.needle !== '');
    needleCache.set(communities, needles);
  }
  return needles;
}
